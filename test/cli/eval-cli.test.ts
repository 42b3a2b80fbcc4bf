import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluate } from '../../src/app/evaluate.ts';
import { AssayError } from '../../src/core/errors.ts';
import { DEFAULT_LOCAL_MODEL } from '../../src/models/local/default-local-model.ts';
import { modelCachePath, writeSidecar } from '../../src/models/local/model-cache.ts';
import { writeTinyGguf } from '../../src/test-helpers/make-tiny-gguf.ts';
import { startTestServer, type TestServer } from '../../src/test-helpers/test-server.ts';
import { withNoNetwork } from '../../src/test-helpers/with-no-network.ts';
import { closedPort } from '../local/model-file-server.ts';
import { cleanEnv, repoRoot, runCli, scratchProject, waitCli, writeFiles } from './cli-harness.ts';

let server: TestServer;
beforeAll(async () => {
  // Answers like a well-behaved support bot / triage model so the example suite mostly passes.
  server = await startTestServer({
    respond: (body: { messages: { role: string; content: string }[] }) => {
      const system = body.messages[0]?.content ?? '';
      const last = body.messages.at(-1)?.content ?? '';
      if (system.startsWith('Classify')) {
        if (/smoke/i.test(last)) return '{"category":"product","urgency":"high","needs_human":true}';
        if (/money back|broken/i.test(last))
          return '{"category":"refund","urgency":"normal","needs_human":false}';
        return '{"category":"other","urgency":"low","needs_human":false}';
      }
      if (/smoking|sparked/i.test(last))
        return "I'm escalating this to a human agent. Summary: toaster smoking.";
      return 'Happy to help! You can return items within 30 days of delivery for a full refund.';
    },
  });
});
afterAll(async () => {
  await server?.close();
});

function compatArgs(): string[] {
  return ['--model', 'openai-compatible:test', '--base-url', server.url];
}

