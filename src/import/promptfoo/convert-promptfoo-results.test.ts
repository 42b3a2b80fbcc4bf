import { describe, expect, it } from 'vitest';
import { convertPromptfooResults } from './convert-promptfoo-results.ts';

/** A promptfoo results file (format 3) trimmed to the fields the importer reads. */
function results(rows: Record<string, unknown>[]) {
  return {
    evalId: 'eval-abc',
    metadata: { promptfooVersion: '0.123.1' },
    config: {
      description: 'Smoke test',
      prompts: ['Say {{x}}', 'file:///tmp/p.txt'],
      providers: [
        { id: 'openai:chat:gpt-4o-mini', label: 'mini', config: { apiBaseUrl: 'http://127.0.0.1:1/v1' } },
        'echo',
      ],
    },
    results: {
      version: 3,
      timestamp: '2026-12-01T10:00:00.000Z',
      prompts: [
        { raw: 'Say {{x}}', label: 'Say {{x}}', provider: 'mini' },
        { raw: 'A {{x}}', label: 'p.txt: A {{x}}', provider: 'mini' },
        { raw: 'B {{x}}', label: 'p.txt: B {{x}}', provider: 'mini' },
      ],
      results: rows,
    },
  };
}

const row = (over: Record<string, unknown>) => ({
  promptIdx: 0,
  testIdx: 0,
  prompt: { raw: 'Say hi', label: 'Say {{x}}' },
  provider: { id: 'openai:chat:gpt-4o-mini', label: 'mini' },
  response: { output: 'hi', tokenUsage: { prompt: 3, completion: 1, total: 4 }, cached: false },
  success: true,
  score: 1,
  latencyMs: 12,
  cost: 0.0001,
  testCase: { description: 'Greets' },
  gradingResult: {
    componentResults: [
      { pass: true, score: 1, reason: 'Assertion passed', assertion: { type: 'contains', metric: 'greet' } },
    ],
  },
  failureReason: 0,
  ...over,
});

describe('convertPromptfooResults', () => {
  it('maps rows to results with the names the config importer gives', () => {
    const run = convertPromptfooResults(
      results([
        row({}),
        row({
          promptIdx: 1,
          prompt: { raw: 'A hi', label: 'p.txt: A {{x}}' },
          success: false,
          score: 0,
          failureReason: 1,
        }),
        row({
          promptIdx: 2,
          prompt: { raw: 'B hi', label: 'p.txt: B {{x}}' },
          provider: { id: 'echo', label: '' },
          cost: undefined,
        }),
        row({
          testIdx: 1,
          testCase: {},
          error: 'HTTP 500',
          gradingResult: null,
          failureReason: 2,
          response: undefined,
        }),
      ]),
      'results.json',
    );
    expect(run.results.map((r) => [r.prompt, r.modelId, r.caseId, r.status])).toEqual([
      ['prompt-1', 'openai-compatible:gpt-4o-mini', 'greets', 'pass'],
      ['p-1', 'openai-compatible:gpt-4o-mini', 'greets', 'fail'],
      ['p-2', 'fake:echo', 'greets', 'pass'],
      ['prompt-1', 'openai-compatible:gpt-4o-mini', 'test-2', 'error'],
    ]);
    expect(run.results[0]).toMatchObject({
      output: 'hi',
      usage: { inputTokens: 3, outputTokens: 1, totalTokens: 4 },
      latencyMs: 12,
      cost: 0.0001,
      checks: [{ type: 'contains', name: 'greet', pass: true, score: 1, reason: 'Assertion passed' }],
      createdAt: '2026-12-01T10:00:00.000Z',
    });
    expect(run.results[2]?.cost).toBeNull();
    expect(run.results[3]?.error).toEqual({ kind: 'server', message: 'HTTP 500' });
    expect(run.manifest).toMatchObject({
      project: 'smoke-test',
      suite: { name: 'smoke-test', file: 'results.json', cases: 2 },
      packages: { promptfoo: '0.123.1' },
      repeats: 1,
    });
    expect(run.manifest.prompts.map((p) => p.name)).toEqual(['prompt-1', 'p-1', 'p-2']);
  });

  it('rows repeating a prompt × model × case become repeats', () => {
    const run = convertPromptfooResults(
      results([row({}), row({ testIdx: 1, testCase: { description: 'Greets' } })]),
      'r.json',
    );
    // Two tests with the same description get distinct ids, as the config importer gives them.
    expect(run.results.map((r) => [r.caseId, r.repeat])).toEqual([
      ['greets', 0],
      ['greets-2', 0],
    ]);
    const rep = convertPromptfooResults(results([row({}), row({})]), 'r.json');
    expect(rep.results.map((r) => r.repeat)).toEqual([0, 1]);
    expect(rep.manifest.repeats).toBe(2);
  });

  it('anything else is a usage error naming the file (exit 2)', () => {
    expect(() => convertPromptfooResults({ foo: 1 }, 'x.json')).toThrow(
      /x\.json: not a promptfoo results file/,
    );
    expect(() => convertPromptfooResults(results([]), 'x.json')).toThrow(/holds no results/);
    const old = results([row({})]);
    old.results.version = 2;
    expect(() => convertPromptfooResults(old, 'x.json')).toThrow(/format version 2 is not supported/);
  });
});
