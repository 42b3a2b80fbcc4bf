import { describe, expect, it } from 'vitest';
import type { JudgeCalibration } from '../judges/corrected-pass-rate.ts';
import { renderCalibration } from './render-eval-report.ts';

const group = {
  prompt: 'support',
  promptVersion: 'abc123',
  modelId: 'fake:bot',
  judged: 50,
  judgedPass: 31,
  judgeRate: 0.62,
};

const calibration = (groups: Extract<JudgeCalibration, { available: true }>['groups']): JudgeCalibration => ({
  available: true,
  tpr: 0.92,
  tnr: 0.88,
  youden: 0.8,
  annotations: 50,
  confusion: { truePositives: 23, humanPositives: 25, trueNegatives: 22, humanNegatives: 25 },
  countedPer: 'result',
  groups,
});

describe('renderCalibration', () => {
  it('prints the judged and the corrected rate with its interval and the TPR/TNR it rests on', () => {
    const lines = renderCalibration(
      'refund',
      calibration([
        {
          ...group,
          corrected: {
            estimate: 0.584,
            lower: 0.491,
            upper: 0.677,
            se: 0.047,
            unclipped: 0.584,
            confidence: 0.95,
            method: 'rogan-gladen',
          },
        },
      ]),
    );
    expect(lines).toEqual([
      '  judge refund · support@abc123 × fake:bot: 62.0% judged pass (31/50) → 58.4% corrected [49.1%, 67.7%] (TPR 0.92, TNR 0.88 on 50 annotations)',
    ]);
  });

  it('says why a rate is not corrected, notes repeats, and escapes hostile names', () => {
    const lines = renderCalibration(
      're\u001b[31mfund',
      calibration([{ ...group, modelId: 'fake:\nbot', corrected: null, refused: 'the judge is too weak' }]),
      3,
    );
    expect(lines[0]).toBe(
      '  judge re[31mfund · support@abc123 × fake: ⏎ bot: 62.0% judged pass (31/50); not corrected: the judge is too weak',
    );
    expect(lines.join('\n')).not.toContain('\u001b');
    expect(lines[1]).toMatch(/each repeat counts as one judged output/);
  });

  it('prints why no correction is available, and nothing without a calibration', () => {
    expect(renderCalibration('refund', { available: false, reason: 'no counts' })).toEqual([
      '  judge refund: no corrected pass rate: no counts',
    ]);
    expect(renderCalibration('refund', undefined)).toEqual([]);
  });
});