describe('assay eval (CLI, real HTTP)', () => {
  it('main job: `npm run example` pulls the default model first; offline it fails fast (exit 3) with the clear message', async () => {
    const models = mkdtempSync(join(tmpdir(), 'assay-models-'));
    try {
      const port = await closedPort(); // loopback, refused: the test never leaves this machine
      const r = await waitCli(
        spawn('bash', [join(repoRoot, 'scripts/example.sh')], {
          cwd: repoRoot,
          env: cleanEnv({ ASSAY_HF_ENDPOINT: `http://127.0.0.1:${port}`, ASSAY_MODELS_DIR: models }),
          stdio: ['ignore', 'pipe', 'pipe'],
        }),
      );
      expect(r.code).toBe(3);
      expect(r.stderr).toContain(`pulling ${DEFAULT_LOCAL_MODEL.uri}`);
      expect(r.stderr).toMatch(
        new RegExp(
          `assay: cannot reach 127\\.0\\.0\\.1:${port}: connection refused — check your connection, or download the file yourself \\(http://127\\.0\\.0\\.1:${port}/Qwen/Qwen2\\.5-0\\.5B-Instruct-GGUF/resolve/[0-9a-f]{40}/qwen2\\.5-0\\.5b-instruct-q4_k_m\\.gguf\\) and point local: at it`,
        ),
      );
      expect(r.stderr).toMatch(/the example was not evaluated: it needs a model.*--model fake:echo/);
      expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
      expect(r.stdout).toBe('');
      expect(r.ms).toBeLessThan(10_000);
      expect(readdirSync(models)).toEqual([]); // nothing half-written for a download that never started
    } finally {
      rmSync(models, { recursive: true, force: true });
    }
  });

  it('with no model configured and the default model not pulled, `assay eval` exits 2 at once (no network wait), naming the ways out', async () => {
    const models = mkdtempSync(join(tmpdir(), 'assay-models-'));
    try {
      const r = await runCli(['eval', '-C', join(repoRoot, 'examples/support')], {
        env: cleanEnv({ ASSAY_MODELS_DIR: models }),
      });
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(
        /^assay: assay\.yaml: models: no model is configured and the default local model has not been pulled, so there is nothing to evaluate with\.\nWays out:\n/,
      );
      expect(r.stderr).toContain(
        `pull the default local model once (${DEFAULT_LOCAL_MODEL.uri}, 491 MB, Apache-2.0): \`assay models pull\``,
      );
      expect(r.stderr).toContain('`assay eval --model local:/path/to/model.gguf`');
      expect(r.stderr).toMatch(/export OPENAI_API_KEY=.*`assay eval --model openai:gpt-4o-mini`/);
      expect(r.stderr).toContain(
        '`assay eval --model openai-compatible:llama3.2 --base-url http://127.0.0.1:11434/v1`',
      );
      expect(r.stderr).toContain('`assay eval --model fake:echo`');
      expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
      expect(r.stdout).toBe('');
      // The whole process (Node start, loading the sources, the project and one stat in the cache).
      // Fails fast, never waiting on a network timeout (8 s); loose because CI runs the suite in parallel.
      expect(r.ms).toBeLessThan(5_000);
    } finally {
      rmSync(models, { recursive: true, force: true });
    }
  });

  it('with OPENAI_API_KEY set and no model configured, still exits 2 and makes no outbound connection', async () => {
    const models = mkdtempSync(join(tmpdir(), 'assay-models-'));
    try {
      const env = cleanEnv({ OPENAI_API_KEY: 'sk-test-not-a-real-key', ASSAY_MODELS_DIR: models });
      const t0 = performance.now();
      const err = await withNoNetwork(() =>
        evaluate({ cwd: join(repoRoot, 'examples/support'), env }).then(
          () => undefined,
          (e: unknown) => e,
        ),
      ); // withNoNetwork throws a NetworkAttemptError if anything tried to leave the machine
      expect(performance.now() - t0).toBeLessThan(1_000);
      expect(err).toBeInstanceOf(AssayError);
      expect((err as AssayError).exitCode).toBe(2);
      expect((err as Error).message).toMatch(
        /no model is configured and the default local model has not been pulled/,
      );
      const cli = await runCli(['eval', '-C', join(repoRoot, 'examples/support')], { env });
      expect(cli.code).toBe(2);
      expect(cli.stderr).toMatch(/no model is configured/);
    } finally {
      rmSync(models, { recursive: true, force: true });
    }
  });

  it('with the default model pulled, `assay eval` on the example with no model configured uses local:default', async () => {
    const models = mkdtempSync(join(tmpdir(), 'assay-models-'));
    const p = scratchProject();
    try {
      const file = writeTinyGguf(modelCachePath('default', { cacheDir: models }), { reply: 'Hi!' });
      await writeSidecar(file, {
        uri: DEFAULT_LOCAL_MODEL.uri,
        url: 'test',
        sha256: createHash('sha256').update(readFileSync(file)).digest('hex'),
        verified: false,
        size: statSync(file).size,
        pulledAt: new Date().toISOString(),
      });
      const r = await runCli(['eval', '-C', p.dir, '--json'], {
        env: cleanEnv({ ASSAY_MODELS_DIR: models }),
      });
      expect([0, 1]).toContain(r.code);
      const out = JSON.parse(r.stdout);
      const ids = out.reports.flatMap((x: { summary: { groups: { modelId: string; total: number }[] } }) =>
        x.summary.groups.map((g) => g.modelId),
      );
      expect(new Set(ids)).toEqual(new Set(['local:default']));
      expect(r.stderr).toBe('');
    } finally {
      p.cleanup();
      rmSync(models, { recursive: true, force: true });
    }
  });

  it('a hosted model without its key exits 2 before any call, naming the variable and the ways out', async () => {
    const p = scratchProject();
    try {
      const r = await runCli(['eval', '-C', p.dir, '--model', 'openai:gpt-4o-mini'], { env: cleanEnv() });
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/OPENAI_API_KEY/);
      expect(r.stderr).toMatch(/Ways out/);
    } finally {
      p.cleanup();
    }
  });

  it('evaluates the example end to end against an OpenAI-compatible server', async () => {
    const p = scratchProject();
    try {
      const before = server.requests;
      const r = await runCli(['eval', '-C', p.dir, ...compatArgs()]);
      expect(r.stderr).toBe('');
      expect([0, 1]).toContain(r.code);
      expect(r.stdout).toMatch(/pass rate \[95% CI Wilson\]/);
      expect(r.stdout).toMatch(/support@[0-9a-f]{12}/);
      expect(r.stdout).toMatch(/triage@[0-9a-f]{12}/);
      expect(r.stdout).toMatch(/by category/);
      expect(r.stdout).toMatch(/adversarial/);
      expect(server.requests - before).toBe(12); // 8 support cases + 4 triage cases

      // second identical run: everything from the cache, zero requests
      const again = await runCli(['eval', '-C', p.dir, ...compatArgs(), '--json']);
      expect(server.requests - before).toBe(12);
      const out = JSON.parse(again.stdout);
      expect(out.reports.map((r: { run: { suite: { name: string } } }) => r.run.suite.name)).toEqual([
        'support',
        'triage',
      ]);
      const groups = out.reports.flatMap(
        (r: { summary: { groups: { cached: number; total: number }[] } }) => r.summary.groups,
      );
      expect(groups.reduce((n: number, g: { total: number }) => n + g.total, 0)).toBe(12);
      expect(groups.reduce((n: number, g: { cached: number }) => n + g.cached, 0)).toBe(12);

      const list = JSON.parse((await runCli(['runs', 'list', '-C', p.dir, '--json'])).stdout);
      expect(list.runs).toHaveLength(4); // one run per suite, two evals
      const show = await runCli(['runs', 'show', list.runs[0].id.slice(0, 6), '-C', p.dir]);
      expect(show.code).toBe(0);
      expect(show.stdout).toMatch(/suite/);
      expect(show.stdout).toMatch(/prices\s+@pydantic\/genai-prices@/);
    } finally {
      p.cleanup();
    }
  });

  it('exports JSON, JSONL, CSV and JUnit XML', async () => {
    const p = scratchProject();
    try {
      await runCli(['eval', '-C', p.dir, ...compatArgs()]);
      // latest = the triage run (4 cases); the support run is the one before it
      const jsonl = await runCli(['export', 'latest', '-C', p.dir, '--format', 'jsonl']);
      expect(jsonl.stdout.trim().split('\n')).toHaveLength(4);
      const support = JSON.parse((await runCli(['runs', 'list', '-C', p.dir, '--json'])).stdout).runs[1].id;
      const json = JSON.parse((await runCli(['export', support, '-C', p.dir, '--format', 'json'])).stdout);
      expect(json.runs).toHaveLength(1);
      expect(json.runs[0].results).toHaveLength(8);
      expect(json.runs[0].report.summary.total).toBe(8);
      const csv = await runCli(['export', '-C', p.dir, '-f', 'csv']);
      expect(csv.stdout.split('\n')[0]).toMatch(/^run_id,prompt,prompt_version,model_id,case_id/);
      const out = join(p.dir, 'junit.xml');
      const junit = await runCli(['export', support, '-C', p.dir, '-f', 'junit', '-o', out, '--json']);
      expect(JSON.parse(junit.stdout)).toMatchObject({ format: 'junit', results: 8 });
      const xml = readFileSync(out, 'utf8');
      expect(xml).toMatch(/^<\?xml/);
      expect((xml.match(/<testcase /g) ?? []).length).toBe(8);
      expect(xml).toMatch(/<testsuites [^>]*tests="8"/);
    } finally {
      p.cleanup();
    }
  });

  it('eval -o writes every run of the eval (both suites) into one JUnit / JSON / CSV file', async () => {
    const p = scratchProject();
    try {
      const before = server.requests;
      const r = await runCli([
        'eval',
        '-C',
        p.dir,
        ...compatArgs(),
        '-o',
        'out/results.xml',
        'all.json',
        'all.csv',
      ]);
      expect(r.code).toBe(2); // out/ does not exist: a clear usage error before any call
      expect(r.stderr).toMatch(/cannot write .*results\.xml: its folder does not exist/);
      expect(server.requests).toBe(before);
      const ok = await runCli([
        'eval',
        '-C',
        p.dir,
        ...compatArgs(),
        '-o',
        'results.xml',
        'all.json',
        'all.csv',
      ]);
      expect(ok.code).toBe(0);
      const xml = readFileSync(join(p.dir, 'results.xml'), 'utf8');
      expect((xml.match(/<testcase /g) ?? []).length).toBe(12);
      expect((xml.match(/<testsuite /g) ?? []).length).toBe(2);
      expect(xml).toMatch(/<testsuite name="support: support@/);
      expect(xml).toMatch(/<testsuite name="triage: triage@/);
      const json = JSON.parse(readFileSync(join(p.dir, 'all.json'), 'utf8'));
      expect(json.runs.map((x: { results: unknown[] }) => x.results.length)).toEqual([8, 4]);
      expect(readFileSync(join(p.dir, 'all.csv'), 'utf8').trim().split('\n')).toHaveLength(13);
      const bad = await runCli(['eval', '-C', p.dir, ...compatArgs(), '-o', 'results.txt']);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toMatch(/\.json, \.jsonl, \.csv or \.xml/);
    } finally {
      p.cleanup();
    }
  });

  it('threshold not met → exit 1; --dry-run sends nothing', async () => {
    const p = scratchProject();
    try {
      const before = server.requests;
      const dry = await runCli(['eval', '-C', p.dir, ...compatArgs(), '--dry-run', '--json']);
      expect(dry.code).toBe(0);
      const est = JSON.parse(dry.stdout).dryRun;
      expect(est.perModel).toHaveLength(1);
      expect(est.calls).toBe(12);
      expect(est.cost).toBeNull(); // openai-compatible has no known price
      expect(server.requests).toBe(before);
      // the echo model repeats the question, so the support bot's checks mostly fail
      const r = await runCli(['eval', '-C', p.dir, '--model', 'fake:echo', '--threshold', '90%']);
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(/threshold 90\.0% for support × fake:echo: \d+\.\d% — NOT met/);
      // some but not all checks pass on some cases: a mean-score line under the group's row
      expect(r.stdout).toMatch(
        /\n {2}mean score \d\.\d\d \[\d\.\d\d, \d\.\d\d\] bootstrap percentile \(n = 8, 10000 resamples, seed \d+\) · sd \d\.\d\d · median \d\.\d\d\n/,
      );
      const ok = await runCli(['eval', '-C', p.dir, ...compatArgs(), '--threshold', '1']);
      expect(ok.code).toBe(0); // the scripted server answers every case correctly
    } finally {
      p.cleanup();
    }
  });

  it('usage errors exit 2 without a stack trace', async () => {
    const bad = await runCli(['eval', '--repeat', 'zero']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/whole number/);
    const unknown = await runCli(['evaluate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown command/);
    const p = scratchProject(false);
    try {
      const noConfig = await runCli(['eval', '-C', p.dir]);
      expect(noConfig.code).toBe(2);
      expect(noConfig.stderr).toMatch(/assay init/);
      expect(noConfig.stderr).not.toMatch(/\n\s+at /);
      writeFiles(p.dir, { 'assay.yaml': 'prompts: [p.prompt.md]\nsuites: [s.yaml]\nmodels: [fake:echo]\n' });
      const missing = await runCli(['eval', '-C', p.dir, '--json']);
      expect(missing.code).toBe(2);
      expect(JSON.parse(missing.stdout).error.message).toMatch(/p\.prompt\.md/);
    } finally {
      p.cleanup();
    }
  });

  it('init scaffolds a project that evaluates with the fake model', async () => {
    const p = scratchProject(false);
    try {
      const init = await runCli(['init', p.dir]);
      expect(init.code).toBe(0);
      expect(init.stdout).toMatch(/assay\.yaml/);
      const again = await runCli(['init', p.dir]);
      expect(again.code).toBe(2);
      expect(again.stderr).toMatch(/--force/);
      const r = await runCli(['eval', '-C', p.dir, '--model', 'fake:echo']);
      expect([0, 1]).toContain(r.code);
      expect(r.stdout).toMatch(/fake:echo/);
      const withModel = scratchProject(false);
      try {
        await runCli(['init', withModel.dir, '--model', 'fake:echo']);
        expect(readFileSync(join(withModel.dir, 'assay.yaml'), 'utf8')).toMatch(/models:\n {2}- fake:echo/);
      } finally {
        withModel.cleanup();
      }
    } finally {
      p.cleanup();
    }
  });

  it('init offers a vendor model when its key is set, but never writes it silently', async () => {
    const p = scratchProject(false);
    try {
      const r = await runCli(['init', p.dir], { env: cleanEnv({ OPENAI_API_KEY: 'sk-test' }) });
      expect(r.code).toBe(0);
      expect(r.stderr).toMatch(/OPENAI_API_KEY is set/);
      expect(readFileSync(join(p.dir, 'assay.yaml'), 'utf8')).toMatch(/^models: \[\]$/m);
    } finally {
      p.cleanup();
    }
  });
});
