import { summarizeTrajectory } from '../../agents/summarize-trajectory.ts';
import { buildEvalReport } from '../../app/build-eval-report.ts';
import { locateStore } from '../../app/locate-store.ts';
import { loadSuiteExpected } from '../../app/suite-expected.ts';
import { AssayError } from '../../core/errors.ts';
import type { ResultRecord } from '../../core/types.ts';
import { formatCost, safeText, table } from '../../reporters/format.ts';
import { renderEvalReport } from '../../reporters/render-eval-report.ts';
import { openStore } from '../../store/open-store.ts';

interface StoreFlags {
  cwd: string;
  config?: string;
  store?: string;
  json?: boolean;
}

export async function runsListCommand(flags: StoreFlags & { limit: number }): Promise<number> {
  const store = await openStore({ path: await locateStore(flags) });
  try {
    const runs = await store.listRuns({ limit: flags.limit });
    if (flags.json) {
      const rows = runs.map((r) => ({
        id: r.id,
        status: r.status,
        createdAt: r.createdAt,
        finishedAt: r.finishedAt,
        planned: r.planned,
        cost: r.cost,
        costUnknown: r.costUnknown,
        prompts: r.manifest.prompts.map((p) => `${p.name}@${p.version}`),
        models: r.manifest.models.map((m) => m.id),
        suite: r.manifest.suite.name,
      }));
      process.stdout.write(`${JSON.stringify({ runs: rows }, null, 2)}\n`);
      return 0;
    }
    if (runs.length === 0) {
      process.stdout.write('no runs yet: run `assay eval`\n');
      return 0;
    }
    const rows = runs.map((r) => [
      r.id,
      r.createdAt.replace('T', ' ').slice(0, 19),
      r.status,
      safeText(r.manifest.suite.name, 24),
      safeText(r.manifest.prompts.map((p) => `${p.name}@${p.version.slice(0, 8)}`).join(', '), 40),
      safeText(r.manifest.models.map((m) => m.id).join(', '), 40),
      String(r.planned),
      formatCost(r.cost, r.costUnknown),
    ]);
    process.stdout.write(
      `${table(['run', 'created (UTC)', 'status', 'suite', 'prompts', 'models', 'planned', 'cost'], rows, [false, false, false, false, false, false, true, true])}\n`,
    );
    return 0;
  } finally {
    await store.close();
  }
}

export async function runsShowCommand(id: string, flags: StoreFlags & { failures: number }): Promise<number> {
  const store = await openStore({ path: await locateStore(flags) });
  try {
    const run = await store.findRun(id);
    if (!run) throw new AssayError(`no run '${id}'; see \`assay runs list\``, 2);
    const expected = await loadSuiteExpected(run.manifest, flags);
    const report = await buildEvalReport({ store, run, maxErrorRate: 1, expected });
    const failures: ResultRecord[] = [];
    for await (const r of store.iterateResults(run.id)) {
      if (failures.length >= flags.failures) break;
      if (r.status !== 'pass') failures.push(r);
    }
    if (flags.json) {
      process.stdout.write(`${JSON.stringify({ report, manifest: run.manifest, failures }, null, 2)}\n`);
      return 0;
    }
    const m = run.manifest;
    const lines = [renderEvalReport(report), ''];
    lines.push(`prompts   ${m.prompts.map((p) => `${p.name}@${p.version} (${p.file})`).join(', ')}`);
    lines.push(`suite     ${m.suite.name} (${m.suite.file}, hash ${m.suite.hash.slice(0, 12)})`);
    lines.push(`models    ${m.models.map((x) => x.id).join(', ')}`);
    if (m.git) lines.push(`git       ${m.git.commit.slice(0, 12)}${m.git.dirty ? ' (dirty)' : ''}`);
    lines.push(
      `prices    ${m.priceTable.package}@${m.priceTable.version}${m.priceTable.overrides ? ` + ${m.priceTable.overrides}` : ''}`,
    );
    if (failures.length) {
      lines.push('', `first ${failures.length} failed or errored results:`);
      for (const f of failures) {
        const why =
          f.status === 'error'
            ? `error ${f.error?.kind}: ${f.error?.message ?? ''}`
            : f.checks
                .filter((c) => !c.pass)
                .map((c) => `${c.name ?? c.type}: ${c.reason}`)
                .join('; ');
        lines.push(
          `  ${f.status.padEnd(5)} ${safeText(f.caseId, 30)}${f.repeat ? `#${f.repeat}` : ''} · ${safeText(f.modelId, 30)} · ${safeText(why, 100)}`,
        );
        if (f.output !== undefined) lines.push(`        output: ${safeText(f.output, 100)}`);
        if (f.trajectory)
          lines.push(`        trajectory: ${safeText(summarizeTrajectory(f.trajectory), 140)}`);
      }
    }
    process.stdout.write(`${lines.join('\n')}\n`);
    return 0;
  } finally {
    await store.close();
  }
}
