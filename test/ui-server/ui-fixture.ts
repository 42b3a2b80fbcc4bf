import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { ResultRecord, ResultStatus, RunManifest } from '../../src/core/types.ts';
import { evaluate } from '../../src/index.ts';
import type { Store } from '../../src/store/store.ts';

/**
 * A project evaluated twice with a scripted `fake:` model, so run B differs from run A in known ways:
 * `c-regress` passes on A and fails on B, `c-improve` the reverse, `c-pass`/`c-fail` stay, `c-error`
 * errors on both, `c-hostile` carries markup. Prompt `p` has two recorded versions; a second suite
 * `judged` (never evaluated) uses a judge, so the project has one judge to list.
 */
export interface UiProject {
  dir: string;
  runA: string;
  runB: string;
  cleanup(): void;
}

const files: Record<string, string> = {
  'assay.yaml': [
    'prompts: [prompts/*.prompt.md]',
    'suites:',
    '  - file: suites/s.yaml',
    '  - file: suites/judged.yaml',
    'models:',
    '  - id: fake:bot',
    '    script: models/bot.yaml',
    '  - id: fake:judge',
    '',
  ].join('\n'),
  'models/bot.yaml': [
    'rules:',
    '  - contains: boom',
    '    error: { kind: client, message: refused by the fake model, status: 400 }',
    '',
  ].join('\n'),
  'prompts/p.prompt.md': '---\nname: p\nvariables:\n  message: { type: string }\n---\nANSWER {{ message }}\n',
  'suites/s.yaml': [
    'name: s',
    'cases:',
    '  - id: c-regress',
    '    vars: { message: hello there }',
    '    checks: [{ icontains: answer }]',
    '  - id: c-improve',
    '    vars: { message: hi }',
    '    checks: [{ type: not-contains, value: ANSWER }]',
    '  - id: c-pass',
    '    vars: { message: greetings }',
    '    checks: [{ icontains: greetings }]',
    '  - id: c-fail',
    '    vars: { message: plain }',
    '    checks: [{ icontains: zzz }]',
    '  - id: c-error',
    '    vars: { message: boom }',
    '    checks: [{ icontains: boom }]',
    '  - id: c-hostile',
    '    vars: { message: "<script>window.__pwned=1</script><img src=x onerror=alert(1)>" }',
    '    checks: [{ icontains: script }]',
    '',
  ].join('\n'),
  'suites/judged.yaml': [
    'name: judged',
    'cases:',
    '  - id: j1',
    '    vars: { message: hi }',
    '    checks: [{ type: judge, judge: ../judges/tone.judge.md }]',
    '',
  ].join('\n'),
  'judges/tone.judge.md': '---\nmodel: fake:judge\n---\nThe reply must be polite.\n',
};

export async function makeUiProject(): Promise<UiProject> {
  const dir = mkdtempSync(join(tmpdir(), 'assay-ui-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  const run = async (message: string) => {
    const r = await evaluate({
      cwd: dir,
      suite: 's',
      models: ['fake:bot'],
      maxErrorRate: 1,
      maxRetries: 0,
      message,
      env: {},
    });
    const report = r.reports[0];
    if (!report) throw new Error('no run');
    return report.run.id;
  };
  const runA = await run('first');
  const promptFile = join(dir, 'prompts/p.prompt.md');
  writeFileSync(
    promptFile,
    readFileSync(promptFile, 'utf8').replace('ANSWER {{ message }}', '{{ message }}'),
  );
  const runB = await run('second');
  return {
    dir,
    runA,
    runB,
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** A raw HTTP request (fetch will not send a forged Host header). */
export function rawRequest(
  port: number,
  path: string,
  opts: { method?: string; headers?: Record<string, string>; body?: string; host?: string } = {},
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((res, rej) => {
    const req = request(
      { host: opts.host ?? '127.0.0.1', port, path, method: opts.method ?? 'GET', headers: opts.headers },
      (r) => {
        let body = '';
        r.setEncoding('utf8');
        r.on('data', (d) => {
          body += d;
        });
        r.on('end', () => res({ status: r.statusCode ?? 0, headers: r.headers, body }));
      },
    );
    req.on('error', rej);
    if (opts.body !== undefined) req.write(opts.body);
    req.end();
  });
}

/**
 * Seeds a run of `n` synthetic results (cases `case-00000`…, statuses pass/fail/error by i mod 10: 0 → error,
 * 1–3 → fail, else pass; output `output of case-i`), written in batches as the engine writes them.
 */
export async function seedRun(store: Store, runId: string, manifest: RunManifest, n: number): Promise<void> {
  await store.createRun({ id: runId, manifest, planned: n });
  const version = manifest.prompts[0]?.version ?? 'abcd1234';
  const model = manifest.models[0]?.id ?? 'fake:bot';
  const batch: ResultRecord[] = [];
  for (let i = 0; i < n; i++) {
    const status: ResultStatus = i % 10 === 0 ? 'error' : i % 10 <= 3 ? 'fail' : 'pass';
    const caseId = `case-${String(i).padStart(6, '0')}`;
    batch.push({
      runId,
      prompt: manifest.prompts[0]?.name ?? 'p',
      promptVersion: version,
      modelId: model,
      caseId,
      repeat: 0,
      status,
      ...(status === 'error'
        ? { error: { kind: 'server' as const, message: 'upstream 503' } }
        : { output: `output of ${caseId}` }),
      checks: status === 'error' ? [] : [{ type: 'contains', pass: status === 'pass', reason: 'seeded' }],
      usage: { inputTokens: 10, outputTokens: 5 },
      latencyMs: 12,
      cost: 0,
      attempts: 1,
      cached: false,
      createdAt: new Date(1_700_000_000_000 + i).toISOString(),
    });
    if (batch.length === 5000) await store.writeResults(batch.splice(0));
  }
  if (batch.length) await store.writeResults(batch.splice(0));
  await store.setRunStatus(runId, 'completed');
}
