import type { GateCheck, GateComparison, GateResult } from '../app/gate.ts';
import { xmlAttr, xmlText } from './export-results.ts';
import { safeText } from './format.ts';
import { renderComparisonMarkdown, verdictText } from './render-comparison.ts';

const verdictWord: Record<GateResult['verdict'], string> = {
  pass: 'PASS',
  fail: 'FAIL',
  incomplete: 'INCOMPLETE',
};

/** The gate for a terminal: verdict, reasons, then every check. */
export function renderGate(r: GateResult): string {
  const lines: string[] = [];
  lines.push(
    `gate ${verdictWord[r.verdict]} (exit ${r.exitCode}) · baseline ${baselineText(r)} · candidate ${candidateText(r)}`,
  );
  lines.push(
    `metric ${r.settings.metric} · α ${r.settings.alpha} · max regressions ${r.settings.maxRegressions ?? 'no limit'} · max error rate ${pctText(r.settings.maxErrorRate)} · seed ${r.settings.seed}`,
  );
  for (const c of r.comparisons) lines.push(`  ${comparisonLine(c)}`);
  if (r.reasons.length > 0) {
    lines.push('failed:');
    for (const reason of r.reasons) lines.push(`  ✗ ${safeText(reason, 300)}`);
  }
  const passed = r.checks.filter((c) => c.ok);
  if (passed.length > 0) {
    lines.push('passed:');
    for (const c of passed) lines.push(`  ✓ ${safeText(c.message, 300)}`);
  }
  for (const w of r.warnings) lines.push(`warning: ${safeText(w, 300)}`);
  return lines.join('\n');
}

function comparisonLine(g: GateComparison): string {
  const c = g.comparison;
  const a = c.baseline.passRate;
  const b = c.candidate.passRate;
  const rate = (x: typeof a) => (x ? `${pctText(x.estimate)} (${x.passed}/${x.n})` : '—');
  return safeText(`${g.suite} · ${g.prompt} · ${g.modelId}: ${rate(a)} → ${rate(b)}, ${verdictText(c)}`, 300);
}

/** A Markdown summary for a pull-request comment or $GITHUB_STEP_SUMMARY. Hostile text is escaped. */
export function renderGateMarkdown(r: GateResult): string {
  const icon = r.verdict === 'pass' ? '✅' : r.verdict === 'fail' ? '❌' : '⚠️';
  const out: string[] = [];
  out.push(`## ${icon} assay gate: ${verdictWord[r.verdict]} (exit ${r.exitCode})`);
  out.push('');
  out.push(
    `Baseline ${md(baselineText(r))} · candidate ${md(candidateText(r))} · metric ${r.settings.metric} · α ${r.settings.alpha} · max regressions ${r.settings.maxRegressions ?? 'no limit'} · max error rate ${pctText(r.settings.maxErrorRate)} · seed ${r.settings.seed}`,
  );
  if (r.reasons.length > 0) {
    out.push('', '**Why it failed**', '');
    for (const reason of r.reasons) out.push(`- ${md(reason)}`);
  }
  for (const g of r.comparisons) {
    out.push('', `### ${md(`${g.suite} · ${g.prompt} · ${g.modelId}`)}`, '');
    out.push(renderComparisonMarkdown(g.comparison));
  }
  out.push(
    '',
    '<details><summary>All checks</summary>',
    '',
    '| check | scope | result |',
    '| --- | --- | --- |',
  );
  for (const c of r.checks)
    out.push(
      `| ${md(c.name)} | ${md(c.scope)} | ${c.ok ? '✓' : c.failExitCode === 3 ? '⚠ incomplete' : '✗ failed'} |`,
    );
  out.push('', '</details>');
  if (r.warnings.length > 0) {
    out.push('', '**Warnings**', '');
    for (const w of r.warnings) out.push(`- ${md(w)}`);
  }
  return `${out.join('\n')}\n`;
}

/** JUnit XML: one testsuite "assay gate", one testcase per check, a failure for each violation. */
export function renderGateJunit(r: GateResult): string {
  const failed = r.checks.filter((c) => !c.ok);
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="assay" tests="${r.checks.length}" failures="${failed.length}">`,
    `  <testsuite name="assay gate" tests="${r.checks.length}" failures="${failed.length}" errors="0">`,
    `    <properties>`,
    `      <property name="verdict" value="${r.verdict}"/>`,
    `      <property name="exitCode" value="${r.exitCode}"/>`,
    `      <property name="baseline" value="${xmlAttr(baselineText(r))}"/>`,
    `      <property name="candidate" value="${xmlAttr(candidateText(r))}"/>`,
    `    </properties>`,
  ];
  for (const c of r.checks) lines.push(...junitCase(c));
  lines.push('  </testsuite>', '</testsuites>');
  return `${lines.join('\n')}\n`;
}

function junitCase(c: GateCheck): string[] {
  const open = `    <testcase classname="${xmlAttr(`assay.gate.${c.scope}`)}" name="${xmlAttr(c.name)}">`;
  const body = c.ok
    ? [`      <system-out>${xmlText(c.message)}</system-out>`]
    : [
        `      <failure type="${c.failExitCode === 3 ? 'incomplete' : 'regression'}" message="${xmlAttr(c.message)}">${xmlText(c.message)}</failure>`,
      ];
  return [open, ...body, '    </testcase>'];
}

function baselineText(r: GateResult): string {
  const g = r.baseline.git;
  const runs = r.baseline.runs.length ? ` (run ${r.baseline.runs.join(', ')})` : '';
  return g ? `git:${g.ref} @ ${g.commit.slice(0, 12)}${runs}` : `${r.baseline.spec}${runs}`;
}

function candidateText(r: GateResult): string {
  const runs = r.candidate.runs.length ? ` (run ${r.candidate.runs.join(', ')})` : '';
  return `${r.candidate.spec}${runs}`;
}

function pctText(x: number): string {
  return `${(100 * x).toFixed(1).replace(/\.0$/, '')}%`;
}

/** Markdown-safe inline text: no HTML, no table breaks, no code-span escapes, no newlines. */
function md(s: string): string {
  return safeText(s, 500)
    .replace(/[\\`*_[\]<>|#!]/g, (ch) => `\\${ch}`)
    .replace(/&/g, '&amp;');
}
