import { describe, expect, it } from 'vitest';
import type { PromptSpec, Suite } from '../core/types.ts';
import { planRun } from '../engine/plan-run.ts';
import { testProject, testRun } from '../test-helpers/queue-test-project.ts';
import { checkRunManifest } from './check-run-manifest.ts';

describe('checkRunManifest', () => {
  const project = testProject();
  const run = testRun(planRun(project));

  it("accepts the project the run was planned from, and gives the worker the run's plan", () => {
    const check = checkRunManifest(run, project);
    expect(check.ok).toBe(true);
    if (check.ok) {
      expect(check.plan.size).toBe(run.planned);
      expect(check.plan.prompts.map((p) => p.name)).toEqual(['p1', 'p2']);
    }
  });

  it('plans the same selection as the run: a run of one prompt and one model', () => {
    const one = testRun(planRun(project, { prompts: ['p2'], models: ['fake:b'], repeats: 1 }));
    const check = checkRunManifest(one, project);
    expect(check.ok && check.plan.size).toBe(3);
  });

  it('refuses a changed prompt version, a missing prompt and a changed suite, naming each', () => {
    const changed = testProject({
      prompts: [{ ...(project.prompts[0] as PromptSpec), version: 'v-other' }],
      suites: [{ ...(project.suites[0] as Suite), hash: 'h2' }],
    });
    const check = checkRunManifest(run, changed);
    expect(check.ok).toBe(false);
    if (!check.ok) {
      expect(check.problems).toEqual([
        "prompt 'p1' differs: the run has version v-p1, this project v-other (p1.prompt.md)",
        "prompt 'p2' (p2.prompt.md) is not in this project",
        "suite 'main' differs from the run's (cases.jsonl)",
      ]);
    }
  });

  it('refuses other model settings, a model not configured, and another seed', () => {
    const other = testProject({
      models: [{ id: 'fake:a', settings: { temperature: 1 } }],
      defaults: { ...project.defaults, seed: 7 },
    });
    const check = checkRunManifest(run, other);
    expect(check.ok).toBe(false);
    if (!check.ok)
      expect(check.problems).toEqual([
        "model fake:a has other settings than the run's",
        'model fake:b is not configured in this project',
        'the seed differs: the run has 0, this project 7',
      ]);
  });

  it('treats settings in another key order as the same settings', () => {
    const a = testProject({ models: [{ id: 'fake:a', settings: { temperature: 0, maxTokens: 5 } }] });
    const b = testProject({ models: [{ id: 'fake:a', settings: { maxTokens: 5, temperature: 0 } }] });
    expect(checkRunManifest(testRun(planRun(a)), b).ok).toBe(true);
  });

  it('refuses when the same selection plans another number of results', () => {
    const check = checkRunManifest({ ...run, planned: run.planned + 1 }, project);
    expect(check).toEqual({
      ok: false,
      problems: [
        `the run planned ${run.planned + 1} results, this project plans ${run.planned} for its selection`,
      ],
    });
  });
});
