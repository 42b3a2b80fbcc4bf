import { describe, expect, it } from 'vitest';
import { lengthBias, lengthBiasWarning } from './length-bias.ts';

// Lengths in rank order 1..5, so ρ = 1 − 6Σd²/(n(n² − 1)) = 1 − Σd²/20 with d the verdict rank − position.
const lengths = [120, 340, 560, 800, 1500];
const human = [2, 4, 1, 5, 3]; // Σd² = 14 → ρ = 0.3

describe('lengthBias', () => {
  it('flags a judge that rewards length more than the annotators', () => {
    const b = lengthBias([1, 2, 3, 4, 5], human, lengths);
    expect(b.n).toBe(5);
    expect(b.judge).toBeCloseTo(1, 12);
    expect(b.human).toBeCloseTo(0.3, 12);
    expect(b.bias).toBe('rewards');
    expect(lengthBiasWarning(b)).toBe(
      'length bias: the judge rewards length more than the annotators do (Spearman ρ with output length 1.00 for the judge, 0.30 for the humans; n = 5)',
    );
  });

  it('flags a judge that penalises length more than the annotators', () => {
    const b = lengthBias([5, 4, 3, 2, 1], human, lengths);
    expect(b.judge).toBeCloseTo(-1, 12);
    expect(b.bias).toBe('penalises');
    expect(lengthBiasWarning(b)).toMatch(
      /^length bias: the judge penalises length more than the annotators do/,
    );
  });

  it('fires exactly on the boundary: ρ 0.5 vs 0.3', () => {
    const b = lengthBias([1, 3, 5, 2, 4], human, lengths); // Σd² = 10 → ρ = 0.5
    expect(b.judge).toBeCloseTo(0.5, 12);
    expect(b.bias).toBe('rewards');
  });

  it('stays quiet when |ρ_judge| < 0.3, or the gap is under 0.2', () => {
    // ρ_judge = 0.2 (Σd² = 16) although the humans penalise length (ρ = −1)
    expect(lengthBias([4, 1, 2, 5, 3], [5, 4, 3, 2, 1], lengths).bias).toBeUndefined();
    // ρ_judge = 0.5, ρ_human = 0.4 (Σd² = 12)
    const b = lengthBias([1, 3, 5, 2, 4], [1, 5, 2, 3, 4], lengths);
    expect(b.human).toBeCloseTo(0.4, 12);
    expect(b.bias).toBeUndefined();
    expect(lengthBiasWarning(b)).toBeUndefined();
  });

  it('does not call a judge that tracks length less than its annotators biased', () => {
    const b = lengthBias(human, [1, 2, 3, 4, 5], lengths); // ρ_judge 0.3, ρ_human 1
    expect(b.judge).toBeCloseTo(0.3, 12);
    expect(b.bias).toBeUndefined();
  });

  it('reports the correlation of the judge − human residual with length', () => {
    const b = lengthBias([1, 2, 3, 4, 5], [1, 1, 1, 1, 1], lengths);
    expect(b.residual).toBeCloseTo(1, 12);
    expect(lengthBias([1, 2, 3, 4, 5], [1, 2, 3, 4, 5], lengths).residual).toBeNaN();
  });

  it('treats human verdicts that do not vary as no length preference', () => {
    const b = lengthBias([0, 0, 1, 1, 1], [1, 1, 1, 1, 1], lengths);
    expect(b.human).toBeNaN();
    // pass/fail verdicts: ranks 1.5, 1.5, 4, 4, 4 against 1..5 → ρ = 7.5/√(7.5·10) = √3/2
    expect(b.judge).toBeCloseTo(Math.sqrt(3) / 2, 12);
    expect(b.bias).toBe('rewards');
    expect(lengthBiasWarning(b)).toMatch(
      /0\.87 for the judge, none for the humans, whose verdicts do not vary; n = 5\)$/,
    );
  });

  it('never flags when the judge verdicts or the lengths do not vary, or n < 2', () => {
    const constant = lengthBias([1, 1, 1, 1, 1], human, lengths);
    expect(constant.judge).toBeNaN();
    expect(constant.bias).toBeUndefined();
    expect(lengthBias([1, 2, 3, 4, 5], human, [9, 9, 9, 9, 9]).bias).toBeUndefined();
    expect(lengthBias([3], [4], [10]).bias).toBeUndefined();
  });

  it('rejects unpaired inputs', () => {
    expect(() => lengthBias([1, 2], [1, 2], [3])).toThrow(/pair up: 2, 2, 1/);
  });
});
