import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ChatCompletionBody,
  type ScriptedReply,
  startTestServer,
  type TestServer,
} from '../../src/test-helpers/test-server.ts';
import { cleanEnv, runCli } from '../cli/cli-harness.ts';
import { ensurePromptfoo, promptfooEntry } from './promptfoo-install.ts';

// Each fixture config is first run by promptfoo 0.123.1 itself against the local test server (proof
// that it is a valid promptfoo config), then imported, run under `assay eval` with the fake model, and
// promptfoo's own results.json is imported as an Assay run and compared with an Assay run.
const install = await ensurePromptfoo();
if (!install.ok && process.env.CI) throw new Error(`promptfoo is required in CI: ${install.reason}`);
if (!install.ok) console.warn(`skipping the promptfoo import tests: ${install.reason}`);

const fixtures = join(import.meta.dirname, 'fixtures');

/** The model under test, promptfoo's graders and Assay's judges, all answered by one scripted server. */
function respond(body: ChatCompletionBody): string | ScriptedReply {
  const all = body.messages.map((m) => String(m.content)).join('\n');
  if (all.includes('Data marker code'))
    return all.includes('"verdict"')
      ? '{"reasoning": "The output meets the rubric.", "verdict": "pass"}'
      : '{"reasoning": "Good.", "score": 5}';
  if (all.includes('grading output according to a user-specified rubric'))
    return '{"reason": "The output meets the rubric.", "pass": true, "score": 1}';
  if (/expert answer|factual/i.test(all))
    return '{"category": "A", "reason": "The submission is a subset of the expert answer."}';
  if (/criterion/i.test(all)) return 'The submission names a city.\nY';
  const last = String(body.messages.filter((m) => m.role === 'user').pop()?.content ?? '');
  const content = all.includes('as JSON') ? '{"name": "Ada Lovelace", "city": "London"}' : `Answer: ${last}`;
  // Token log-probabilities, as OpenAI returns them, for promptfoo's perplexity assertion.
  return { content, logprobs: { content: [{ token: content, logprob: -0.1, top_logprobs: [] }] } };
}

