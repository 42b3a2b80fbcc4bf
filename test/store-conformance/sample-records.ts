import type { ResultRecord, RunManifest } from '../../src/core/types.ts';

/** A complete, realistic run manifest for store tests. */
export function sampleManifest(overrides: Partial<RunManifest> = {}): RunManifest {
  return {
    schemaVersion: 1,
    project: 'support-bot',
    prompts: [
      {
        name: 'triage',
        version: 'v1abc',
        file: 'prompts/triage.prompt.md',
        source: '---\nmodel: fake:echo\n---\nHi',
      },
    ],
    suite: { name: 'triage', file: 'suites/triage.yaml', hash: 'h123', cases: 3 },
    models: [{ id: 'fake:echo', settings: { temperature: 0, maxTokens: 256 } }],
    repeats: 1,
    seed: 42,
    packages: { assay: '0.1.0', ai: '7.0.0' },
    priceTable: { package: '@pydantic/genai-prices', version: '0.1.8' },
    git: { commit: 'deadbeef', dirty: false },
    node: 'v24.0.0',
    createdAt: '2025-01-01T00:00:00.000Z',
    options: { concurrency: 4, timeoutMs: 60_000, maxRetries: 2, cache: true },
    ...overrides,
  };
}

/** A result with every required field; pass overrides for the rest. */
export function sampleResult(
  overrides: Partial<ResultRecord> & { runId: string; caseId: string },
): ResultRecord {
  return {
    prompt: 'triage',
    promptVersion: 'v1abc',
    modelId: 'fake:echo',
    repeat: 0,
    status: 'pass',
    checks: [{ type: 'contains', pass: true, reason: 'found "refund"' }],
    usage: { inputTokens: 10, outputTokens: 5, totalTokens: 15 },
    cost: 0.001,
    attempts: 1,
    cached: false,
    createdAt: '2025-01-01T00:00:01.000Z',
    ...overrides,
  };
}
