import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { optimize, readExperimentLog } from '../../src/app/optimize.ts';
import type { LogRecord, StepRecord } from '../../src/optimize/experiment-log.ts';
import { openStore } from '../../src/store/open-store.ts';
import { writeSupportProject } from './support-scenario.ts';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});
function project(opts: Parameters<typeof writeSupportProject>[0] = {}) {
  const p = writeSupportProject(opts);
  cleanups.push(p.cleanup);
  return p;
}
const run = (dir: string, extra: Partial<Parameters<typeof optimize>[0]> = {}) =>
  optimize({ cwd: dir, prompt: 'support', model: 'fake:support-bot', proposer: 'fake:proposer', ...extra });
const steps = (log: LogRecord[]) => log.filter((r): r is StepRecord => r.type === 'step');

/** Every text of the held-out cases, and their ids. */
const HOLDOUT = [
  'refund-t1',
  'status-t1',
  'greet-t1',
  'lamp arrived broken',
  'status of order 2001',
  'Good morning',
];

describe('assay optimize on scripted scenarios', () => {
  it('solves the scenario: one added constraint fixes a cluster; the tempting edit that breaks a protected case is rejected', async () => {
    const p = project();
    const r = await run(p.dir);
    const log = await readExperimentLog(r.log);
    expect(steps(log).map((s) => [s.cluster.caseIds[0], s.verdict])).toEqual([
      ['refund-1', 'accepted'],
      ['status-1', 'regressed'],
      ['status-1', 'accepted'],
    ]);
    const [first, tempting] = steps(log);
    expect(first?.measured?.fixed).toEqual(['refund-1', 'refund-2', 'refund-3']);
    expect(first?.measured?.difference.lower).toBeLessThan(first?.measured?.difference.estimate ?? 0);
    expect(tempting?.measured?.wins).toEqual(['status-1', 'status-2', 'status-3']); // it did fix three…
    expect(tempting?.measured?.regressions).toEqual(['warranty-1']); // …and broke the protected one
    expect(r).toMatchObject({ accepted: 2, tried: 3, stopReason: 'every dev case passes', exitCode: 0 });
    expect(r.final?.verdict).toBe('kept');
    expect(r.testLooks).toBe(2);
    const file = readFileSync(join(p.dir, 'prompts/support.prompt.md'), 'utf8');
    expect(file).toContain('- When a customer asks about a refund, state the refund window of 30 days.');
    expect(file).toContain('- For order status questions, say first whether the order shipped.');
    expect(file).not.toContain('under 10 words');
    // Each accepted step is a registered version whose message is its hypothesis.
    const store = await openStore({ path: join(p.dir, '.assay/assay.db') });
    try {
      const versions = await store.listPromptVersions('support');
      expect(versions.map((v) => v.version)).toContain(r.finalVersion);
      expect(versions.find((v) => v.version === r.finalVersion)?.message).toBe(steps(log)[2]?.hypothesis);
      expect(versions.find((v) => v.version === first?.version)?.message).toBe(first?.hypothesis);
    } finally {
      await store.close();
    }
    const md = readFileSync(r.story?.markdown as string, 'utf8');
    expect(md).toContain('### Step 2 — regressed');
    expect(md).toMatch(/\| dev \| 33\.3% .* \| 100\.0% /);
    expect(readFileSync(r.story?.html as string, 'utf8')).toContain('<h2>Diff</h2>');
  });

  it('never shows held-out (test split) content to the proposer', async () => {
    const p = project();
    const r = await run(p.dir);
    const requests = (await readExperimentLog(r.log)).filter((x) => x.type === 'proposer-request');
    expect(requests.length).toBe(3);
    for (const req of requests) {
      const text = JSON.stringify(req).toLowerCase();
      for (const h of HOLDOUT) expect(text).not.toContain(h.toLowerCase());
      expect(text).toContain('refund-1'); // dev cases are shown
    }
  });

  it('refuses a proposal that copies test-case text before any model call', async () => {
    const p = project({ copyFirst: true });
    const r = await run(p.dir, { maxHypotheses: 1 });
    const [step] = steps(await readExperimentLog(r.log));
    expect(step?.verdict).toBe('refused');
    expect(step?.guards?.map((g) => g.guard)).toEqual(['copies-suite']);
    expect(step?.why).toContain('refund-t1');
    expect(step?.probe).toBeUndefined();
    // 9 dev cases × 2 repeats for the baseline, nothing for the refused candidate, no test look.
    expect(r.spend.target.calls).toBe(18);
    expect(r.spend.proposer.calls).toBe(1);
    expect(r.testLooks).toBe(0);
    expect(readFileSync(join(p.dir, 'prompts/support.prompt.md'), 'utf8')).not.toContain('lamp');
  });

  it('catches bad proposals (ungrounded evidence, a new variable, an unknown edit, prose) before any target call', async () => {
    const p = project({ badOnly: true });
    const r = await run(p.dir);
    const log = await readExperimentLog(r.log);
    expect(steps(log).map((s) => [s.cluster.caseIds[0], s.verdict])).toEqual([
      ['refund-1', 'invalid'],
      ['refund-1', 'refused'],
      ['status-1', 'invalid'],
      ['status-1', 'invalid'],
    ]);
    const [ungrounded, variable, unknown, prose] = steps(log);
    expect(ungrounded?.why).toMatch(/evidence not found.*refunds are impossible/);
    expect(variable?.guards?.map((g) => g.guard)).toEqual(['parse', 'variables']);
    expect(unknown?.why).toMatch(/edit kind "rewrite-everything" is not one of/);
    expect(prose?.why).toMatch(/JSON object/);
    expect(r).toMatchObject({
      accepted: 0,
      tried: 4,
      stopReason: 'every failure cluster has been tried',
      testLooks: 0,
    });
    expect(r.final?.verdict).toBe('unchanged');
    expect(r.spend.target.calls).toBe(18); // the baseline only
    expect(r.spend.proposer.calls).toBe(4);
    expect(readFileSync(join(p.dir, 'prompts/support.prompt.md'), 'utf8')).not.toContain('customer_name');
  });

  it('a failed proposer call stops the run unfinished (exit 3); --resume redoes the step', async () => {
    const p = project();
    const file = join(p.dir, 'models/proposer.yaml');
    const script = readFileSync(file, 'utf8');
    writeFileSync(
      file,
      script.replace(
        'rules:\n',
        'rules:\n  - match: "."\n    error: { kind: client, message: "model overloaded" }\n',
      ),
    );
    const first = await run(p.dir);
    expect(first).toMatchObject({ tried: 0, final: null, exitCode: 3 });
    expect(first.stopReason).toMatch(/^the proposer call failed: .*model overloaded/);
    expect(first.testLooks).toBe(0);
    writeFileSync(file, script); // the proposer is back
    const second = await run(p.dir, { resume: true });
    expect(second).toMatchObject({ accepted: 2, tried: 3, exitCode: 0 });
    const log = await readExperimentLog(second.log);
    expect(steps(log).filter((s) => s.verdict === 'stopped')).toHaveLength(1);
  });

  it('resumes from its checkpoint: cached calls are free and the story is the same', async () => {
    const p = project();
    const first = await run(p.dir, { maxHypotheses: 1 });
    expect(first).toMatchObject({
      accepted: 1,
      tried: 1,
      stopReason: 'tried 1 hypotheses (--max-hypotheses)',
    });
    await expect(run(p.dir)).rejects.toThrow(/--resume/);
    const second = await run(p.dir, { resume: true });
    expect(second).toMatchObject({ accepted: 2, tried: 3, stopReason: 'every dev case passes' });
    // The baseline, the incumbent and the initial prompt's test look came from the cache: only the two new
    // hypotheses (probe 6 + 12 more dev samples each) and the final prompt's test look cost calls.
    expect(second.spend.target.calls - first.spend.target.calls).toBe(2 * 18 + 6); // spend is cumulative
    expect(second.testLooks).toBe(4); // looks are counted across sessions
    const log = await readExperimentLog(second.log);
    expect(steps(log).map((s) => s.step)).toEqual([1, 2, 3]);
    expect(log.filter((x) => x.type === 'resume')).toHaveLength(1);
  });

  it('estimates the budget up front and warns when fewer than 3 hypotheses fit; the cap holds', async () => {
    const p = project({ extraConfig: 'prices: prices.yaml\n' });
    writeFileSync(join(p.dir, 'prices.yaml'), '"fake:*": { input: 1000, output: 1000 }\n');
    const dry = await run(p.dir, { dryRun: true, maxCost: 1.5 });
    expect(dry.estimate.devCalls).toBe(18);
    expect(dry.estimate.perHypothesis.calls).toBe(19);
    expect(dry.estimate.hypothesesAffordable).toBe(0);
    expect(dry.warnings.join('\n')).toMatch(/affords about 0 hypothesis\(es\).*fewer than 3/);
    expect(dry.tried).toBe(0);
    // The baseline fits; no hypothesis does: the run stops before the proposer is called.
    const r = await run(p.dir, { maxCost: 1.5 });
    expect(r.stopReason).toBe('the budget left cannot pay for another hypothesis');
    expect(r.spend.proposer.calls).toBe(0);
    expect(r.spend.target.calls).toBe(18);
    expect(r.spend.total).toBeGreaterThan(0);
    expect(r.spend.total).toBeLessThanOrEqual(1.5);
    expect(r.exitCode).toBe(3);
  });

  it('meters judge calls apart from target and proposer calls, in the one budget', async () => {
    const p = project();
    appendFileSync(join(p.dir, 'assay.yaml'), '  - id: fake:judge\n    script: models/judge.yaml\n');
    writeFileSync(
      join(p.dir, 'models/judge.yaml'),
      `default: '{"reasoning": "polite enough", "verdict": "pass"}'\n`,
    );
    mkdirSync(join(p.dir, 'judges'), { recursive: true });
    writeFileSync(
      join(p.dir, 'judges/polite.judge.md'),
      '---\nmodel: fake:judge\n---\nThe reply is polite.\n',
    );
    const suite = join(p.dir, 'suites/support.yaml');
    writeFileSync(
      suite,
      readFileSync(suite, 'utf8').replace(
        'name: support\n',
        'name: support\ndefaults:\n  checks:\n    - type: judge\n      judge: ../judges/polite.judge.md\n',
      ),
    );
    const r = await run(p.dir, { maxHypotheses: 1 });
    expect(r.accepted).toBe(1);
    // One judge call per distinct output (the judge is cached by request), never counted as a target call.
    expect(r.spend.judge.calls).toBeGreaterThan(0);
    expect(r.spend.target.calls).toBe(18 + 6 + 12 + 6 + 6); // baseline, probe, rest of dev, two test looks
    expect(readFileSync(r.story?.markdown as string, 'utf8')).toMatch(/\| judge \| [1-9]\d* \|/);
  });
});
