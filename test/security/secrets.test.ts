import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluate } from '../../src/app/evaluate.ts';
import { plantSecret, scanForSecret } from '../../src/test-helpers/scan-for-secret.ts';
import { startTestServer, type TestServer } from '../../src/test-helpers/test-server.ts';
import { withNoNetwork } from '../../src/test-helpers/with-no-network.ts';
import { cleanEnv, runCli, scratchProject } from '../cli/cli-harness.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.close();
});

describe('secrets never reach an artefact', () => {
  it('a planted API key is sent to the model but found in no store, cache, log, export or report', async () => {
    const secret = plantSecret();
    const p = scratchProject();
    try {
      writeFileSync(
        join(p.dir, 'assay.yaml'),
        [
          'prompts: [prompts/*.prompt.md]',
          'suites:',
          '  - file: suites/support.yaml',
          '    prompts: [support]',
          'models:',
          '  - id: openai-compatible:secure',
          `    baseUrl: ${server.url}`,
          '    apiKeyEnv: ACME_LLM_KEY',
          // biome-ignore lint/suspicious/noTemplateCurlyInString: Assay's own ${ENV} header syntax, not JS
          '    headers: { x-team-token: "${ACME_LLM_KEY}" }',
        ].join('\n'),
      );
      const env = cleanEnv({ ACME_LLM_KEY: secret });
      const logs: string[] = [];
      const ev = await runCli(['eval', '-C', p.dir], { env });
      logs.push(ev.stdout, ev.stderr);
      // a failing call must not leak it either
      server.queueFaults([
        { status: 500 },
        { status: 500 },
        { status: 500 },
        { status: 500 },
        { status: 500 },
      ]);
      const ev2 = await runCli(['eval', '-C', p.dir, '--no-cache', '--max-retries', '0', '--json'], { env });
      logs.push(ev2.stdout, ev2.stderr);
      expect(server.lastHeaders?.authorization).toBe(`Bearer ${secret}`);
      expect(server.lastHeaders?.['x-team-token']).toBe(secret);
      for (const f of ['json', 'jsonl', 'csv', 'junit']) {
        const ex = await runCli(['export', '-C', p.dir, '-f', f, '-o', join(p.dir, `export.${f}`)], { env });
        logs.push(ex.stdout, ex.stderr);
      }
      for (const cmd of [
        ['runs', 'list'],
        ['runs', 'show', 'latest', '--json'],
      ]) {
        const r = await runCli([...cmd, '-C', p.dir], { env });
        logs.push(r.stdout, r.stderr);
      }
      writeFileSync(join(p.dir, 'console.log'), logs.join('\n'));
      expect(await scanForSecret(secret, [p.dir])).toEqual([]);
    } finally {
      p.cleanup();
    }
  });

  it('an eval with the fake model makes no network connection at all', async () => {
    const p = scratchProject();
    try {
      const { reports } = await withNoNetwork(() =>
        evaluate({ cwd: p.dir, models: ['fake:echo'], env: cleanEnv() }),
      );
      expect(reports.reduce((n, r) => n + r.summary.total, 0)).toBe(12);
    } finally {
      p.cleanup();
    }
  });
});
