import type { TokenLogprob } from '../models/model-port.ts';

/** The judge's 1-5 score as an expectation over the score digit's token probabilities (G-Eval). */
export interface ProbabilityScore {
  /** p(score = s) for s = 1…5, normalised over those five tokens. */
  distribution: Record<'1' | '2' | '3' | '4' | '5', number>;
  /** Σ p(s)·s, in [1, 5]. */
  weighted: number;
}

export type ProbabilityScoreResult = ({ ok: true } & ProbabilityScore) | { ok: false; why: string };

/** `"score": D }` at the end of the reply (a fenced block's closing fence allowed): D is the sampled digit. */
const SCORE_AT_END = /("score"\s*:\s*)([1-5])(\s*\}\s*(?:```)?\s*)$/;

/**
 * Reads the score digit's distribution from the reply's token log-probabilities. The digit is located
 * from the end of the reply (score is the last key, so only `}` and an optional fence follow it), which
 * stays exact even when earlier tokens are byte pieces that do not spell the text. Alternatives count
 * for digit d when they are the sampled token with d in the digit's place (`4}` → `5}`) or d alone
 * with whitespace (` 5`); probabilities of tokens for the same digit add up.
 */
export function probabilityScore(
  text: string,
  logprobs: readonly TokenLogprob[] | undefined,
): ProbabilityScoreResult {
  if (!logprobs || logprobs.length === 0) return { ok: false, why: 'no log-probabilities in the reply' };
  const m = SCORE_AT_END.exec(text);
  if (!m) return { ok: false, why: 'the score is not a single digit at the end of the reply' };
  const suffixLength = (m[3] as string).length;
  let after = 0;
  let at = -1;
  for (let i = logprobs.length - 1; i >= 0; i--) {
    const len = (logprobs[i] as TokenLogprob).token.length;
    if (after + len > suffixLength) {
      at = i;
      break;
    }
    after += len;
  }
  if (at < 0) return { ok: false, why: 'the log-probabilities do not reach the score' };
  const sampled = logprobs[at] as TokenLogprob;
  const index = sampled.token.length - 1 - (suffixLength - after);
  if (sampled.token[index] !== m[2])
    return { ok: false, why: 'the log-probabilities do not line up with the reply text' };
  const prefix = sampled.token.slice(0, index);
  const suffix = sampled.token.slice(index + 1);
  const digitOf = (token: string): number | undefined => {
    if (token.length === sampled.token.length && token.startsWith(prefix) && token.endsWith(suffix)) {
      const d = token[index] as string;
      if (/^[1-5]$/.test(d)) return Number(d);
    }
    const t = token.trim();
    return /^[1-5]$/.test(t) ? Number(t) : undefined;
  };
  const seen = new Set<string>();
  const mass = [0, 0, 0, 0, 0];
  for (const alt of [...sampled.top, { token: sampled.token, logprob: sampled.logprob }]) {
    if (seen.has(alt.token)) continue;
    seen.add(alt.token);
    const d = digitOf(alt.token);
    if (d !== undefined) mass[d - 1] = (mass[d - 1] as number) + Math.exp(alt.logprob);
  }
  const total = mass.reduce((a, b) => a + b, 0);
  if (!(total > 0)) return { ok: false, why: 'no probability on the score tokens 1-5' };
  const p = mass.map((x) => x / total);
  const distribution = {
    '1': p[0],
    '2': p[1],
    '3': p[2],
    '4': p[3],
    '5': p[4],
  } as ProbabilityScore['distribution'];
  const weighted = p.reduce((s, x, i) => s + x * (i + 1), 0);
  return { ok: true, distribution, weighted };
}