/** promptfoo's `similar` needs an embeddings endpoint: letter counts make a small, honest embedding. */
async function startEmbeddingServer(): Promise<{ url: string; close: () => Promise<void> }> {
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (d) => {
      raw += d;
    });
    req.on('end', () => {
      const input = String(JSON.parse(raw || '{}').input ?? '').toLowerCase();
      const vector = Array.from(
        { length: 26 },
        (_, i) => [...input].filter((c) => c.charCodeAt(0) === 97 + i).length,
      );
      res.setHeader('content-type', 'application/json');
      res.end(
        JSON.stringify({
          data: [{ embedding: vector, index: 0 }],
          usage: { prompt_tokens: 1, total_tokens: 1 },
        }),
      );
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/v1`, close: () => new Promise((r) => server.close(() => r())) };
}

/** promptfoo's distinct error messages, for a failure message. */
function errorsOf(results: { results: { results: { error?: string; failureReason?: number }[] } }): string {
  return [...new Set(results.results.results.filter((r) => r.failureReason === 2).map((r) => r.error))].join(
    '\n',
  );
}

describe.skipIf(!install.ok)('assay import promptfoo (against promptfoo 0.123.1 itself)', () => {
  let server: TestServer;
  let embeddings: Awaited<ReturnType<typeof startEmbeddingServer>>;
  let work: string;
  beforeAll(async () => {
    server = await startTestServer({ respond });
    embeddings = await startEmbeddingServer();
    work = mkdtempSync(join(tmpdir(), 'assay-pf-import-'));
  });
  afterAll(async () => {
    await server?.close();
    await embeddings?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  /** Copies a fixture with the server URL filled in, runs promptfoo on it; returns its folder and results. */
  async function runPromptfoo(name: string, extra: string[] = []) {
    const dir = join(work, name);
    cpSync(join(fixtures, name), dir, { recursive: true });
    const cfg = join(dir, 'promptfooconfig.yaml');
    writeFileSync(
      cfg,
      readFileSync(cfg, 'utf8')
        .replaceAll('__BASE_URL__', server.url)
        .replaceAll('__EMBEDDINGS_URL__', embeddings.url),
    );
    const env = cleanEnv({
      OPENAI_API_KEY: 'sk-test-dummy',
      OPENAI_BASE_URL: server.url,
      PROMPTFOO_DISABLE_TELEMETRY: '1',
      PROMPTFOO_DISABLE_UPDATE: '1',
      PROMPTFOO_DISABLE_SHARING: '1',
      PROMPTFOO_DISABLE_SHARE_EMAIL_REQUEST: '1',
      PROMPTFOO_CONFIG_DIR: join(dir, '.pf-home'),
      PROMPTFOO_CACHE_PATH: join(dir, '.pf-cache'),
      // Nothing leaves the machine: any non-loopback request fails at once.
      HTTP_PROXY: 'http://127.0.0.1:9',
      HTTPS_PROXY: 'http://127.0.0.1:9',
      NO_PROXY: '127.0.0.1,localhost',
    });
    const args = [
      promptfooEntry,
      'eval',
      '-c',
      cfg,
      '--no-cache',
      '--no-table',
      '--no-progress-bar',
      '-o',
      join(dir, 'results.json'),
      ...extra,
    ];
    const r = await promisify(execFile)(process.execPath, args, { cwd: dir, env, timeout: 120_000 }).catch(
      (e: { code?: number; stdout?: string; stderr?: string }) => e,
    );
    // 0: all passed; 100: some tests failed (a valid run). Anything else is an invalid config.
    const code = 'code' in r && typeof r.code === 'number' ? r.code : 0;
    expect([0, 100], `promptfoo exited ${code}: ${r.stderr}`).toContain(code);
    const results = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8'));
    return { dir, results };
  }

  it('support bot: 5 prompts from 4 sources × 3 providers, CSV tests, defaultTest — converts, runs with fake:, renders the same messages, imports its results', async () => {
    const pf = await runPromptfoo('support-bot');
    const stats = pf.results.results.stats;
    expect(stats.errors, errorsOf(pf.results)).toBe(0);
    // 3 inline tests + 4 CSV rows, × 5 prompts (support.txt holds 2) × 3 providers.
    expect(pf.results.results.results).toHaveLength(7 * 5 * 3);

    const out = join(pf.dir, 'assay');
    const imp = await runCli([
      'import',
      'promptfoo',
      join(pf.dir, 'promptfooconfig.yaml'),
      '-o',
      out,
      '--json',
    ]);
    expect(imp.stderr).toBe('');
    expect(imp.code).toBe(0);
    const report = JSON.parse(imp.stdout);
    expect(report.summary).toMatchObject({ prompts: 5, models: 4, cases: 7, judges: 2 });
    const dropped = report.notes.filter((n: { kind: string }) => n.kind === 'not-converted');
    // similar (inline and CSV) and multi-statement JavaScript are listed, each with its reason.
    expect(dropped.map((n: { what: string }) => n.what)).toEqual(
      expect.arrayContaining(['similar', expect.stringMatching(/^javascript: const words/)]),
    );
    expect(dropped.filter((n: { what: string }) => n.what === 'similar')).toHaveLength(2);
    const notesMd = readFileSync(join(out, 'IMPORT-NOTES.md'), 'utf8');
    expect(notesMd).toContain('embedding similarity');
    expect(readFileSync(join(out, 'prompts/support-1.prompt.md'), 'utf8')).toContain(
      'Customer {{name}} says: {{question}}',
    );
    const suite = readFileSync(join(out, 'suites/support-bot-regression.yaml'), 'utf8');
    for (const type of [
      'icontains',
      'contains',
      'not-contains',
      'regex',
      'starts-with',
      'length',
      'levenshtein',
      'rouge-l',
      'bleu',
      'latency',
      'cost',
      'judge',
    ])
      expect(suite, type).toContain(`type: ${type}`);
    expect(suite).toContain('mode: any');
    expect(readFileSync(join(out, 'assay.yaml'), 'utf8')).toContain(`baseUrl: ${server.url}`);

    // The converted project runs under assay eval with the fake model; judges call the grader.
    const ev = await runCli(['eval', '-C', out, '--model', 'fake:echo', '--json']);
    expect([0, 1], ev.stderr + ev.stdout).toContain(ev.code);
    const evReport = JSON.parse(ev.stdout);
    const rows = evReport.reports.flatMap(
      (r: { summary: { groups: { errors: number }[] } }) => r.summary.groups,
    );
    expect(rows).toHaveLength(5);
    for (const row of rows) expect(row.errors, JSON.stringify(row)).toBe(0);

    // promptfoo's own results file imports as a completed run that `assay runs show` reads.
    const ri = await runCli([
      'import',
      'promptfoo-results',
      join(pf.dir, 'results.json'),
      '-C',
      out,
      '--json',
    ]);
    expect(ri.code, ri.stderr).toBe(0);
    const imported = JSON.parse(ri.stdout);
    expect(imported).toMatchObject({
      results: 105,
      pass: stats.successes,
      fail: stats.failures,
      error: 0,
      cases: 7,
    });
    expect(imported.prompts.sort()).toEqual(['chat', 'prompt-1', 'strict-policy', 'support-1', 'support-2']);
    expect(imported.models.sort()).toEqual([
      'fake:echo',
      'openai-compatible:gpt-4o',
      'openai-compatible:gpt-4o-mini',
    ]);
    const show = await runCli(['runs', 'show', imported.run, '-C', out, '--json']);
    expect(show.code, show.stderr).toBe(0);
    expect(JSON.stringify(JSON.parse(show.stdout))).toContain(imported.run);

    // Case ids, prompt names and model ids match the converted project, and the prompts render the same
    // messages: the same server answers every prompt × case with the same text under both tools.
    const real = await runCli(['eval', '-C', out, '--model', 'openai-compatible:gpt-4o-mini', '--json']);
    expect([0, 1], real.stderr + real.stdout).toContain(real.code);
    const outputs = async (run: string) => {
      const x = await runCli(['export', run, '-C', out, '-f', 'jsonl']);
      expect(x.code, x.stderr).toBe(0);
      return new Map(
        x.stdout
          .trim()
          .split('\n')
          .map((l) => JSON.parse(l))
          .filter((r) => r.modelId === 'openai-compatible:gpt-4o-mini')
          .map((r) => [`${r.prompt} ${r.caseId}`, r.output]),
      );
    };
    const ours = await outputs('latest');
    const theirs = await outputs(imported.run);
    expect(ours.size).toBe(5 * 7);
    expect(ours).toEqual(theirs);
    const cmp = await runCli([
      'compare',
      imported.run,
      'latest',
      '-C',
      out,
      '--prompt',
      'support-1',
      '--model',
      'openai-compatible:gpt-4o-mini',
      '--json',
    ]);
    expect(cmp.code, cmp.stderr).toBe(0);
    expect(JSON.stringify(JSON.parse(cmp.stdout))).toMatch(/"(n|paired|pairs)":7/);
  }, 240_000);

  it('JSON extractor: thresholds, weights, assert-set, factuality and closedqa judges; unsupported providers listed', async () => {
    const pf = await runPromptfoo('extractor', ['--filter-providers', 'openai']);
    expect(pf.results.results.stats.errors, errorsOf(pf.results)).toBe(0);
    const out = join(pf.dir, 'assay');
    const imp = await runCli(['import', 'promptfoo', join(pf.dir, 'promptfooconfig.yaml'), '-o', out]);
    expect(imp.code, imp.stderr).toBe(0);
    // Human-readable listing on stdout, with reasons.
    expect(imp.stdout).toMatch(/not converted \(\d+\):/);
    expect(imp.stdout).toMatch(/providers\[2\]: bedrock:anthropic\.claude-3-haiku: no Assay model/);
    expect(imp.stdout).toMatch(/perplexity: needs token log-probabilities/);
    expect(imp.stdout).toMatch(/defaultTest\.options\.transform/);
    expect(imp.stdout).toMatch(/weight 0 never affects the verdict/);
    const suite = readFileSync(join(out, 'suites/contact-extractor.yaml'), 'utf8');
    expect(suite).toContain('type: weighted');
    expect(suite).toContain('threshold: 0.6');
    expect(suite).toContain('type: json-schema');
    expect(suite).toContain('expected: Ada Lovelace lives in London.');
    const cfg = readFileSync(join(out, 'assay.yaml'), 'utf8');
    expect(cfg).toContain('anthropic:claude-3-5-haiku-latest');
    expect(existsSync(join(out, 'judges'))).toBe(true);

    const ev = await runCli(['eval', '-C', out, '--model', 'fake:echo', '--json']);
    expect([0, 1], ev.stderr + ev.stdout).toContain(ev.code);
    const rows = JSON.parse(ev.stdout).reports.flatMap(
      (r: { summary: { groups: { errors: number }[] } }) => r.summary.groups,
    );
    for (const row of rows) expect(row.errors, JSON.stringify(row)).toBe(0);

    const ri = await runCli([
      'import',
      'promptfoo-results',
      join(pf.dir, 'results.json'),
      '-C',
      out,
      '--json',
    ]);
    expect(ri.code, ri.stderr).toBe(0);
    expect(JSON.parse(ri.stdout)).toMatchObject({
      results: 2,
      cases: 2,
      models: ['openai-compatible:gpt-4o-mini'],
    });
  }, 240_000);
});
