import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../src/test-helpers/test-server.ts';
import { runCli, scratchProject, writeFiles } from '../cli/cli-harness.ts';

/** The back-off log reaches the user: in the terminal summary and in `--json`. */

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ rateLimit: { perSecond: 40 }, latencyMs: 5 });
});
afterAll(async () => {
  await server?.close();
});

describe('assay eval against a rate-limited server', () => {
  it('completes with zero errors and logs each back-off, in text and in --json', async () => {
    const { dir, cleanup } = scratchProject(false);
    try {
      writeFiles(dir, {
        'assay.yaml': [
          'prompts: [q.prompt.md]',
          'suites: [cases.jsonl]',
          'models:',
          '  - id: openai-compatible:test',
          `    baseUrl: ${server.url}`,
          '    concurrency: 16',
          'defaults:',
          '  maxRetries: 10',
          '  checks:',
          '    - contains: "number"',
        ].join('\n'),
        'q.prompt.md': '---\nvariables:\n  n: number\n---\nSay the number {{ n }}.\n',
        'cases.jsonl': `${Array.from({ length: 100 }, (_, i) => JSON.stringify({ id: `c${i}`, vars: { n: i } })).join('\n')}\n`,
      });
      const json = await runCli(['eval', '--json'], { cwd: dir });
      expect(json.code).toBe(0);
      const out = JSON.parse(json.stdout) as {
        reports: {
          summary: { errors: number };
          throttling?: { modelId: string; rateLimited: number; log: string; changes: unknown[] }[];
        }[];
      };
      const report = out.reports[0];
      expect(report?.summary.errors).toBe(0);
      const t = report?.throttling?.[0];
      expect(t?.modelId).toBe('openai-compatible:test');
      expect(t?.rateLimited).toBeGreaterThan(0);
      expect(t?.log).toMatch(/backed off to \d+ after 429 at \d\d:\d\d:\d\d/);

      server.reset();
      const text = await runCli(['eval', '--no-cache'], { cwd: dir });
      expect(text.code).toBe(0);
      expect(text.stdout).toMatch(
        /throttling: openai-compatible:test: 429 ×\d+; backed off to \d+ after 429 at \d\d:\d\d:\d\d/,
      );
      expect(text.stdout).toContain('0 errors');
    } finally {
      cleanup();
    }
  }, 60_000);
});
