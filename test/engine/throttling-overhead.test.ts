import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runEval } from '../../src/engine/run-engine.ts';
import { createModelRegistry } from '../../src/models/model-registry.ts';
import { loadProject } from '../../src/project/load-project.ts';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.ts';

/** The limiter and adaptive concurrency sit on every attempt: their CPU cost per case must stay tiny. */

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function cpuPerCase(n: number, limits: string[]): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'assay-throttle-cpu-'));
  writeFileSync(
    join(dir, 'assay.yaml'),
    ['prompts: [q.prompt.md]', 'suites: [cases.jsonl]', 'models:', '  - id: fake:echo', ...limits].join('\n'),
  );
  writeFileSync(join(dir, 'q.prompt.md'), '---\nvariables:\n  n: number\n---\nSay the number {{ n }}.\n');
  writeFileSync(
    join(dir, 'cases.jsonl'),
    `${Array.from({ length: n }, (_, i) => JSON.stringify({ id: `c${i}`, vars: { n: i } })).join('\n')}\n`,
  );
  const store = openSqliteStore(join(dir, 'assay.db'));
  cleanups.push(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const project = await loadProject({ cwd: dir });
  const registry = createModelRegistry(project.models, { root: project.root, env: {} });
  const run = (filter?: { caseIds: string[] }) =>
    runEval({
      project,
      store,
      resolveModel: (id) => registry.resolve(id),
      concurrency: 16,
      ...(filter ? { filter } : {}),
    });
  await run({ caseIds: ['c0'] }); // warm up
  const cpu0 = process.cpuUsage();
  const out = await run();
  const cpu = process.cpuUsage(cpu0);
  expect(out.run.status).toBe('completed');
  return (cpu.user + cpu.system) / 1000 / n;
}

describe('throttling overhead', () => {
  it('rpm + tpm limits (never reached) add well under a millisecond of CPU per case', async () => {
    const n = 4000;
    const plain = await cpuPerCase(n, []);
    const limited = await cpuPerCase(n, ['    rpm: 100000000', '    tpm: 100000000000']);
    console.log(`cpu per case: ${plain.toFixed(3)} ms without limits, ${limited.toFixed(3)} ms with rpm+tpm`);
    expect(limited).toBeLessThan(1);
    expect(limited - plain).toBeLessThan(0.2);
  }, 60_000);
});
