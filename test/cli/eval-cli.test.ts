import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../src/test-helpers/test-server.ts';
import { cleanEnv, repoRoot, runCli, scratchProject, writeFiles } from './cli-harness.ts';

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
  it('main job: with no model configured, exits 2 at once and names the ways out', async () => {
    const r = await runCli(['eval', '-C', join(repoRoot, 'examples/support')], { env: cleanEnv() });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no model is configured/);
    expect(r.stderr).toMatch(/Ways out/);
    expect(r.stderr).toMatch(/OPENAI_API_KEY/);
    expect(r.stderr).toMatch(/openai-compatible:/);
    expect(r.stderr).toMatch(/fake:echo/);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(r.ms).toBeLessThan(10_000);
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
      expect(json.results).toHaveLength(8);
      expect(json.report.summary.total).toBe(8);
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
