import { describe, expect, it } from 'vitest';
import { compareFamily } from '../core/compare/compare-family.ts';
import { compareResults } from '../core/compare/compare-runs.ts';
import type { ResultRecord, ResultStatus } from '../core/types.ts';
import {
  renderComparison,
  renderComparisonFamily,
  renderComparisonMarkdown,
  renderJudgeLines,
} from './render-comparison.ts';

function side(runId: string, statuses: ResultStatus[], ids?: string[]): ResultRecord[] {
  return statuses.map((status, i) => ({
    runId,
    prompt: 'support',
    promptVersion: `${runId}0123456789`,
    modelId: 'fake:bot',
    caseId: ids?.[i] ?? `case-${i}`,
    repeat: 0,
    status,
    checks: [],
    usage: {},
    cost: 0,
    attempts: 1,
    cached: false,
    createdAt: '2026-01-01T00:00:00.000Z',
  }));
}

/** The §8.2 example: A 42/60, B 48/60, b = 4, c = 10. */
function example() {
  const A: ResultStatus[] = [];
  const B: ResultStatus[] = [];
  const push = (n: number, a: ResultStatus, b: ResultStatus) => {
    for (let i = 0; i < n; i++) {
      A.push(a);
      B.push(b);
    }
  };
  push(38, 'pass', 'pass');
  push(4, 'pass', 'fail');
  push(10, 'fail', 'pass');
  push(8, 'fail', 'fail');
  return compareResults(side('runA', A), side('runB', B), { protectedCaseIds: new Set(['case-40']) });
}

describe('renderComparison', () => {
  it('prints the §8.2 layout: table, pass rates with Wilson intervals, Newcombe difference, McNemar p, verdict, regressions', () => {
    const text = renderComparison(example());
    expect(text).toContain('B vs A · 60 paired cases (0 dropped for errors, 0 unmatched)');
    expect(text).toMatch(/B pass\s+B fail\n\s+A pass\s+38\s+4\n\s+A fail\s+10\s+8/);
    expect(text).toContain('pass rate  A 70.0% [57.5, 80.1] 42/60   B 80.0% [68.2, 88.2] 48/60');
    expect(text).toContain(
      'difference +10.0 pts  [-2.5 pts, +22.3 pts] Newcombe paired (method 10)   exact McNemar p = 0.18',
    );
    expect(text).toContain('verdict    no detectable difference; MDE at n=60 ≈ 17.5 pts (80% power)');
    expect(text).toContain('regressions (A pass → B fail): case-40 (protected), case-38, case-39, case-41');
  });

  it('markdown carries the same facts and escapes hostile case ids', () => {
    const ids = ['a`|<b>', 'x'];
    const c = compareResults(side('runA', ['pass', 'pass'], ids), side('runB', ['fail', 'pass'], ids));
    const md = renderComparisonMarkdown(c);
    expect(md).toContain('| **A pass** | 1 | 1 |');
    expect(md).toContain('**Regressions** (A pass → B fail): `aˋ|<b>`');
    const full = renderComparisonMarkdown(example());
    expect(full).toContain(
      '| difference B − A | +10.0 pts [-2.5 pts, +22.3 pts] | Newcombe paired (method 10) |',
    );
    expect(full).toContain('**Verdict:** no detectable difference; MDE at n=60 ≈ 17.5 pts (80% power)');
  });

  it('strips terminal control characters from case ids', () => {
    const ids = ['evil\u001b[31m\u202e'];
    const text = renderComparison(compareResults(side('runA', ['pass'], ids), side('runB', ['fail'], ids)));
    expect(text).toContain('regressions (A pass → B fail): evil[31m');
    expect(text.includes('\u001b')).toBe(false);
    expect(text.includes('\u202e')).toBe(false);
  });
});

describe('renderComparisonFamily', () => {
  it('a summary line per candidate with raw and Holm p, then each comparison', () => {
    const base = side('base', ['pass', 'pass', 'fail', 'fail', 'fail', 'fail', 'fail', 'fail']);
    const c1 = side('one', ['pass', 'pass', 'pass', 'pass', 'pass', 'pass', 'pass', 'pass']);
    const c2 = side('two', ['fail', 'pass', 'fail', 'fail', 'fail', 'fail', 'fail', 'fail']);
    const f = compareFamily([
      { baseline: base, candidate: c2 },
      { baseline: base, candidate: c1 },
    ]);
    const text = renderComparisonFamily(f);
    expect(text).toMatch(
      /^2 comparisons against one baseline · family of 2, p-values Holm-adjusted · sorted by effect/,
    );
    const lines = text.split('\n');
    expect(lines[1]).toMatch(
      /support@one01234 × fake:bot {2}\+75\.0 pts .* p = 0\.031 {2}p\(Holm\) = 0\.063 {2}no detectable difference/,
    );
    expect(lines[2]).toMatch(/support@two01234 × fake:bot {2}-12\.5 pts/);
  });
});

describe('renderJudgeLines', () => {
  const runs = (a: string[], b: string[]) => [
    { runId: 'runA', versions: a },
    { runId: 'runB', versions: b },
  ];
  it('a status line per judge like the eval report, with the versions each run used', () => {
    const lines = renderJudgeLines([
      {
        name: 'tone',
        file: 'judges/tone.judge.md',
        status: 'validated',
        reason: 'validated on 60 annotated outputs',
        runs: runs(['aaa'], ['bbb']),
        changed: true,
      },
      {
        name: 'refund',
        status: 'unknown',
        reason: 'not in this project',
        runs: runs(['ccc'], []),
        changed: true,
      },
    ]);
    expect(lines).toEqual([
      '  judge tone (judges/tone.judge.md): validated — validated on 60 annotated outputs · versions A aaa, B bbb',
      '  judge refund: unknown (not in this project) · versions A ccc, B —',
    ]);
  });

  it('is appended after a single comparison, and escapes hostile judge names', () => {
    const c = compareResults(side('runA', ['pass', 'fail']), side('runB', ['pass', 'pass']));
    const text = renderComparisonFamily({
      family: 1,
      comparisons: [c],
      warnings: [],
      judges: [
        { name: 'to\u001bne\nx', status: 'weak', reason: 'r', runs: runs(['a'], ['a']), changed: false },
      ],
    });
    expect(text.startsWith('B vs A')).toBe(true);
    expect(text).toMatch(/\n\njudges\n {2}judge to\[?ne ⏎ x: weak — r · versions A a, B a$/);
    expect(text).not.toContain('\u001b');
  });
});
