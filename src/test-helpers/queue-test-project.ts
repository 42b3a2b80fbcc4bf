import type { Project } from '../core/config/project.ts';
import type { RunRecord } from '../core/types.ts';
import type { RunPlan } from '../engine/plan-run.ts';

/** A small in-memory project for the queue's unit tests: 2 prompts, 2 models, 3 cases, 2 repeats. */
export function testProject(over: Partial<Project> = {}): Project {
  const prompt = (name: string) => ({
    name,
    file: `${name}.prompt.md`,
    version: `v-${name}`,
    canonical: name,
    settings: {},
    variables: {},
    messages: [{ role: 'user' as const, content: 'hi' }],
  });
  return {
    root: '/p',
    configFile: 'assay.yaml',
    name: 'p',
    prompts: [prompt('p1'), prompt('p2')],
    suites: [
      {
        name: 'main',
        file: 'cases.jsonl',
        hash: 'h1',
        defaultChecks: [],
        cases: ['a', 'b', 'c'].map((id) => ({ id, vars: {}, checks: [], tags: [] })),
      },
    ],
    models: [{ id: 'fake:a', settings: { temperature: 0 } }, { id: 'fake:b' }],
    defaults: { repeats: 2, concurrency: 4, timeoutMs: 1000, maxRetries: 1, maxErrorRate: 0.1, seed: 0 },
    storePath: '/p/.assay/assay.db',
    checks: new Map(),
    ...over,
  };
}

/** The run record `assay eval --queue` would store for this plan (only the fields the checks read). */
export function testRun(plan: RunPlan, seed = 0): RunRecord {
  return {
    id: 'run000000001',
    status: 'running',
    createdAt: '2026-01-01T00:00:00.000Z',
    planned: plan.size,
    cost: 0,
    costUnknown: false,
    manifest: {
      schemaVersion: 1,
      project: 'p',
      prompts: plan.prompts.map((p) => ({
        name: p.name,
        version: p.version,
        file: p.file,
        source: p.canonical,
      })),
      suite: {
        name: plan.suite.name,
        file: plan.suite.file,
        hash: plan.suite.hash,
        cases: plan.cases.length,
      },
      models: plan.models.map((m) => ({ id: m.id, settings: { ...(m.settings ?? {}) } })),
      repeats: plan.repeats,
      seed,
      packages: {},
      priceTable: { package: 'x', version: '0' },
      node: 'v24',
      createdAt: '2026-01-01T00:00:00.000Z',
      options: { concurrency: 4, timeoutMs: 1000, maxRetries: 1, cache: true },
    },
  };
}
