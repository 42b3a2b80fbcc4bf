import type { CheckDefinition } from '../core/checks/check-definition.ts';
import { gradeWithJudge, type JudgeGrade, readJudge } from './judge-check.ts';
import type { JudgeSpec } from './judge-file.ts';
import { type JuryMode, juryVerdict } from './jury.ts';

const JUDGES_EXPECTED = 'a list of at least 2 judge file paths, e.g. [judges/a.judge.md, judges/b.judge.md]';
const MODES: readonly JuryMode[] = ['majority', 'mean'];

/**
 * `jury` {judges, mode, threshold?}: several judges grade the same output (in parallel, each through
 * `ctx.services`) and their verdicts are pooled with `juryVerdict`. One member whose reply cannot be
 * used makes the whole check an error naming that member: a jury short of a juror is not a verdict.
 */
export const juryCheck: CheckDefinition = {
  type: 'jury',
  keys: ['judges', 'mode', 'threshold'],
  compile(spec) {
    if (!spec.has('judges')) spec.fail('judges', "missing for check 'jury'", JUDGES_EXPECTED);
    const raw = spec.get('judges');
    if (!Array.isArray(raw)) spec.fail('judges', 'invalid value (not a list)', JUDGES_EXPECTED);
    const list = raw as unknown[];
    if (list.length < 2)
      spec.fail(
        'judges',
        `a jury needs at least 2 judges, got ${list.length}`,
        JUDGES_EXPECTED,
        'use a judge check for a single judge',
      );
    const members: JudgeSpec[] = list.map((v, i) => readJudge(spec, `judges[${i}]`, v));
    members.forEach((m, i) => {
      const j = members.findIndex((o) => o.file === m.file);
      if (j < i)
        spec.fail(
          `judges[${i}]`,
          `judge file '${m.file}' is listed twice`,
          'each judge once',
          `remove judges[${i}]`,
        );
    });
    if (!spec.has('mode')) spec.fail('mode', "missing for check 'jury'", 'majority or mean');
    const mode = spec.get('mode');
    if (typeof mode !== 'string' || !MODES.includes(mode as JuryMode))
      spec.fail('mode', `invalid value ${JSON.stringify(mode)}`, 'majority or mean');
    let threshold = 0.5;
    if (spec.has('threshold')) {
      if (mode !== 'mean')
        spec.fail('threshold', "'threshold' only applies to mode 'mean'", "mode: mean, or no 'threshold'");
      threshold = spec.number('threshold', { min: 0, max: 1 });
    }
    return async (output, testCase, ctx) => {
      // Every call is made (and costed) before deciding, so one bad member does not hide the others.
      const settled = await Promise.allSettled(members.map((m) => gradeWithJudge(m, output, testCase, ctx)));
      const failed = settled.flatMap((r, i) =>
        r.status === 'rejected'
          ? [
              `member ${i + 1} '${(members[i] as JudgeSpec).name}' (${(members[i] as JudgeSpec).file}): ${(r.reason as Error)?.message ?? String(r.reason)}`,
            ]
          : [],
      );
      if (failed.length > 0) throw new Error(`jury: ${failed.join('; ')}`);
      const grades = settled.map((r) => (r as PromiseFulfilledResult<JudgeGrade>).value);
      const pooled = juryVerdict(
        grades.map((g) => ({ pass: g.pass, ...(g.score !== undefined ? { score: g.score } : {}) })),
        mode as JuryMode,
        threshold,
      );
      const votes = grades.map((g, i) => `${(members[i] as JudgeSpec).name} ${g.pass ? 'pass' : 'fail'}`);
      const summary =
        mode === 'majority'
          ? `${grades.filter((g) => g.pass).length} of ${grades.length} judges pass`
          : `mean score ${pooled.score.toFixed(3)} ${pooled.pass ? '≥' : '<'} ${threshold}`;
      return {
        pass: pooled.pass,
        score: pooled.score,
        reason: `jury (${mode}): ${pooled.pass ? 'pass' : 'fail'}, ${summary} (${votes.join(', ')})`,
        details: {
          mode,
          ...(mode === 'mean' ? { threshold } : {}),
          agreement: pooled.agreement,
          jurors: pooled.jurors,
          members: grades.map((g, i) => ({
            judge: g.details.judge,
            judgeFile: (members[i] as JudgeSpec).file,
            judgeVersion: g.details.judgeVersion,
            judgeModel: g.details.judgeModel,
            pass: g.pass,
            ...(g.score !== undefined ? { score: g.score } : {}),
            ...(g.details.rawScore !== undefined ? { rawScore: g.details.rawScore } : {}),
            ...(g.details.weightedScore !== undefined ? { weightedScore: g.details.weightedScore } : {}),
            reasoning: g.verdict.reasoning,
            judgeCost: g.details.judgeCost,
            judgeCached: g.details.judgeCached,
          })),
        },
      };
    };
  },
};
