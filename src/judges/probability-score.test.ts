import { describe, expect, it } from 'vitest';
import type { TokenLogprob } from '../models/model-port.ts';
import { probabilityScore } from './probability-score.ts';

const tok = (token: string, top: Record<string, number> = {}, logprob?: number): TokenLogprob => ({
  token,
  logprob: logprob ?? Math.log(top[token] ?? 1),
  top: Object.entries(top).map(([t, p]) => ({ token: t, logprob: Math.log(p) })),
});

const PREFIX = '{"reasoning": "ok", "score": ';

describe('probabilityScore', () => {
  it('Σ p(s)·s over the digit tokens at the score position', () => {
    const r = probabilityScore(`${PREFIX}4}`, [
      tok(PREFIX),
      tok('4', { '4': 0.6, '5': 0.3, '3': 0.1 }),
      tok('}'),
    ]);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.weighted).toBeCloseTo(4.2, 12);
    expect(r.distribution).toEqual({
      '1': 0,
      '2': 0,
      '3': expect.closeTo(0.1, 12),
      '4': expect.closeTo(0.6, 12),
      '5': expect.closeTo(0.3, 12),
    });
  });

  it('normalises over the five score tokens only; whitespace variants of a digit add up', () => {
    const r = probabilityScore(`${PREFIX}4 }`, [
      tok(PREFIX),
      tok('4', { '4': 0.4, ' 4': 0.1, '5': 0.25, x: 0.25 }),
      tok(' }'),
    ]);
    expect(r.ok && r.weighted).toBeCloseTo((0.5 * 4 + 0.25 * 5) / 0.75, 12);
  });

  it('a digit sharing its token with the closing brace: alternatives with the digit in its place count', () => {
    // Tokens `": ` + `4}`; alternatives `5}` and `3}`.
    const text = `${PREFIX}4}`;
    const r = probabilityScore(text, [tok(PREFIX), tok('4}', { '4}': 0.5, '5}': 0.5, '}}': 0.2 })]);
    expect(r.ok && r.weighted).toBeCloseTo(4.5, 12);
  });

  it('the sampled token counts even when it is not among the alternatives', () => {
    const r = probabilityScore(`${PREFIX}2}`, [
      tok(PREFIX),
      tok('2', { '3': 0.25 }, Math.log(0.75)),
      tok('}'),
    ]);
    expect(r.ok && r.weighted).toBeCloseTo(2.25, 12);
  });

  it('finds the digit from the end, inside a fenced block, whatever the earlier tokens spell', () => {
    const text = `\`\`\`json\n${PREFIX}5}\n\`\`\``;
    const r = probabilityScore(text, [
      tok('garbage'),
      tok('5', { '5': 0.9, '4': 0.1 }),
      tok('}\n'),
      tok('```'),
    ]);
    expect(r.ok && r.weighted).toBeCloseTo(4.9, 12);
  });

  it('says why when it cannot: no logprobs, misaligned tokens, no score at the end', () => {
    expect(probabilityScore(`${PREFIX}4}`, undefined)).toEqual({
      ok: false,
      why: 'no log-probabilities in the reply',
    });
    expect(probabilityScore(`${PREFIX}4}`, [tok(PREFIX), tok('x}')])).toMatchObject({
      ok: false,
      why: /line up/,
    });
    expect(probabilityScore(`${PREFIX}4}`, [tok('}')])).toMatchObject({ ok: false, why: /do not reach/ });
    expect(probabilityScore('{"score": 4, "reasoning": "x"}', [tok('x')])).toMatchObject({ ok: false });
  });
});
