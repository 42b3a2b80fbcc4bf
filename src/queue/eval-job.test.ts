import { describe, expect, it } from 'vitest';
import { planRun } from '../engine/plan-run.ts';
import { resultKey } from '../store/store.ts';
import { testProject } from '../test-helpers/queue-test-project.ts';
import { isEvalJob, jobBatches, keyOfItem, resolveJobItems } from './eval-job.ts';

describe('jobBatches', () => {
  const plan = planRun(testProject()); // 2 prompts × 2 models × 3 cases × 2 repeats = 24 items

  it('splits the plan into jobs of at most `size` items, every item exactly once, in plan order', () => {
    const jobs = [...jobBatches(plan, 'r1', { size: 5 })];
    expect(jobs.map((j) => j.items.length)).toEqual([5, 5, 5, 5, 4]);
    expect(jobs.every((j) => j.runId === 'r1' && j.retryErrors === undefined)).toBe(true);
    const all = jobs.flatMap((j) => j.items);
    expect(all).toHaveLength(plan.size);
    expect(new Set(all.map((i) => i.join('|'))).size).toBe(plan.size);
    // Model-major, case-major: the first job is model fake:a, case a (both prompts, both repeats), then b.
    expect(all.slice(0, 5)).toEqual([
      ['p1', 'fake:a', 'a', 0],
      ['p1', 'fake:a', 'a', 1],
      ['p2', 'fake:a', 'a', 0],
      ['p2', 'fake:a', 'a', 1],
      ['p1', 'fake:a', 'b', 0],
    ]);
  });

  it('defaults to 25 items a job, and one job when the plan is smaller', () => {
    expect([...jobBatches(plan, 'r1')].map((j) => j.items.length)).toEqual([24]);
  });

  it('leaves out the items already answered (a resume) and marks the jobs to retry errors', () => {
    const items = resolveJobItems(plan, [...jobBatches(plan, 'r1')][0] as never).items;
    const skip = new Set(items.slice(0, 20).map((i) => resultKey(keyOfItem(i))));
    const jobs = [...jobBatches(plan, 'r1', { size: 3, skip, retryErrors: true })];
    expect(jobs.map((j) => j.items.length)).toEqual([3, 1]);
    expect(jobs.flatMap((j) => j.items)).toEqual(
      items.slice(20).map((i) => [i.prompt.name, i.model.id, i.testCase.id, i.repeat]),
    );
    expect(jobs.every((j) => j.retryErrors === true)).toBe(true);
    expect([...jobBatches(plan, 'r1', { skip: new Set(items.map((i) => resultKey(keyOfItem(i)))) })]).toEqual(
      [],
    );
  });

  it('refuses a job size that is not a whole number ≥ 1', () => {
    expect(() => [...jobBatches(plan, 'r1', { size: 0 })]).toThrow(/whole number/);
  });
});

describe('resolveJobItems', () => {
  const plan = planRun(testProject());

  it("turns a job's names back into the plan's work items", () => {
    const { items, problems } = resolveJobItems(plan, {
      runId: 'r',
      items: [['p2', 'fake:b', 'c', 1]],
    });
    expect(problems).toEqual([]);
    expect(items).toHaveLength(1);
    expect(items[0]?.prompt).toBe(plan.prompts[1]);
    expect(items[0]?.model).toBe(plan.models[1]);
    expect(items[0]?.testCase).toBe(plan.cases[2]);
    expect(items[0]?.repeat).toBe(1);
  });

  it('names every item the plan does not have (another project, a repeat out of range)', () => {
    const { items, problems } = resolveJobItems(plan, {
      runId: 'r',
      items: [
        ['p3', 'fake:a', 'a', 0],
        ['p1', 'fake:z', 'a', 0],
        ['p1', 'fake:a', 'zz', 0],
        ['p1', 'fake:a', 'a', 2],
        ['p1', 'fake:a', 'a', 0],
      ],
    });
    expect(items).toHaveLength(1);
    expect(problems).toHaveLength(4);
    expect(problems[0]).toMatch(/prompt p3, model fake:a, case a, repeat 0/);
  });
});

describe('isEvalJob', () => {
  it('accepts the shape jobBatches makes and refuses anything else', () => {
    expect(isEvalJob({ runId: 'r', items: [['p', 'fake:a', 'c', 0]] })).toBe(true);
    expect(isEvalJob({ runId: 'r', items: [] })).toBe(true);
    expect(isEvalJob(null)).toBe(false);
    expect(isEvalJob({ runId: 1, items: [] })).toBe(false);
    expect(isEvalJob({ runId: 'r', items: [['p', 'fake:a', 'c', '0']] })).toBe(false);
    expect(isEvalJob({ runId: 'r', items: [['p', 'fake:a', 'c']] })).toBe(false);
  });
});
