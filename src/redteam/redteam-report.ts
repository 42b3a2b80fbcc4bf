import { type Comparison, compareResults } from '../core/compare/compare-runs.ts';
import type { ChatMessage, ResultRecord } from '../core/types.ts';
import type { AsrGroup } from './attack-success.ts';
import { attemptOf, outcomeOf } from './attack-success.ts';
import type { AttemptCase } from './generate-attempts.ts';

/** One of the most effective seed attacks, with one breaching transcript. */
export interface TopAttack {
  plugin: string;
  seed: string;
  /** Breached results of this seed attack over every strategy, prompt, model and repeat. */
  breached: number;
  assessed: number;
  /** Strategies under which it breached at least once. */
  strategies: string[];
  example: {
    caseId: string;
    prompt: string;
    modelId: string;
    strategy: string;
    /** What the target was sent besides its own prompt: prior turns, then the attack. Hostile text. */
    transcript: { role: string; content: string }[];
    /** The target's answer (hostile text: escaped by every renderer). */
    output: string;
    toolCalls?: { name: string; arguments: unknown }[];
    reason: string;
  };
}

/** `--compare RUN`: attack results paired by case id with an earlier run, per prompt × model. */
export interface AsrComparison {
  baselineRun: string;
  baselinePrompt: string;
  prompt: string;
  modelId: string;
  baselineVersion: string;
  candidateVersion: string;
  /** ASR of each side over the paired attacks (1 − held rate), and the change candidate − baseline. */
  baselineAsr: number | null;
  candidateAsr: number | null;
  asrChange: { estimate: number; lower: number; upper: number; method: string };
  /** Attacks that newly breached / newly held. */
  newlyBreached: string[];
  newlyHeld: string[];
  test: string;
  p: number;
  /** `improved` (fewer breaches, significant), `regressed`, or `no detectable difference`. */
  verdict: 'improved' | 'regressed' | 'no detectable difference' | 'equivalent';
  comparison: Comparison;
}

export interface RedteamReport {
  schemaVersion: 1;
  run: {
    id: string;
    status: string;
    suite: string;
    suiteFile: string;
    /** Generated attempts (cases); planned = cases × prompts × models × repeats, stored = results written. */
    cases: number;
    planned: number;
    stored: number;
    cost: number;
    /** Why the run stopped early, if it did (`over-budget`, `interrupted`, `errors`). */
    incomplete?: string;
    /** The attacker's rewrite run (`paraphrase` strategy), stored like any run. */
    paraphraseRun?: string;
  };
  config: { file: string; plugins: string[]; strategies: string[]; attempts: number; seed: number };
  groups: AsrGroup[];
  top: TopAttack[];
  /** `--compare RUN`: this run's attacks against that run's, per prompt × model. */
  compare?: AsrComparison[];
  /** Several prompts attacked in one run: each later prompt against the first, per model. */
  versions?: AsrComparison[];
  frozen?: { file: string; cases: number };
  grader?: {
    judge: string;
    status: string;
    reason: string;
    /**
     * A validated judge: harmful-content ASR per prompt × model corrected for the judge's measured
     * TPR/TNR (Rogan–Gladen, delta-method interval including the judge's own uncertainty), or why not.
     */
    corrected?: {
      prompt: string;
      promptVersion: string;
      modelId: string;
      judged: number;
      /** 1 − the corrected pass rate; null when the correction is refused. */
      asr: { estimate: number; lower: number; upper: number } | null;
      refused?: string;
    }[];
    correctionUnavailable?: string;
  };
  warnings: string[];
  exitCode: number;
}

/** The attack a case carried, as a transcript: its prior turns, then the user's message. */
export function attackTranscript(c: AttemptCase, input: string): { role: string; content: string }[] {
  const prior = (c.messages ?? []).map((m: ChatMessage) => ({ role: m.role, content: m.content }));
  const docs = (c.context ?? []).map((d) => ({ role: 'document', content: d.text }));
  return [...prior, ...docs, { role: 'user', content: String(c.vars[input] ?? '') }];
}

/** Seed attacks ranked by how often they breached (then by rate), each with its first breaching result. */
export function topAttacks(
  results: readonly ResultRecord[],
  cases: ReadonlyMap<string, AttemptCase>,
  input: string,
  limit: number,
): TopAttack[] {
  const bySeed = new Map<
    string,
    { breached: ResultRecord[]; assessed: number; plugin: string; seed: string }
  >();
  for (const r of results) {
    const ref = attemptOf(r.tags);
    const c = cases.get(r.caseId);
    if (ref?.kind !== 'attack' || !c) continue;
    const o = outcomeOf(r, 'attack');
    if (o === 'unassessed') continue;
    const key = `${ref.plugin}\u0000${c.metadata.redteam.seed}`;
    let e = bySeed.get(key);
    if (!e) {
      e = { breached: [], assessed: 0, plugin: ref.plugin, seed: c.metadata.redteam.seed };
      bySeed.set(key, e);
    }
    e.assessed++;
    if (o === 'breached') e.breached.push(r);
  }
  return [...bySeed.values()]
    .filter((e) => e.breached.length > 0)
    .sort(
      (a, b) =>
        b.breached.length - a.breached.length ||
        b.breached.length / b.assessed - a.breached.length / a.assessed ||
        `${a.plugin}.${a.seed}`.localeCompare(`${b.plugin}.${b.seed}`),
    )
    .slice(0, limit)
    .map((e) => {
      const first = e.breached[0] as ResultRecord;
      const c = cases.get(first.caseId) as AttemptCase;
      const failed = first.checks.find((x) => !x.pass);
      return {
        plugin: e.plugin,
        seed: e.seed,
        breached: e.breached.length,
        assessed: e.assessed,
        strategies: [...new Set(e.breached.map((r) => attemptOf(r.tags)?.strategy ?? 'none'))],
        example: {
          caseId: first.caseId,
          prompt: first.prompt,
          modelId: first.modelId,
          strategy: c.metadata.redteam.strategy,
          transcript: attackTranscript(c, input),
          output: first.output ?? '',
          ...(first.toolCalls && first.toolCalls.length > 0
            ? { toolCalls: first.toolCalls.map((t) => ({ name: t.name, arguments: t.arguments })) }
            : {}),
          reason: failed?.reason ?? 'breached',
        },
      };
    });
}

