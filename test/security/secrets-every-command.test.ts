import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { plantSecret, scanForSecret } from '../../src/test-helpers/scan-for-secret.ts';
import { startTestServer, type TestServer } from '../../src/test-helpers/test-server.ts';
import { startUi } from '../../src/ui/server/start-ui.ts';
import { cleanEnv, repoRoot, runCli, writeFiles } from '../cli/cli-harness.ts';

/**
 * Secrets kept (docs/reliability.md): with an API key and a header secret planted in the environment and
 * really sent to the model server, every command that writes an artefact is run, and `scanForSecret`
 * finds neither value (plain, base64, URL-encoded or UTF-16) in the project folder (store, WAL, cache,
 * recordings, exports, reports, annotations, validation files, optimizer logs), nor in any command's
 * stdout/stderr, nor in the UI API's responses.
 */

let server: TestServer;
let base: string;
beforeAll(async () => {
  // Judge prompts get a verdict; everything else is echoed (and so holds the word the checks look for).
  server = await startTestServer({
    respond: (body) => {
      const text = body.messages.map((m) => m.content).join('\n');
      return /verdict/i.test(text) ? '{"reasoning": "fine", "verdict": "pass"}' : `number ${text.slice(-80)}`;
    },
  });
  base = mkdtempSync(join(tmpdir(), 'assay-secrets-'));
});
afterAll(async () => {
  await server?.close();
  rmSync(base, { recursive: true, force: true });
});

const secureModel = (url: string) => [
  '  - id: openai-compatible:secure',
  `    baseUrl: ${url}`,
  '    apiKeyEnv: ACME_LLM_KEY',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: Assay's own ${ENV} header syntax, not JS
  '    headers: { x-team-token: "${ACME_TEAM_TOKEN}" }',
];

