import { describe, expect, it } from 'vitest';
import type { ModelConfig } from '../core/config/project.ts';
import { createFakeModel } from '../models/fake-model.ts';
import { openSqliteStore } from '../store/sqlite/sqlite-store.ts';
import { resultKey } from '../store/store.ts';
import { testProject, testRun } from '../test-helpers/queue-test-project.ts';
import { planItems, planRun } from './plan-run.ts';
import { runItems } from './run-engine.ts';
import type { RunOptions } from './run-options.ts';

/** A project whose two fake models count their calls, a stored run of it, and runItems' options. */
function setup() {
  const calls: string[] = [];
  const model = (id: string): ModelConfig => ({
    id,
    respond: (messages) => {
      calls.push(id);
      return `answer to ${messages.at(-1)?.content}`;
    },
  });
  const project = testProject({ models: [model('fake:a'), model('fake:b')] });
  const plan = planRun(project);
  const store = openSqliteStore(':memory:');
  const run = testRun(plan);
  const options: RunOptions = {
    project,
    store,
    resolveModel: (id) =>
      createFakeModel(project.models.find((m) => m.id === id) as ModelConfig, { root: project.root }),
  };
  return { calls, plan, store, run, options };
}

describe('runItems (a queue worker’s job)', () => {
  it('runs exactly the given items of a stored run, across models, and leaves the run’s status alone', async () => {
    const { calls, plan, store, run, options } = setup();
    try {
      await store.createRun({ id: run.id, manifest: run.manifest, planned: run.planned });
      const all = [...planItems(plan)];
      const mine = [all[0], all[5], all[13], all[23]].filter((x) => x !== undefined);
      const outcome = await runItems(options, { runId: run.id, items: mine });
      expect(outcome.incomplete).toBeUndefined();
      expect(outcome.run.status).toBe('running');
      expect(calls.sort()).toEqual(['fake:a', 'fake:a', 'fake:b', 'fake:b']);
      const stored: string[] = [];
      for await (const r of store.iterateResults(run.id)) {
        stored.push(resultKey(r));
        expect(r.status).toBe('pass');
        expect(r.output).toBe('answer to hi');
      }
      expect(stored.sort()).toEqual(
        mine
          .map((i) =>
            resultKey({
              promptVersion: i.prompt.version,
              modelId: i.model.id,
              caseId: i.testCase.id,
              repeat: i.repeat,
            }),
          )
          .sort(),
      );
      expect((await store.getRun(run.id))?.status).toBe('running');
    } finally {
      await store.close();
    }
  });

  it('stopped before it starts: nothing is called or stored, the outcome says interrupted', async () => {
    const { calls, plan, store, run, options } = setup();
    try {
      await store.createRun({ id: run.id, manifest: run.manifest, planned: run.planned });
      const stop = new AbortController();
      stop.abort();
      const outcome = await runItems(
        { ...options, signal: stop.signal },
        { runId: run.id, items: [...planItems(plan)].slice(0, 3) },
      );
      expect(outcome.incomplete).toBe('interrupted');
      expect(calls).toEqual([]);
      expect(await store.countResults(run.id)).toBe(0);
      expect((await store.getRun(run.id))?.status).toBe('running');
    } finally {
      await store.close();
    }
  });
});
