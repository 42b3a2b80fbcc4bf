import { wilsonInterval } from '../core/stats/wilson.ts';
import type { ResultRecord } from '../core/types.ts';
import { PLUGINS, type PluginId } from './redteam-config.ts';
import { type AttemptStrategy, LOOP_STRATEGIES, MODEL_STRATEGIES, STRATEGIES } from './strategies.ts';

/** What one red-team result means. Errors (no answer, a broken check) are never breached or held. */
export type Outcome = 'breached' | 'held' | 'unassessed' | 'answered' | 'refused';

export interface AttemptRef {
  plugin: PluginId;
  strategy: AttemptStrategy;
  kind: 'attack' | 'benign';
}

const pluginSet = new Set<string>(PLUGINS);
const strategySet = new Set<string>([...STRATEGIES, ...MODEL_STRATEGIES, ...LOOP_STRATEGIES, 'none']);

/** A red-team case's plugin and strategy, from its tags (`[redteam, PLUGIN, STRATEGY]`); else undefined. */
export function attemptOf(tags: readonly string[] | undefined): AttemptRef | undefined {
  if (!tags?.includes('redteam')) return undefined;
  const plugin = tags.find((t) => pluginSet.has(t)) as PluginId | undefined;
  const strategy = (tags.find((t) => strategySet.has(t)) ?? 'none') as AttemptStrategy;
  if (!plugin) return undefined;
  return { plugin, strategy, kind: plugin === 'over-refusal' ? 'benign' : 'attack' };
}

/**
 * Attacks: fail → breached, pass → held. Benign controls: pass → answered, fail → refused (the
 * over-refusal). An `error` result is unassessed either way.
 */
export function outcomeOf(r: Pick<ResultRecord, 'status'>, kind: 'attack' | 'benign'): Outcome {
  if (r.status === 'error') return 'unassessed';
  if (kind === 'benign') return r.status === 'pass' ? 'answered' : 'refused';
  return r.status === 'pass' ? 'held' : 'breached';
}

export interface RateRow {
  /** Plugin or strategy id. */
  key: string;
  attempts: number;
  /** Attacks: breached; benign: refused. */
  hits: number;
  /** hits + the other assessed outcome: the denominator. */
  assessed: number;
  unassessed: number;
  /** hits / assessed with its Wilson 95% interval; null when nothing was assessed. */
  rate: { estimate: number; lower: number; upper: number } | null;
}

/** Per prompt × model: attack success per plugin and per strategy, and utility under attack. */
export interface AsrGroup {
  prompt: string;
  promptVersion: string;
  modelId: string;
  /** Attacks over every plugin. */
  overall: RateRow;
  perPlugin: RateRow[];
  perStrategy: RateRow[];
  /**
   * Benign controls (over-refusal plugin): share answered, with its interval — the utility kept while
   * defending. Null when the run had no benign controls.
   */
  utility: (RateRow & { answered: number }) | null;
}

class Tally {
  attempts = 0;
  hits = 0;
  assessed = 0;
  unassessed = 0;
  add(o: Outcome): void {
    this.attempts++;
    if (o === 'unassessed') this.unassessed++;
    else {
      this.assessed++;
      if (o === 'breached' || o === 'refused') this.hits++;
    }
  }
  row(key: string): RateRow {
    const w = this.assessed > 0 ? wilsonInterval(this.hits, this.assessed) : null;
    return {
      key,
      attempts: this.attempts,
      hits: this.hits,
      assessed: this.assessed,
      unassessed: this.unassessed,
      rate: w ? { estimate: w.estimate, lower: w.lower, upper: w.upper } : null,
    };
  }
}

/** Streams results in; `groups()` gives the ASR tables. Results of non-red-team cases are ignored. */
export class AsrCollector {
  private readonly byGroup = new Map<
    string,
    {
      prompt: string;
      promptVersion: string;
      modelId: string;
      overall: Tally;
      plugins: Map<string, Tally>;
      strategies: Map<string, Tally>;
      benign: Tally;
    }
  >();

  add(r: ResultRecord): void {
    const ref = attemptOf(r.tags);
    if (!ref) return;
    const key = `${r.prompt}\u0000${r.promptVersion}\u0000${r.modelId}`;
    let g = this.byGroup.get(key);
    if (!g) {
      g = {
        prompt: r.prompt,
        promptVersion: r.promptVersion,
        modelId: r.modelId,
        overall: new Tally(),
        plugins: new Map(),
        strategies: new Map(),
        benign: new Tally(),
      };
      this.byGroup.set(key, g);
    }
    const o = outcomeOf(r, ref.kind);
    if (ref.kind === 'benign') {
      g.benign.add(o);
      return;
    }
    g.overall.add(o);
    const bump = (m: Map<string, Tally>, k: string) => {
      let t = m.get(k);
      if (!t) {
        t = new Tally();
        m.set(k, t);
      }
      t.add(o);
    };
    bump(g.plugins, ref.plugin);
    bump(g.strategies, ref.strategy);
  }

  groups(): AsrGroup[] {
    const order = (keys: readonly string[]) => (a: RateRow, b: RateRow) =>
      keys.indexOf(a.key) - keys.indexOf(b.key);
    return [...this.byGroup.values()].map((g) => {
      const benign = g.benign.row('over-refusal');
      return {
        prompt: g.prompt,
        promptVersion: g.promptVersion,
        modelId: g.modelId,
        overall: g.overall.row('all attacks'),
        perPlugin: [...g.plugins].map(([k, t]) => t.row(k)).sort(order(PLUGINS)),
        perStrategy: [...g.strategies]
          .map(([k, t]) => t.row(k))
          .sort(order(['none', ...STRATEGIES, ...MODEL_STRATEGIES, ...LOOP_STRATEGIES])),
        utility:
          benign.attempts === 0
            ? null
            : {
                ...benign,
                answered: benign.assessed - benign.hits,
                rate:
                  benign.assessed > 0
                    ? (({ estimate, lower, upper }) => ({ estimate, lower, upper }))(
                        wilsonInterval(benign.assessed - benign.hits, benign.assessed),
                      )
                    : null,
              },
      };
    });
  }
}
