import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluate } from '../../src/app/evaluate.ts';
import { gate } from '../../src/app/gate.ts';
import { gateProject, setVersion } from './gate-fixture.ts';

// Drafted cases (`assay generate`) are `review: unreviewed` until a person accepts them: they count in the
// eval's numbers (with a warning) but never decide a gate.
let project: ReturnType<typeof gateProject>;
const env = { PATH: process.env.PATH ?? '' };
beforeAll(() => {
  project = gateProject();
});
afterAll(() => project?.cleanup());

/** Marks cases c01 (protected) and c03 as unreviewed drafts, or as accepted. */
function markDrafts(review: 'unreviewed' | 'accepted'): void {
  const file = join(project.dir, 'cases.jsonl');
  const lines = readFileSync(file, 'utf8').trim().split('\n');
  const out = lines.map((l) => {
    const c = JSON.parse(l) as { id: string; review?: string };
    if (c.id === 'c01' || c.id === 'c03') c.review = review;
    return JSON.stringify(c);
  });
  writeFileSync(file, `${out.join('\n')}\n`);
}

describe('assay gate with unreviewed drafted cases', () => {
  it('leaves them out of the gate and says so; once accepted they gate again', async () => {
    markDrafts('unreviewed');
    setVersion(project.dir, 'BASE');
    const baseline = await evaluate({ cwd: project.dir, env });
    expect(baseline.reports[0]?.warnings.join('\n')).toMatch(/2 of 30 cases are unreviewed drafts/);
    // PROT regresses c01 (protected): left out while it is an unreviewed draft.
    setVersion(project.dir, 'PROT');
    const drafted = await gate({ cwd: project.dir, env, baseline: baseline.report.run.id });
    expect(drafted.warnings.join('\n')).toMatch(/2 unreviewed drafted case\(s\) are left out of the gate/);
    expect(drafted.exitCode).toBe(0);

    markDrafts('accepted');
    const accepted = await gate({ cwd: project.dir, env, baseline: baseline.report.run.id });
    expect(accepted.exitCode).toBe(1);
    expect(accepted.reasons.join('\n')).toMatch(/c01/);
  });
});
