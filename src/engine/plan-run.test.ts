import { describe, expect, it } from 'vitest';
import type { Project } from '../core/config/project.ts';
import { ConfigError } from '../core/errors.ts';
import type { CaseSpec, PromptSpec, Suite } from '../core/types.ts';
import { planItems, planRun, planSize, targetModels } from './plan-run.ts';

function prompt(name: string): PromptSpec {
  return {
    name,
    file: `${name}.prompt.md`,
    version: `v-${name}`,
    canonical: name,
    settings: {},
    variables: {},
    messages: [{ role: 'user', content: 'hi' }],
  };
}

function kase(id: string, extra: Partial<CaseSpec> = {}): CaseSpec {
  return { id, vars: {}, checks: [], tags: [], ...extra };
}

function project(over: Partial<Project> = {}): Project {
  const suite: Suite = {
    name: 'main',
    file: 'cases.jsonl',
    hash: 'h',
    defaultChecks: [],
    cases: [
      kase('a', { split: 'dev', category: 'edge', tags: ['x'] }),
      kase('b', { split: 'test', tags: ['x', 'y'] }),
      kase('c'),
    ],
  };
  return {
    root: '/p',
    configFile: 'assay.yaml',
    name: 'p',
    prompts: [prompt('p1'), prompt('p2')],
    suites: [suite, { ...suite, name: 'only-p2', prompts: ['p2'] }],
    models: [{ id: 'fake:a' }, { id: 'fake:b' }],
    defaults: { repeats: 2, concurrency: 4, timeoutMs: 1000, maxRetries: 1, maxErrorRate: 0.1, seed: 0 },
    storePath: '/p/.assay/assay.db',
    checks: new Map(),
    ...over,
  };
}

describe('planRun', () => {
  it('is prompts × models × cases × repeats of the first suite by default', () => {
    const plan = planRun(project());
    expect(plan.suite.name).toBe('main');
    expect(plan.size).toBe(2 * 2 * 3 * 2);
    expect(planSize(plan)).toBe(plan.size);
    expect([...planItems(plan)]).toHaveLength(plan.size);
  });

  it('items are model-major, then case, prompt, repeat; one model at a time on request', () => {
    const plan = planRun(project(), { repeats: 1 });
    const ids = [...planItems(plan)].map(
      (i) => `${i.model.id}/${i.testCase.id}/${i.prompt.name}/${i.repeat}`,
    );
    expect(ids.slice(0, 4)).toEqual(['fake:a/a/p1/0', 'fake:a/a/p2/0', 'fake:a/b/p1/0', 'fake:a/b/p2/0']);
    const onlyB = [...planItems(plan, 'fake:b')];
    expect(onlyB).toHaveLength(6);
    expect(onlyB.every((i) => i.model.id === 'fake:b')).toBe(true);
  });

  it('is lazy: a huge plan yields items without building them all', () => {
    const cases = Array.from({ length: 200_000 }, (_, i) => kase(`c${i}`));
    const p = project();
    const big = project({ suites: [{ ...(p.suites[0] as Suite), cases }] });
    const plan = planRun(big, { repeats: 5 });
    expect(plan.size).toBe(2 * 2 * 200_000 * 5);
    const it = planItems(plan);
    expect(it.next().value?.testCase.id).toBe('c0');
  });

  it('applies the selection and the filters', () => {
    const pr = project();
    expect(planRun(pr, { prompts: ['p2'], models: ['fake:b'], repeats: 1 }).size).toBe(3);
    expect(planRun(pr, { suite: 'only-p2' }).prompts.map((p) => p.name)).toEqual(['p2']);
    expect(planRun(pr, { filter: { split: 'dev' } }).cases.map((c) => c.id)).toEqual(['a', 'c']); // no split = dev
    expect(planRun(pr, { filter: { split: 'test' } }).cases.map((c) => c.id)).toEqual(['b']);
    expect(planRun(pr, { filter: { category: 'edge' } }).cases.map((c) => c.id)).toEqual(['a']);
    expect(planRun(pr, { filter: { tag: 'y' } }).cases.map((c) => c.id)).toEqual(['b']);
    expect(planRun(pr, { filter: { caseIds: ['c', 'a'] } }).cases.map((c) => c.id)).toEqual(['a', 'c']);
  });

  it('unknown names and empty selections are ConfigErrors that say what exists', () => {
    const pr = project();
    expect(() => planRun(pr, { suite: 'nope' })).toThrow(/no suite named 'nope'.*main, only-p2/);
    expect(() => planRun(pr, { prompts: ['zz'] })).toThrow(/no prompt named 'zz'.*p1, p2/);
    expect(() => planRun(pr, { models: ['fake:zz'] })).toThrow(/fake:zz is not configured.*fake:a, fake:b/);
    expect(() => planRun(pr, { suite: 'only-p2', prompts: ['p1'] })).toThrow(/no selected prompt applies/);
    expect(() => planRun(pr, { filter: { tag: 'none' } })).toThrow(ConfigError);
    expect(() => planRun(pr, { filter: { tag: 'none' } })).toThrow(
      /no case of suite 'main' matches tag none/,
    );
    expect(() => planRun(project({ models: [] }))).toThrow(/no model is configured/);
    expect(() => planRun(pr, { repeats: 0 })).toThrow(/repeats/);
  });
});

describe('targetModels', () => {
  const m = (id: string, target?: boolean) => ({ id, ...(target !== undefined ? { target } : {}) });
  it('leaves out models only the checks call, unless marked target: true; target: false always leaves out', () => {
    const project = {
      models: [m('fake:bot'), m('fake:judge'), m('fake:both', true), m('fake:off', false)],
      checkModels: ['fake:judge', 'fake:both'],
    };
    expect(targetModels(project).map((x) => x.id)).toEqual(['fake:bot', 'fake:both']);
    expect(targetModels({ models: [m('fake:a')] }).map((x) => x.id)).toEqual(['fake:a']);
    // One model that both answers and judges: evaluated, as before.
    expect(targetModels({ models: [m('fake:a')], checkModels: ['fake:a'] }).map((x) => x.id)).toEqual([
      'fake:a',
    ]);
    expect(targetModels({ models: [m('fake:a', false)], checkModels: ['fake:a'] })).toEqual([]);
  });
});
