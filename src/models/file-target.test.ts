import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../core/config/parse-config.ts';
import { ConfigError } from '../core/errors.ts';
import { ModelCallError, type ModelRequest } from './model-port.ts';
import { createModelRegistry } from './model-registry.ts';

let root: string;
let outside: string;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'assay-file-target-'));
  outside = mkdtempSync(join(tmpdir(), 'assay-outside-'));
  mkdirSync(join(root, 'targets'));
  writeFileSync(
    join(root, 'targets/app.ts'),
    `let calls = 0;
export async function answer(input: { vars: Record<string, unknown>; prompt: string; caseId: string; messages: unknown[]; signal: AbortSignal }) {
  return \`\${input.caseId}: \${String(input.vars.question)} / \${input.prompt} / \${input.messages.length} / \${input.signal instanceof AbortSignal}\`;
}
export const detailed = () => ({
  output: 'with extras',
  toolCalls: [{ name: 'lookup', arguments: { id: 1 } }],
  usage: { input_tokens: 10, output_tokens: 4 },
  cost: 0.25,
});
export function fails() { throw new Error('database is down\\u001b[2J'); }
export function flaky() {
  calls++;
  if (calls === 1) throw Object.assign(new Error('busy'), { retryable: true, retryAfterMs: 50 });
  return 'ok';
}
export const badReturn = () => 42;
export default () => 'default export';
`,
  );
  writeFileSync(join(outside, 'evil.ts'), 'export const answer = () => "x";\n');
  symlinkSync(join(outside, 'evil.ts'), join(root, 'targets/link.ts'));
});
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
  rmSync(outside, { recursive: true, force: true });
});

/** The port of one `file:` target, resolved from an assay.yaml (so errors carry its line). */
function resolveTarget(id: string, extra = '') {
  const { config } = parseConfig(
    `prompts: [p.prompt.md]\nsuites: [s.yaml]\nmodels:\n  - fake:echo\n  - id: "${id}"${extra}\n`,
    'assay.yaml',
  );
  return createModelRegistry(config.models, { root, env: {} }).resolve(id);
}

function resolveError(id: string): ConfigError {
  try {
    resolveTarget(id);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return e as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

const request: ModelRequest = {
  messages: [{ role: 'user', content: 'Where is it?' }],
  settings: {},
  vars: { question: 'Where is my parcel?' },
  caseId: 'c1',
};

describe('file: targets', () => {
  it('calls the exported function with vars, prompt, messages, caseId and a signal', async () => {
    const port = resolveTarget('file:targets/app.ts#answer');
    expect(port.keyByVars).toBe(true);
    const r = await port.generate(request);
    expect(r).toMatchObject({
      text: 'c1: Where is my parcel? / Where is it? / 1 / true',
      toolCalls: [],
    });
    expect(r.cost).toBeUndefined(); // unpriced: the engine prices it by tokens ($0 unless a prices file says)
    expect(r.latencyMs).toBeGreaterThanOrEqual(0);
  });

  it('takes output, tool calls, usage and cost from an object; a configured price applies otherwise', async () => {
    const r = await resolveTarget('file:targets/app.ts#detailed').generate(request);
    expect(r).toMatchObject({
      text: 'with extras',
      toolCalls: [{ name: 'lookup', arguments: { id: 1 } }],
      usage: { inputTokens: 10, outputTokens: 4, totalTokens: 14 },
      cost: 0.25,
    });
    const priced = await resolveTarget('file:targets/app.ts', '\n    price: 0.01').generate(request);
    expect(priced).toMatchObject({ text: 'default export', cost: 0.01 });
  });

  it('a thrown error is a non-retryable error with a printable message, unless it says retryable', async () => {
    const e = await resolveTarget('file:targets/app.ts#fails')
      .generate(request)
      .catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ModelCallError);
    expect(e).toMatchObject({ kind: 'client', retryable: false });
    expect((e as Error).message).toBe('file:targets/app.ts#fails: database is down\\u001b[2J');
    const flaky = resolveTarget('file:targets/app.ts#flaky');
    const first = await flaky.generate(request).catch((x: unknown) => x);
    expect(first).toMatchObject({ kind: 'server', retryable: true, retryAfterMs: 50 });
    expect((await flaky.generate(request)).text).toBe('ok');
  });

  it('a return value of the wrong shape is a non-retryable bad response saying what was expected', async () => {
    const e = await resolveTarget('file:targets/app.ts#badReturn')
      .generate(request)
      .catch((x: unknown) => x);
    expect(e).toMatchObject({ kind: 'bad-response', retryable: false });
    expect((e as Error).message).toContain('returned number; expected a string, or { output: string');
  });

  it('an unknown export, a missing file or a file outside the project is a config error at its line', () => {
    const missing = resolveError('file:targets/app.ts#anwser');
    expect(missing.info).toMatchObject({ file: 'assay.yaml', line: 5, field: 'models[1].id' });
    expect(missing.message).toContain("'targets/app.ts' has no export 'anwser'");
    expect(missing.message).toContain(
      "one of its exports: answer, badReturn, detailed, fails, flaky. did you mean 'answer'?",
    );
    expect(resolveError('file:targets/nope.ts#answer').message).toMatch(
      /assay\.yaml:5:\d+: models\[1\]\.id: target file 'targets\/nope\.ts' not found/,
    );
    expect(resolveError('file:../escape.ts#answer').message).toContain('is outside the project');
    expect(resolveError('file:targets/link.ts#answer').message).toContain('is outside the project');
  });
});
