import { compileSchema } from '../core/checks/compile-schema.ts';
import { type GroupConsistency, paraphraseConsistency } from '../core/stats/paraphrase-consistency.ts';
import { type StructuredFunnel, StructuredFunnelTally } from '../core/stats/structured-funnel.ts';
import type { JsonSchema, ResultRecord, RunManifest } from '../core/types.ts';

/** The output schema a run's prompt version was evaluated with, from the manifest's canonical source. */
export function manifestOutputSchema(source: string): JsonSchema | undefined {
  try {
    const parsed = JSON.parse(source) as { outputSchema?: unknown };
    const s = parsed.outputSchema;
    return typeof s === 'object' && s !== null && !Array.isArray(s) ? (s as JsonSchema) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Folds a run's results, as they stream past, into the structured-output funnel of every prompt × model
 * whose prompt has an output schema, and the paraphrase consistency of every prompt × model whose cases
 * declare clusters. Memory: counts per group, one number per compared field, and one entry per clustered
 * case.
 */
export class OutputStatsCollector {
  private readonly validators = new Map<string, ReturnType<typeof compileSchema>>();
  private readonly funnels = new Map<string, StructuredFunnelTally>();
  private readonly clustered = new Map<
    string,
    Map<string, { cluster: string; passed: number; scored: number }>
  >();
  readonly warnings: string[] = [];
  private readonly expected?: ReadonlyMap<string, unknown>;

  constructor(manifest: RunManifest, expected?: ReadonlyMap<string, unknown>) {
    this.expected = expected;
    for (const p of manifest.prompts) {
      const schema = manifestOutputSchema(p.source);
      if (!schema) continue;
      const compiled = compileSchema(schema);
      if (!compiled.ok)
        this.warnings.push(
          `structured-output funnel: the output schema of ${p.name}@${p.version} does not compile (${compiled.error}); no funnel for it`,
        );
      this.validators.set(p.version, compiled);
    }
  }

  add(r: ResultRecord): void {
    const key = `${r.promptVersion}\u0000${r.modelId}`;
    const compiled = this.validators.get(r.promptVersion);
    if (compiled?.ok) {
      let tally = this.funnels.get(key);
      if (!tally) {
        tally = new StructuredFunnelTally(
          { prompt: r.prompt, promptVersion: r.promptVersion, modelId: r.modelId },
          compiled.validate,
        );
        this.funnels.set(key, tally);
      }
      tally.add(r, this.expected?.get(r.caseId));
    }
    if (r.cluster !== undefined && r.status !== 'error') {
      let cases = this.clustered.get(key);
      if (!cases) {
        cases = new Map();
        this.clustered.set(key, cases);
      }
      const c = cases.get(r.caseId) ?? { cluster: r.cluster, passed: 0, scored: 0 };
      cases.set(r.caseId, c);
      c.scored++;
      if (r.status === 'pass') c.passed++;
    }
  }

  /** Funnels and consistency in the order of `groups` (the summary's prompt × model order). */
  finish(groups: readonly { prompt: string; promptVersion: string; modelId: string }[]): {
    structured: StructuredFunnel[];
    consistency: GroupConsistency[];
  } {
    const structured: StructuredFunnel[] = [];
    const consistency: GroupConsistency[] = [];
    for (const g of groups) {
      const key = `${g.promptVersion}\u0000${g.modelId}`;
      const tally = this.funnels.get(key);
      if (tally) structured.push(tally.finish());
      const cases = this.clustered.get(key);
      const c = cases && paraphraseConsistency([...cases].map(([caseId, v]) => ({ caseId, ...v })));
      if (c) consistency.push({ prompt: g.prompt, promptVersion: g.promptVersion, modelId: g.modelId, ...c });
    }
    return { structured, consistency };
  }
}
