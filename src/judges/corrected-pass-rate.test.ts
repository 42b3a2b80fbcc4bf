import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CheckResult, ResultRecord, ResultStatus } from '../core/types.ts';
import { JudgeRateCounter, readValidationRecord, storedJudgeVerdicts } from './corrected-pass-rate.ts';
import type { JudgeValidationRecord } from './judge-status.ts';

function judged(
  name: string,
  pass: boolean,
  opts: { version?: string; negated?: boolean } = {},
): CheckResult {
  const verdict = opts.negated ? !pass : pass;
  const reason = `${name}: ${verdict ? 'pass' : 'fail'}: because`;
  return {
    type: 'judge',
    pass,
    reason: opts.negated ? `not: ${reason}` : reason,
    details: { judge: name, judgeVersion: opts.version ?? 'v1', judgeModel: 'fake:j' },
  };
}

function result(checks: CheckResult[], status: ResultStatus = 'pass', modelId = 'fake:a'): ResultRecord {
  return {
    runId: 'r',
    prompt: 'p',
    promptVersion: 'pv',
    modelId,
    caseId: 'c',
    repeat: 0,
    status,
    checks,
    usage: {},
    cost: 0,
    attempts: 1,
    cached: false,
    createdAt: '2026-01-01T00:00:00.000Z',
  };
}

const record = (confusion?: JudgeValidationRecord['confusion']): JudgeValidationRecord => ({
  judge: 'refund',
  judgeVersion: 'v1',
  judgeModel: 'fake:j',
  annotations: [],
  status: 'validated',
  kappa: 0.7,
  tpr: null,
  tnr: null,
  n: 100,
  ...(confusion ? { confusion } : {}),
  validatedAt: '2026-01-01T00:00:00.000Z',
});

const EXAMPLE = { truePositives: 45, humanPositives: 55, trueNegatives: 40, humanNegatives: 45 };

