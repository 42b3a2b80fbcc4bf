import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadProject } from '../../src/project/load-project.ts';
import { writeReport } from '../../src/report/write-report.ts';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { HOSTILE_NAME, HOSTILE_OUTPUTS } from '../fixtures/hostile-outputs.ts';
import { seedRun } from './seed-report-store.ts';

export interface HostileReport {
  dir: string;
  html: string;
  md: string;
  cleanup: () => void;
}

/**
 * A project whose suite's case ids and vars are hostile, and two runs of it seeded into its store (same
 * suite hash, so the report shows the inputs) whose outputs, names, categories, check reasons, error
 * messages and manifest fields are the hostile corpus; then `writeReport` of the second run compared with
 * the first, as HTML and as Markdown. Half the cases flip, so the side-by-side diffs render hostile text.
 */
export async function makeHostileReport(): Promise<HostileReport> {
  const dir = mkdtempSync(join(tmpdir(), 'assay-report-hostile-'));
  mkdirSync(join(dir, 'prompts'));
  mkdirSync(join(dir, 'suites'));
  writeFileSync(
    join(dir, 'assay.yaml'),
    'name: hostile\nprompts: [prompts/*.prompt.md]\nsuites: [suites/main.yaml]\nmodels: [fake:echo]\n',
  );
  writeFileSync(
    join(dir, 'prompts/bot.prompt.md'),
    '---\nname: bot\nvariables:\n  q: string\n---\n# user\n{{ q }}\n',
  );
  const ids = [HOSTILE_NAME, ...HOSTILE_OUTPUTS.map((_, i) => `h${i}`)];
  const cases = ids.map((id, i) => ({
    id,
    vars: { q: HOSTILE_OUTPUTS[i % HOSTILE_OUTPUTS.length], [HOSTILE_NAME]: 1 },
    checks: [{ type: 'contains', value: 'x' }],
  }));
  writeFileSync(join(dir, 'suites/main.yaml'), JSON.stringify({ cases }));
  const project = await loadProject({ cwd: dir });
  const suite = project.suites[0];
  if (!suite) throw new Error('the hostile project has no suite');
  const n = HOSTILE_OUTPUTS.length;
  const manifest = {
    prompts: [
      {
        name: HOSTILE_NAME,
        version: 'abcdef012345',
        file: `prompts/${HOSTILE_NAME}.prompt.md`,
        source: HOSTILE_OUTPUTS[0] as string,
      },
    ],
    suite: { name: 'main', file: HOSTILE_NAME, hash: suite.hash, cases: ids.length },
    models: [{ id: `fake:${HOSTILE_NAME}`, settings: { temperature: 0, note: HOSTILE_OUTPUTS[1] } }],
    git: { commit: HOSTILE_NAME, dirty: true },
    priceTable: {
      package: HOSTILE_NAME,
      version: HOSTILE_OUTPUTS[2] as string,
      overrides: HOSTILE_OUTPUTS[4],
    },
    project: HOSTILE_NAME,
  };
  const store = openSqliteStore(join(dir, '.assay/assay.db'));
  const common = {
    cases: ids.length,
    caseId: (i: number) => ids[i] as string,
    category: (i: number) => (i % 3 === 0 ? HOSTILE_NAME : 'edge'),
    patch: (i: number) => ({
      prompt: HOSTILE_NAME,
      checks: [
        {
          type: HOSTILE_NAME,
          name: HOSTILE_OUTPUTS[(i + 2) % n],
          pass: i % 2 === 0,
          reason: HOSTILE_OUTPUTS[(i + 3) % n] as string,
        },
      ],
    }),
  };
  await seedRun(store, {
    id: 'base-run-0001',
    ...common,
    manifest: { ...manifest, createdAt: '2026-12-01T10:00:00.000Z' },
    status: () => 'pass',
    output: (i) => HOSTILE_OUTPUTS[i % n] as string,
  });
  await seedRun(store, {
    id: 'cand-run-0002',
    ...common,
    manifest: {
      ...manifest,
      prompts: [{ ...manifest.prompts[0], version: 'fedcba987654' }] as typeof manifest.prompts,
    },
    status: (i) => (i === 13 ? 'error' : i % 2 === 1 ? 'fail' : 'pass'),
    output: (i) => `${HOSTILE_OUTPUTS[(i + 1) % n]} ${HOSTILE_OUTPUTS[i % n]}`,
    patch: (i) => ({
      ...common.patch(i),
      ...(i === 13
        ? { checks: [], error: { kind: 'server' as const, message: HOSTILE_OUTPUTS[0] as string } }
        : {}),
    }),
  });
  await store.close();
  const opts = { cwd: dir, run: 'cand-run-0002', compare: 'base-run-0001', assayVersion: '0.0.0-test' };
  await writeReport({ ...opts, output: join(dir, 'report.html') });
  await writeReport({ ...opts, output: join(dir, 'report.md') });
  return {
    dir,
    html: join(dir, 'report.html'),
    md: join(dir, 'report.md'),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