describe('a planted key and header secret reach no artefact of any command', () => {
  it('eval -o, export, report, compare, gate, record/replay, annotate --import, judge validate, db push/check, doctor, UI API, redteam, optimize', async () => {
    const key = plantSecret();
    const token = plantSecret();
    const env = cleanEnv({ ACME_LLM_KEY: key, ACME_TEAM_TOKEN: token, OPENAI_API_KEY: key });
    const dir = join(base, 'project');
    const cases = Array.from({ length: 6 }, (_, i) => JSON.stringify({ id: `c${i}`, vars: { n: i } })).join(
      '\n',
    );
    writeFiles(dir, {
      'assay.yaml': [
        'prompts: [q.prompt.md]',
        'suites: [cases.jsonl, judged.yaml]',
        'models:',
        ...secureModel(server.url),
        'defaults:',
        '  checks:',
        '    - contains: "number"',
      ].join('\n'),
      'q.prompt.md': '---\nvariables:\n  n: number\n---\nSay the number {{ n }}.\n',
      'cases.jsonl': `${cases}\n`,
      'judged.yaml': [
        'name: judged',
        'cases:',
        '  - id: j1',
        '    vars: { n: 1 }',
        '    checks: [{ type: judge, judge: judges/polite.judge.md }]',
        '  - id: j2',
        '    vars: { n: 2 }',
        '    checks: [{ type: judge, judge: judges/polite.judge.md }]',
        '',
      ].join('\n'),
      'judges/polite.judge.md': '---\nmodel: openai-compatible:secure\n---\nThe reply must be polite.\n',
    });
    const logs: string[] = [];
    const codes: Record<string, number | null> = {};
    const outputs: Record<string, string> = {};
    const run = async (name: string, args: string[]) => {
      const r = await runCli(args, { env });
      logs.push(`$ ${args.join(' ')}`, r.stdout, r.stderr);
      codes[name] = r.code;
      outputs[name] = `${r.stdout.slice(-600)}\n${r.stderr.slice(-600)}`;
      return r;
    };
    const outs = join(dir, 'out');
    mkdirSync(outs);
    await run('eval', [
      'eval',
      '-C',
      dir,
      '-s',
      'cases',
      '--json',
      '-o',
      ...['json', 'jsonl', 'csv', 'xml'].map((e) => join(outs, `r.${e}`)),
    ]);
    const judgedRun = (
      JSON.parse((await run('eval judged', ['eval', '-C', dir, '-s', 'judged', '--json'])).stdout) as {
        reports: { run: { id: string } }[];
      }
    ).reports[0]?.run.id as string;
    // errors carry messages from the server: none may hold a key
    server.queueFaults(Array.from({ length: 6 }, () => ({ status: 401, message: 'invalid api key' })));
    await run('eval errors', [
      'eval',
      '-C',
      dir,
      '-s',
      'cases',
      '--no-cache',
      '--max-retries',
      '0',
      '--json',
    ]);
    await run('eval again', ['eval', '-C', dir, '-s', 'cases', '--no-cache']);
    for (const f of ['json', 'jsonl', 'csv', 'junit'])
      await run(`export ${f}`, ['export', '-C', dir, '-f', f, '-o', join(outs, `export.${f}`)]);
    await run('report html', ['report', '-C', dir, '-o', join(outs, 'report.html')]);
    await run('report md', ['report', '-C', dir, '-o', join(outs, 'report.md'), '--compare', 'latest~3']);
    await run('compare', ['compare', 'latest~3', 'latest', '-C', dir, '--json']);
    await run('gate', [
      'gate',
      '-C',
      dir,
      '-s',
      'cases',
      '--baseline',
      'latest~3',
      '--candidate',
      'latest',
      '--junit',
      join(outs, 'gate.xml'),
      '--markdown',
      join(outs, 'gate.md'),
    ]);
    await run('record', [
      'eval',
      '-C',
      dir,
      '-s',
      'cases',
      '--no-cache',
      '--record',
      join(dir, 'recordings'),
    ]);
    await run('replay', [
      'eval',
      '-C',
      dir,
      '-s',
      'cases',
      '--no-cache',
      '--replay',
      join(dir, 'recordings'),
    ]);
    expect(codes.eval, logs.slice(0, 3).join('\n---\n')).toBe(0);
    expect(JSON.parse(readFileSync(join(outs, 'r.json'), 'utf8'))).toBeTruthy();
    // Human labels for the judged run's outputs, imported, then the judge validated against them.
    await run('export judged', [
      'export',
      judgedRun,
      '-C',
      dir,
      '-f',
      'jsonl',
      '-o',
      join(outs, 'judged.jsonl'),
    ]);
    const rows = readFileSync(join(outs, 'judged.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { caseId: string; output: string; promptVersion: string });
    const csvCell = (v: string) => `"${v.replaceAll('"', '""')}"`;
    writeFileSync(
      join(outs, 'labels.csv'),
      `caseId,output,promptVersion,verdict\n${rows.map((r) => [r.caseId, r.output, r.promptVersion, 'pass'].map(csvCell).join(',')).join('\n')}\n`,
    );
    await run('annotate import', [
      'annotate',
      judgedRun,
      '--import',
      join(outs, 'labels.csv'),
      '-C',
      dir,
      '--annotator',
      'ana',
      '--json',
    ]);
    await run('judge validate', [
      'judge',
      'validate',
      'judges/polite.judge.md',
      '--run',
      judgedRun,
      '--annotations',
      'annotations/judged.jsonl',
      '-C',
      dir,
      '--json',
    ]);
    await run('db push', ['db', 'push', '-C', dir, '--to', join(dir, 'pushed.db')]);
    await run('db check', ['db', 'check', '-C', dir]);
    await run('doctor', ['doctor', '-C', dir]);

    // The UI's API, every read route.
    const staticDir = join(base, 'static');
    mkdirSync(staticDir, { recursive: true });
    writeFileSync(join(staticDir, 'index.html'), '<!doctype html>');
    const ui = await startUi({ cwd: dir, staticDir });
    try {
      const get = async (path: string) => {
        const r = await fetch(`http://127.0.0.1:${ui.port}${path}`, {
          headers: { Authorization: `Bearer ${ui.token}` },
        });
        const text = await r.text();
        logs.push(`GET ${path}`, text);
        return text;
      };
      const { runs } = JSON.parse(await get('/api/runs')) as { runs: { id: string }[] };
      for (const r of runs) {
        await get(`/api/runs/${r.id}`);
        await get(`/api/runs/${r.id}/results?limit=1000`);
      }
      await get('/api/prompts');
      await get('/api/judges');
    } finally {
      await ui.close();
    }

    // Red team and optimizer, attacking and optimizing the secured model.
    const rt = join(base, 'redteam');
    cpSync(join(repoRoot, 'examples/redteam'), rt, { recursive: true, filter: (s) => !s.includes('.assay') });
    const rtConfig = readFileSync(join(rt, 'assay.yaml'), 'utf8').replace(
      'models:\n',
      `models:\n${secureModel(server.url).join('\n')}\n`,
    );
    writeFileSync(join(rt, 'assay.yaml'), rtConfig);
    await run('redteam', ['redteam', '-C', rt, '-m', 'openai-compatible:secure', '--json']);
    const opt = join(base, 'optimize');
    cpSync(join(repoRoot, 'examples/optimize/project'), opt, {
      recursive: true,
      filter: (s) => !s.includes('.assay'),
    });
    writeFileSync(
      join(opt, 'assay.yaml'),
      readFileSync(join(opt, 'assay.yaml'), 'utf8').replace(
        'models:\n',
        `models:\n${secureModel(server.url).join('\n')}\n`,
      ),
    );
    await run('optimize', [
      'optimize',
      'support',
      '-C',
      opt,
      '-m',
      'openai-compatible:secure',
      '--proposer',
      'fake:proposer',
      '--max-hypotheses',
      '1',
    ]);

    // The secrets were used for real…
    expect(server.headers.some((h) => h.authorization === `Bearer ${key}`)).toBe(true);
    expect(server.headers.some((h) => h['x-team-token'] === token)).toBe(true);
    // …every command ran to a documented exit (no internal error), and the artefacts exist.
    for (const [name, code] of Object.entries(codes))
      expect([0, 1, 3], `${name}: ${outputs[name]}`).toContain(code);
    expect(codes.eval).toBe(0);
    expect(codes['eval errors']).toBe(3);
    expect(codes['db check']).toBe(0);
    // Every command succeeded, but for the planted 401s (exit 3) and the red team's breach-or-error exit.
    const { 'eval errors': errored, redteam: redteamCode, ...rest } = codes;
    expect(errored).toBe(3);
    expect([0, 1, 3]).toContain(redteamCode);
    for (const [name, code] of Object.entries(rest)) expect(code, `${name}: ${outputs[name]}`).toBe(0);
    // …and leave no trace.
    writeFileSync(join(base, 'console.log'), logs.join('\n'));
    for (const secret of [key, token]) expect(await scanForSecret(secret, [base])).toEqual([]);
  }, 180_000);
});
