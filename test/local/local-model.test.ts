import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluate } from '../../src/app/evaluate.ts';
import type { ResultRecord } from '../../src/core/types.ts';
import { closeLocalModels } from '../../src/models/local/local-model.ts';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { writeTinyGguf } from '../../src/test-helpers/make-tiny-gguf.ts';
import { withNoNetwork } from '../../src/test-helpers/with-no-network.ts';
import { writeFiles } from '../cli/cli-harness.ts';

// A normal evaluate() of a project whose model is a tiny GGUF generated here (it answers "Hi!" to any
// prompt), run on the real node-llama-cpp, with the network cut off.

const SYSTEM = 'Be brief.';
const schema = `outputSchema:
  type: object
  required: [verdict, ok]
  additionalProperties: false
  properties:
    verdict: { enum: [pass, fail] }
    ok: { type: boolean }`;

let dir: string;
let results: ResultRecord[];
let exitCode: number;
let packages: Record<string, string>;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'assay-local-e2e-'));
  writeTinyGguf(join(dir, 'tiny.gguf'));
  writeFiles(dir, {
    'assay.yaml': `name: local-e2e
prompts: [prompts/*.prompt.md]
suites:
  - file: suites/hello.yaml
    prompts: [plain, chat]
  - file: suites/verdict.yaml
    prompts: [verdict]
models:
  - id: local:./tiny.gguf
    threads: 1
defaults:
  concurrency: 8
`,
    'prompts/plain.prompt.md':
      '---\nname: plain\nvariables: { message: string }\n---\n# user\n{{ message }}\n',
    'prompts/chat.prompt.md': `---\nname: chat\nvariables: { message: string }\n---\n# system\n${SYSTEM}\n\n# user\n{{ message }}\n`,
    'prompts/verdict.prompt.md': `---\nname: verdict\nsettings: { maxTokens: 60 }\nvariables: { message: string }\n${schema}\n---\n# user\n{{ message }}\n`,
    'suites/hello.yaml': `name: hello
cases:
  - id: hello
    vars: { message: "Hello?" }
    checks: [{ equals: "Hi!" }]
  - id: again
    vars: { message: "Are you there?" }
    checks: [{ equals: "Hi!" }]
`,
    'suites/verdict.yaml': `name: verdict
defaults:
  checks: [{ is-json: {} }, { json-schema: {} }]
cases:
  - id: one
    vars: { message: "Judge this." }
  - id: two
    vars: { message: "And this one?" }
`,
  });
  const r = await withNoNetwork(() => evaluate({ cwd: dir }));
  exitCode = r.exitCode;
  packages = {};
  const store = openSqliteStore(join(dir, '.assay/assay.db'));
  results = [];
  try {
    for (const rep of r.reports) {
      for await (const x of store.iterateResults(rep.run.id)) results.push(x);
      packages = { ...packages, ...(await store.getRun(rep.run.id))?.manifest.packages };
    }
  } finally {
    await store.close();
  }
});
afterAll(async () => {
  await closeLocalModels();
  rmSync(dir, { recursive: true, force: true });
});

const of = (prompt: string) => results.filter((r) => r.prompt === prompt);

describe('assay eval with a local: model, offline', () => {
  it('runs every case and passes', () => {
    expect(results.map((r) => r.status)).toEqual(Array(6).fill('pass'));
    expect(exitCode).toBe(0);
  });

  it('plain completion: the programmed answer, token usage from the tokenizer, $0', () => {
    for (const r of of('plain')) {
      expect(r.output).toBe('Hi!');
      expect(r.usage.outputTokens).toBe(4);
      expect(r.usage.inputTokens).toBeGreaterThan(0);
      expect(r.cost).toBe(0);
      expect(r.latencyMs).toBeGreaterThan(0);
    }
  });

  it('chat with a system prompt: the system prompt is sent as given, and nothing else is added', () => {
    const plain = of('plain').find((r) => r.caseId === 'hello');
    const chat = of('chat').find((r) => r.caseId === 'hello');
    expect(chat?.output).toBe('Hi!');
    // ChatML adds "<|im_start|>system\n" + "Be brief." + "<|im_end|>\n": 1 + 7 + 9 + 1 + 1 tokens (one per
    // byte or special token in this vocabulary) — no default system prompt of the runtime.
    expect((chat?.usage.inputTokens ?? 0) - (plain?.usage.inputTokens ?? 0)).toBe(1 + 7 + SYSTEM.length + 2);
  });

  it('structured output: the JSON-schema grammar makes a model that says "Hi!" answer valid JSON', () => {
    for (const r of of('verdict')) {
      const value = JSON.parse(r.output ?? '');
      expect(Object.keys(value).sort()).toEqual(['ok', 'verdict']);
      expect(['pass', 'fail']).toContain(value.verdict);
      expect(typeof value.ok).toBe('boolean');
      expect(r.checks.map((c) => [c.type, c.pass])).toEqual([
        ['is-json', true],
        ['json-schema', true],
      ]);
    }
  });

  it('records the runtime version in the run manifest', () => {
    expect(packages['node-llama-cpp']).toBe('3.21.1');
  });
});
