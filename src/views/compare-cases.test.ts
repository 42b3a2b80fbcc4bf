import { describe, expect, it } from 'vitest';
import type { ResultStatus } from '../core/types.ts';
import { compareCases, compareKind } from './compare-cases.ts';

const r = (caseId: string, status: ResultStatus, output = caseId, repeat = 0) => ({
  caseId,
  status,
  output,
  repeat,
});

describe('compareKind', () => {
  it('classifies by per-case pass rate, errors left out', () => {
    expect(compareKind([r('x', 'pass')], [r('x', 'fail')])).toBe('regressed');
    expect(compareKind([r('x', 'fail')], [r('x', 'pass')])).toBe('improved');
    expect(compareKind([r('x', 'pass')], [r('x', 'pass')])).toBe('unchanged-pass');
    expect(compareKind([r('x', 'fail')], [r('x', 'fail')])).toBe('unchanged-fail');
    expect(compareKind([r('x', 'error')], [r('x', 'pass')])).toBe('error');
    expect(compareKind([r('x', 'pass')], [r('x', 'error')])).toBe('error');
    // Repeats: 2/3 → 1/3 is a regression; 1/2 on both sides is flaky; an errored repeat does not count.
    const rep = (statuses: ResultStatus[]) => statuses.map((s, i) => r('x', s, 'o', i));
    expect(compareKind(rep(['pass', 'pass', 'fail']), rep(['pass', 'fail', 'fail']))).toBe('regressed');
    expect(compareKind(rep(['pass', 'fail']), rep(['fail', 'pass']))).toBe('flaky');
    expect(compareKind(rep(['pass', 'error']), rep(['pass', 'pass']))).toBe('unchanged-pass');
  });
});

describe('compareCases', () => {
  it('orders regressed, improved, flaky, error, unchanged; keeps the baseline order within a kind', () => {
    const a = [
      r('same-1', 'pass'),
      r('fixed', 'fail'),
      r('broke-1', 'pass'),
      r('err', 'error'),
      r('flaky', 'pass', 'f', 0),
      r('flaky', 'fail', 'f', 1),
      r('broke-2', 'pass'),
      r('still-bad', 'fail'),
      r('only-a', 'pass'),
    ];
    const b = [
      r('broke-2', 'fail'),
      r('broke-1', 'fail'),
      r('fixed', 'pass'),
      r('same-1', 'pass'),
      r('err', 'pass'),
      r('flaky', 'fail', 'f', 0),
      r('flaky', 'pass', 'f', 1),
      r('still-bad', 'fail'),
      r('only-b', 'pass'),
    ];
    const cases = compareCases(a, b, 'm');
    expect(cases.map((c) => [c.kind, c.caseId])).toStrictEqual([
      ['regressed', 'broke-1'],
      ['regressed', 'broke-2'],
      ['improved', 'fixed'],
      ['flaky', 'flaky'],
      ['error', 'err'],
      ['unchanged-pass', 'same-1'],
      ['unchanged-fail', 'still-bad'],
    ]);
    const flaky = cases.find((c) => c.kind === 'flaky');
    expect(flaky).toMatchObject({ modelId: 'm', a: { status: 'pass' }, b: { status: 'fail' } }); // first repeat
  });

  it('diffs the outputs word by word', () => {
    const [c] = compareCases(
      [r('x', 'pass', 'refund in 30 days')],
      [r('x', 'fail', 'refund in 14 days')],
      'm',
    );
    expect(c?.diff).toStrictEqual([
      { op: 'same', text: 'refund in ' },
      { op: 'removed', text: '30' },
      { op: 'added', text: '14' },
      { op: 'same', text: ' days' },
    ]);
  });
});