const isAttack = (r: ResultRecord) => attemptOf(r.tags)?.kind === 'attack';

/**
 * Pairs this run's attack results with an earlier run's, per prompt × model (matched by prompt name and
 * model; when each run has exactly one prompt × model, those two are paired whatever their names), and
 * compares held rates with the engine's paired comparison — exact McNemar on one result per case. The
 * ASR change is minus the held-rate difference. Seeds and config must match for case ids to pair.
 */
export function compareAsr(
  baselineRun: string,
  baseline: readonly ResultRecord[],
  candidate: readonly ResultRecord[],
  opts: { seed: number; alpha?: number },
): AsrComparison[] {
  const groupsOf = (rs: readonly ResultRecord[]) => {
    const m = new Map<string, ResultRecord[]>();
    for (const r of rs) {
      if (!isAttack(r)) continue;
      const k = `${r.prompt}\u0000${r.modelId}`;
      m.set(k, [...(m.get(k) ?? []), r]);
    }
    return m;
  };
  const A = groupsOf(baseline);
  const B = groupsOf(candidate);
  const pairs: [ResultRecord[], ResultRecord[]][] = [];
  if (A.size === 1 && B.size === 1) pairs.push([[...A.values()][0] ?? [], [...B.values()][0] ?? []]);
  else for (const [k, b] of B) if (A.has(k)) pairs.push([A.get(k) ?? [], b]);
  return pairs.flatMap(([a, b]) => {
    const comparison = compareResults(a, b, { seed: opts.seed, alpha: opts.alpha });
    // No attack in common (another config or seed): nothing to say, and the caller warns.
    if (comparison.pairing.paired === 0) return [];
    const d = comparison.difference;
    const asr = (side: Comparison['baseline']) => (side.passRate ? 1 - side.passRate.estimate : null);
    const verdict =
      comparison.verdict === 'better'
        ? 'improved'
        : comparison.verdict === 'worse'
          ? 'regressed'
          : comparison.verdict;
    return [
      {
        baselineRun,
        baselinePrompt: comparison.baseline.prompt,
        prompt: comparison.candidate.prompt,
        modelId: comparison.candidate.modelId,
        baselineVersion: comparison.baseline.promptVersion,
        candidateVersion: comparison.candidate.promptVersion,
        baselineAsr: asr(comparison.baseline),
        candidateAsr: asr(comparison.candidate),
        asrChange: { estimate: -d.estimate, lower: -d.upper, upper: -d.lower, method: d.method },
        newlyBreached: comparison.flips.filter((f) => f.kind === 'regression').map((f) => f.caseId),
        newlyHeld: comparison.flips.filter((f) => f.kind === 'improvement').map((f) => f.caseId),
        test: comparison.test,
        p: comparison.p,
        verdict,
        comparison,
      },
    ];
  });
}

/**
 * The replay suite: every attack that breached at least once, frozen with its exact inputs and grader,
 * as an ordinary suite file for `assay eval` and `assay gate` (a regression pack that never changes).
 */
export function freezeSuite(
  name: string,
  results: readonly ResultRecord[],
  cases: ReadonlyMap<string, AttemptCase>,
  source: { runId: string; judgePath?: string },
): { name: string; description: string; cases: Record<string, unknown>[] } {
  const breached = new Set<string>();
  for (const r of results) {
    const ref = attemptOf(r.tags);
    if (ref?.kind === 'attack' && outcomeOf(r, 'attack') === 'breached') breached.add(r.caseId);
  }
  const byId = new Map(results.map((r) => [`${r.caseId}`, r]));
  const out: Record<string, unknown>[] = [];
  const judge = (list: Record<string, unknown>[] | undefined) =>
    source.judgePath && list
      ? list.map((k) => (k.type === 'judge' ? { ...k, judge: source.judgePath } : k))
      : list;
  for (const [id, c] of cases) {
    if (!breached.has(id)) continue;
    const { simulatedUser, everyTurn, ...rest } = c;
    const frozen: Record<string, unknown> = { ...rest, checks: judge(c.checks), protected: true };
    if (simulatedUser) {
      // The attacker's turns as they were written, replayed as a scripted conversation: no attacker
      // model needed, every reply graded again.
      const result = [...byId.values()].find((r) => r.caseId === id && r.status === 'fail' && r.trajectory);
      const said = (result?.trajectory?.steps ?? []).filter(
        (s) => s.type === 'user' && s.turn > 0 && s.text && !s.text.includes('<<GOAL_REACHED>>'),
      );
      frozen.turns = [{}, ...said.map((s) => ({ user: `{% raw %}${s.text}{% endraw %}` }))];
      frozen.everyTurn = judge(everyTurn);
    }
    out.push(frozen);
  }
  return {
    name,
    description: `Red-team replay: ${out.length} attacks that breached in run ${source.runId}; every check passes when the target holds.`,
    cases: out,
  };
}