describe('JudgeRateCounter', () => {
  it('corrects the stats-judges.md §5.8 example: 60 % judged pass → 69.1 %', () => {
    const c = new JudgeRateCounter('refund', 'v1');
    for (let i = 0; i < 100; i++) c.add(result([judged('refund', i < 60)]));
    const cal = c.calibrate(record(EXAMPLE));
    if (!cal.available) throw new Error('expected a calibration');
    expect(cal.tpr).toBeCloseTo(45 / 55, 12);
    expect(cal.tnr).toBeCloseTo(40 / 45, 12);
    expect(cal.annotations).toBe(100);
    const [g] = cal.groups;
    expect(g).toMatchObject({ judged: 100, judgedPass: 60, judgeRate: 0.6 });
    // π = (0.6 + 8/9 − 1)/(9/11 + 8/9 − 1) = 0.69143…
    expect(g?.corrected?.estimate).toBeCloseTo((0.6 + 8 / 9 - 1) / (9 / 11 + 8 / 9 - 1), 12);
    expect(g?.corrected?.estimate.toFixed(3)).toBe('0.691');
    expect(g?.corrected?.lower).toBeLessThan(0.691);
    expect(g?.corrected?.upper).toBeGreaterThan(0.691);
  });

  it('counts the judge verdict per non-error result, per group, of the validated version only', () => {
    const c = new JudgeRateCounter('refund', 'v1');
    c.add(result([judged('refund', true)]));
    c.add(result([judged('refund', false)], 'fail'));
    c.add(result([judged('refund', true)], 'error')); // errors are kept out
    c.add(result([judged('refund', true, { version: 'v0' })])); // another version of the judge
    c.add(result([judged('tone', true)])); // another judge
    c.add(result([{ ...judged('refund', true), error: 'broke' }])); // a broken check
    c.add(result([judged('refund', true)], 'pass', 'fake:b'));
    const cal = c.calibrate(record(EXAMPLE));
    if (!cal.available) throw new Error('expected a calibration');
    expect(cal.groups.map((g) => [g.modelId, g.judgedPass, g.judged])).toEqual([
      ['fake:a', 1, 2],
      ['fake:b', 1, 1],
    ]);
  });

  it('reads the judge verdict behind `not: true`, also for a judge named "not"', () => {
    const c = new JudgeRateCounter('not', 'v1');
    // The check failed because the judge said pass (negated), and passed because the judge said fail.
    c.add(result([judged('not', false, { negated: true })]));
    c.add(result([judged('not', true, { negated: true })]));
    c.add(result([judged('not', true)]));
    const cal = c.calibrate(record(EXAMPLE));
    if (!cal.available) throw new Error('expected a calibration');
    expect(cal.groups[0]).toMatchObject({ judged: 3, judgedPass: 2 });
  });

  it('refuses a weak judge (Youden J < 0.5) and a group with nothing judged', () => {
    const c = new JudgeRateCounter('refund', 'v1');
    c.add(result([judged('refund', true)]));
    c.add(result([judged('refund', true)], 'error', 'fake:b'));
    const cal = c.calibrate(
      record({ truePositives: 8, humanPositives: 10, trueNegatives: 5, humanNegatives: 10 }),
    );
    if (!cal.available) throw new Error('expected a calibration');
    expect(cal.youden).toBeCloseTo(0.3, 12);
    expect(cal.groups[0]?.corrected).toBeNull();
    expect(cal.groups[0]?.refused).toMatch(/TPR \+ TNR − 1 = 0\.300 is below 0\.5/);
    expect(cal.groups[1]).toMatchObject({
      judged: 0,
      judgeRate: null,
      corrected: null,
      refused: 'no judged output',
    });
  });

  it('is unavailable without confusion counts, or with no human pass or fail', () => {
    const c = new JudgeRateCounter('refund', 'v1');
    c.add(result([judged('refund', true)]));
    const none = c.calibrate(record());
    expect(none).toMatchObject({ available: false, reason: expect.stringMatching(/assay judge validate/) });
    const broken = c.calibrate({ ...record(), confusion: { truePositives: 5, humanPositives: 4 } } as never);
    expect(broken.available).toBe(false);
    const noFail = c.calibrate(
      record({ truePositives: 4, humanPositives: 5, trueNegatives: 0, humanNegatives: 0 }),
    );
    expect(noFail).toMatchObject({ available: false, reason: expect.stringMatching(/no human fail/) });
  });
});

describe('readValidationRecord', () => {
  it('reads the record beside the judge file, undefined when missing or not JSON', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'assay-vr-'));
    try {
      expect(await readValidationRecord('j.judge.md', dir)).toBeUndefined();
      writeFileSync(join(dir, 'j.judge.md.validation.json'), 'not json');
      expect(await readValidationRecord('j.judge.md', dir)).toBeUndefined();
      writeFileSync(join(dir, 'j.judge.md.validation.json'), JSON.stringify(record(EXAMPLE)));
      expect((await readValidationRecord('j.judge.md', dir))?.confusion).toEqual(EXAMPLE);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('storedJudgeVerdicts', () => {
  it("reads a judge check's verdict and each jury member's own verdict", () => {
    expect(storedJudgeVerdicts(judged('refund', false, { negated: true }))).toEqual([
      { judge: 'refund', judgeVersion: 'v1', pass: true },
    ]);
    const jury: CheckResult = {
      type: 'jury',
      pass: false,
      reason: 'not: jury (majority): pass',
      details: {
        mode: 'majority',
        members: [
          { judge: 'refund', judgeVersion: 'v1', pass: true },
          { judge: 'tone', judgeVersion: 'v9', pass: false },
          { judge: 'broken' },
        ],
      },
    };
    expect(storedJudgeVerdicts(jury)).toEqual([
      { judge: 'refund', judgeVersion: 'v1', pass: true },
      { judge: 'tone', judgeVersion: 'v9', pass: false },
    ]);
    expect(storedJudgeVerdicts({ ...jury, error: 'jury: tone: bad reply' })).toEqual([]);
    expect(storedJudgeVerdicts({ type: 'contains', pass: true, reason: 'ok' })).toEqual([]);
  });
});
