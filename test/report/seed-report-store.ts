import type { ResultRecord, ResultStatus, RunManifest } from '../../src/core/types.ts';
import type { Store } from '../../src/store/store.ts';

/** A complete manifest for a seeded run (what the engine records), with overridable fields. */
export function seedManifest(over: Partial<RunManifest> = {}): RunManifest {
  return {
    schemaVersion: 1,
    project: 'report-test',
    prompts: [
      { name: 'bot', version: 'a1b2c3d4e5f6', file: 'prompts/bot.prompt.md', source: '# user\n{{ q }}' },
    ],
    suite: { name: 'main', file: 'suites/main.yaml', hash: 'suitehash0001', cases: 0 },
    models: [{ id: 'fake:bot', settings: { temperature: 0 } }],
    repeats: 1,
    seed: 7,
    packages: { assay: '0.1.0' },
    priceTable: { package: '@pydantic/genai-prices', version: '0.1.8' },
    git: { commit: '0123456789abcdef0123456789abcdef01234567', dirty: false },
    node: 'v24.0.0',
    createdAt: '2026-12-01T10:00:00.000Z',
    options: { concurrency: 8, timeoutMs: 30000, maxRetries: 2, cache: true },
    ...over,
  };
}

export interface SeedOptions {
  id: string;
  cases: number;
  repeats?: number;
  manifest?: Partial<RunManifest>;
  /** Status of case i, repeat j (default: every 10th case fails). */
  status?: (i: number, j: number) => ResultStatus;
  output?: (i: number, j: number) => string;
  caseId?: (i: number) => string;
  category?: (i: number) => string;
  /** Results per writeResults call. */
  batch?: number;
  /** Override any field of result (i, j). */
  patch?: (i: number, j: number) => Partial<ResultRecord>;
}

/**
 * Writes a finished run straight into a store, as the engine would, in batches: no project, no model.
 * Realistic records (~540-character outputs, three checks, usage, latency, cost).
 */
export async function seedRun(store: Store, o: SeedOptions): Promise<void> {
  const repeats = o.repeats ?? 1;
  const manifest = seedManifest({
    repeats,
    ...o.manifest,
    suite: { ...seedManifest().suite, cases: o.cases, ...o.manifest?.suite },
  });
  await store.createRun({ id: o.id, manifest, planned: o.cases * repeats });
  const status = o.status ?? ((i: number) => (i % 10 === 3 ? 'fail' : 'pass'));
  const defaultOutput = 'Thanks for reaching out! I have started a refund for order #1234. '.repeat(8);
  const batch = o.batch ?? 500;
  const prompt = manifest.prompts[0] as RunManifest['prompts'][number];
  const model = (manifest.models[0] as RunManifest['models'][number]).id;
  let buf: ResultRecord[] = [];
  for (let i = 0; i < o.cases; i++)
    for (let j = 0; j < repeats; j++) {
      const s = status(i, j);
      buf.push({
        runId: o.id,
        prompt: prompt.name,
        promptVersion: prompt.version,
        modelId: model,
        caseId: o.caseId ? o.caseId(i) : `case-${String(i).padStart(6, '0')}`,
        repeat: j,
        status: s,
        output: s === 'error' ? undefined : (o.output?.(i, j) ?? defaultOutput),
        checks:
          s === 'error'
            ? []
            : [
                {
                  type: 'contains',
                  pass: s === 'pass',
                  reason: s === 'pass' ? 'found "refund"' : 'no "refund"',
                },
                { type: 'json-schema', pass: true, score: 1, reason: 'valid' },
              ],
        ...(s === 'error'
          ? { error: { kind: 'server' as const, message: 'HTTP 500 from the provider' } }
          : {}),
        usage: { inputTokens: 812, outputTokens: 140, totalTokens: 952 },
        latencyMs: 300 + ((i * 37 + j * 11) % 700),
        cost: 0.000206,
        attempts: 1,
        cached: false,
        category: o.category ? o.category(i) : i % 4 === 0 ? 'edge' : 'representative',
        createdAt: '2026-12-01T10:00:01.000Z',
        ...o.patch?.(i, j),
      });
      if (buf.length >= batch) {
        await store.writeResults(buf);
        buf = [];
      }
    }
  if (buf.length) await store.writeResults(buf);
  await store.setRunStatus(o.id, 'completed');
}
