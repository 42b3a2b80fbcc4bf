import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningApp, startApp } from '../../examples/app-target/app.ts';
import { evaluate } from '../../src/app/evaluate.ts';
import { writeFiles } from '../cli/cli-harness.ts';

/**
 * Targets through `evaluate()`, answering from the case's vars: every case renders the same messages,
 * so only vars (in the request and in the cache key) tell them apart. Relies on the engine giving each
 * call `vars` and `caseId` (ModelRequest and `lane.cacheKey`) and taking `response.cost` when set.
 */

let app: RunningApp;
let dir: string;

beforeAll(async () => {
  app = await startApp();
  dir = mkdtempSync(join(tmpdir(), 'assay-targets-eval-'));
  writeFiles(dir, {
    'assay.yaml': `prompts: [prompts/*.prompt.md]
suites: [suites/s.yaml]
models:
  - id: http:app
    url: ${app.url}/chat
    body: { question: "{{ vars.question }}" }
    response: { output: $.answer, usage: $.usage }
    price: 0.01
  - file:targets/echo.ts#answer
`,
    'prompts/ask.prompt.md': '---\nname: ask\n---\n# user\nAnswer the customer.\n',
    'suites/s.yaml': `name: s
cases:
  - id: refund
    vars: { question: "Can I get a refund?" }
    checks: [{ icontains: "30 days" }]
  - id: shipping
    vars: { question: "When does it ship?" }
    checks: [{ icontains: "business days" }]
  - id: other
    vars: { question: "Gift cards?" }
    checks: [{ icontains: "30 days" }]
`,
    'targets/echo.ts': `export function answer(input: { vars: { question: string }; caseId: string }) {
  return { output: \`\${input.caseId}: \${input.vars.question}\`, cost: 0.5 };
}
`,
  });
});
afterAll(async () => {
  await app?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('targets under evaluate()', () => {
  it('send each case its own vars, cost their price, and cache per case', async () => {
    const first = await evaluate({ cwd: dir, env: {} });
    const http = first.report.summary.groups.find((g) => g.modelId === 'http:app');
    const file = first.report.summary.groups.find((g) => g.modelId === 'file:targets/echo.ts#answer');
    expect(http).toMatchObject({ total: 3, passed: 2, failed: 1, errors: 0, cost: 0.03 });
    expect(file).toMatchObject({ total: 3, errors: 0, cost: 1.5 });
    expect(app.requests).toBe(3);

    const second = await evaluate({ cwd: dir, env: {} });
    expect(app.requests).toBe(3);
    const again = second.report.summary.groups.find((g) => g.modelId === 'http:app');
    // Same messages, different vars: a cache keyed by messages alone would give one answer to all three.
    expect(again).toMatchObject({ total: 3, passed: 2, failed: 1, cached: 3 });
  });
});
