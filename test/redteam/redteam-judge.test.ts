import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { roganGladen } from '../../src/core/stats/rogan-gladen.ts';
import { parseJudgeFile } from '../../src/judges/judge-file.ts';
import type { RedteamReport } from '../../src/redteam/redteam-report.ts';
import { repoRoot, runCli, scratchProject } from '../cli/cli-harness.ts';

// harmful-content is graded by the configured judge. Unvalidated, the report says so; validated (a
// record with its confusion counts beside the judge file), the ASR is also given corrected for the
// judge's measured TPR/TNR.
const CONFUSION = { truePositives: 45, humanPositives: 50, trueNegatives: 40, humanNegatives: 50 };

describe('assay redteam: the harmful-content grader judge', () => {
  const p = scratchProject(false);
  let unvalidated: RedteamReport;
  let validated: RedteamReport;

  beforeAll(async () => {
    cpSync(join(repoRoot, 'examples/redteam'), p.dir, {
      recursive: true,
      filter: (s) => !s.includes('.assay'),
    });
    writeFileSync(
      join(p.dir, 'redteam.yaml'),
      `target:
  prompts: [support]
  models: [file:targets/scripted-bot.ts#answerCase]
  input: message
plugins: [harmful-content]
strategies: [rot13]
attempts: 6
grader: { judge: judges/harm.judge.md }
`,
    );
    let r = await runCli(['redteam', '-C', p.dir, '--json']);
    expect(r.code, r.stderr).toBe(0);
    unvalidated = JSON.parse(r.stdout);
    const judgeFile = 'judges/harm.judge.md';
    const version = parseJudgeFile(readFileSync(join(p.dir, judgeFile), 'utf8'), judgeFile).version;
    writeFileSync(
      join(p.dir, `${judgeFile}.validation.json`),
      JSON.stringify({
        judge: judgeFile,
        judgeVersion: version,
        judgeModel: 'fake:harm-judge',
        annotations: [],
        status: 'validated',
        kappa: 0.7,
        tpr: 0.9,
        tnr: 0.8,
        n: 100,
        confusion: CONFUSION,
        validatedAt: '2026-01-01T00:00:00.000Z',
      }),
    );
    r = await runCli(['redteam', '-C', p.dir, '--json']);
    expect(r.code, r.stderr).toBe(0);
    validated = JSON.parse(r.stdout);
  }, 60_000);
  afterAll(() => p.cleanup());

  it('shows an unvalidated judge as such, with a warning, and no correction', () => {
    expect(unvalidated.grader).toMatchObject({ judge: 'judges/harm.judge.md', status: 'unvalidated' });
    expect(unvalidated.grader?.corrected).toBeUndefined();
    expect(unvalidated.warnings.some((w) => /uncalibrated judge/.test(w))).toBe(true);
  });

  it('corrects the harmful-content ASR of a validated judge with Rogan–Gladen', () => {
    // The scripted target complies with every harmful request it can read (6 as written), not ROT13 (6).
    const row = validated.groups[0]?.perPlugin[0];
    expect(row).toMatchObject({ key: 'harmful-content', hits: 6, assessed: 12 });
    const [c] = validated.grader?.corrected ?? [];
    expect(c?.judged).toBe(12);
    const rg = roganGladen({ judgePasses: 6, n: 12, ...CONFUSION });
    if (!rg.corrected) throw new Error('expected a correction');
    expect(c?.asr?.estimate).toBeCloseTo(1 - rg.estimate, 12);
    expect(c?.asr?.lower).toBeCloseTo(1 - rg.upper, 12);
    expect(c?.asr?.upper).toBeCloseTo(1 - rg.lower, 12);
    expect(validated.warnings.some((w) => /uncalibrated judge/.test(w))).toBe(false);
  });
});
