import type { PromptDiffSection } from '../registry/diff-prompts.ts';
import { escapeHtml } from '../report/escape-html.ts';
import { fmtP } from './acceptance.ts';
import type { RateWithInterval, Spend, StepRecord } from './experiment-log.ts';
import { describeEdit } from './prompt-edit.ts';

/** Everything the before-and-after story shows; built by the optimizer from its log. */
export interface StoryData {
  prompt: string;
  file: string;
  suite: string;
  model: string;
  proposer: string;
  repeats: number;
  alpha: number;
  suiteSummary: { dev: number; test: number; protected: string[]; categories: Record<string, number> };
  initialPrompt: string;
  finalPrompt: string;
  initialVersion: string;
  finalVersion: string;
  steps: StepRecord[];
  diff: PromptDiffSection[];
  results: {
    split: 'dev' | 'test';
    before: RateWithInterval;
    after: RateWithInterval;
    difference?: { estimate: number; lower: number; upper: number };
  }[];
  /** Every case before → after: passes of answered samples (test cases only when the test split was looked at). */
  cases: {
    id: string;
    split: 'dev' | 'test';
    protected: boolean;
    before: string;
    after: string;
    change: string;
  }[];
  testLooks: number;
  final: { verdict: string; why: string };
  stopReason: string;
  spend: { target: Spend; judge: Spend; proposer: Spend; total: number };
  warnings: string[];
}

const pct = (x: number) => (Number.isFinite(x) ? `${(100 * x).toFixed(1)}%` : '–');
const pts = (x: number) => (Number.isFinite(x) ? `${x >= 0 ? '+' : ''}${(100 * x).toFixed(1)} pts` : '–');
const rate = (r: RateWithInterval) => `${pct(r.estimate)} [${pct(r.lower)}, ${pct(r.upper)}] (n=${r.n})`;
const diffText = (d?: { estimate: number; lower: number; upper: number }) =>
  d ? `${pts(d.estimate)} [${pts(d.lower)}, ${pts(d.upper)}]` : '–';
const usd = (x: number) => `$${x.toFixed(4)}`;

/** A fence longer than any run of backticks in the text, so model output cannot close it. */
function fenced(text: string, lang = ''): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}${lang}\n${text}\n${fence}`;
}
const cell = (s: string) => s.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
const inline = (s: string) => s.replace(/[\\`*_[\]<>|#]/g, (c) => `\\${c}`).replace(/\r?\n/g, ' ');

function stepEffect(s: StepRecord): string {
  const m = s.measured;
  if (!m)
    return s.probe
      ? `probe: ${s.probe.fixed.length} of ${s.predicted.length} predicted fixed`
      : 'not measured';
  return `dev pass@1 ${pct(m.before)} → ${pct(m.after)}; cases mostly passing ${diffText(m.difference)}; ${m.wins.length} better, ${m.losses.length} worse, ${m.regressions.length} regression(s); p = ${fmtP(m.p)} (α = ${fmtP(m.alpha)}, ${m.mode})`;
}

export function renderStoryMarkdown(d: StoryData): string {
  const out: string[] = [];
  const accepted = d.steps.filter((s) => s.verdict === 'accepted');
  out.push(`# Optimizing \`${d.prompt}\`: ${accepted.length} accepted of ${d.steps.length} hypotheses`, '');
  out.push(
    `Prompt file \`${d.file}\` · suite \`${d.suite}\` · target \`${d.model}\` · proposer \`${d.proposer}\` · ${d.repeats} repeat(s) per case · α = ${d.alpha} spent over the hypotheses tested`,
    '',
  );
  out.push(
    '## Results before and after',
    '',
    '| split | before | after | difference (cases mostly passing) |',
    '| --- | --- | --- | --- |',
  );
  for (const r of d.results)
    out.push(`| ${r.split} | ${rate(r.before)} | ${rate(r.after)} | ${diffText(r.difference)} |`);
  out.push(
    '',
    `Versions: \`${d.initialVersion}\` → \`${d.finalVersion}\`. Final decision: **${d.final.verdict}** — ${inline(d.final.why)}.`,
    `The held-out test split was looked at ${d.testLooks} time(s); it never chose between candidates. Stopped: ${inline(d.stopReason)}.`,
    '',
  );
  if (d.cases.length) {
    out.push('## Per case', '', '| case | split | before | after | |', '| --- | --- | --- | --- | --- |');
    for (const c of d.cases)
      out.push(
        `| ${inline(c.id)}${c.protected ? ' (protected)' : ''} | ${c.split} | ${c.before} | ${c.after} | ${c.change} |`,
      );
    out.push('');
  }
  out.push('## The test set', '');
  const cats = Object.entries(d.suiteSummary.categories)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  out.push(
    `- ${d.suiteSummary.dev} dev cases (what the optimizer iterates on), ${d.suiteSummary.test} held-out test cases (never shown to the proposer)`,
    `- protected cases (must never regress): ${d.suiteSummary.protected.length ? d.suiteSummary.protected.map((x) => `\`${x}\``).join(', ') : 'none'}`,
    ...(cats ? [`- categories: ${cats}`] : []),
    '',
  );
  out.push('## The initial prompt', '', fenced(d.initialPrompt, 'markdown'), '');
  out.push('## Iterations', '');
  if (d.steps.length === 0) out.push('No hypothesis was tried.', '');
  for (const s of d.steps) {
    out.push(`### Step ${s.step} — ${s.verdict}`, '');
    out.push(
      `- **Cluster** (${s.cluster.caseIds.length} case(s): ${s.cluster.caseIds.map((x) => `\`${x}\``).join(', ')}): ${inline(s.cluster.signature)}`,
    );
    out.push(
      `- **Diagnosis** (${s.proposer === 'person' ? 'a person' : 'the proposer'}): ${inline(s.diagnosis)}`,
    );
    for (const q of s.evidence) out.push(`  - evidence: “${inline(q)}”`);
    out.push(`- **Hypothesis**: ${inline(s.hypothesis)}`);
    out.push(`- **Edit**: ${inline(s.edit ? describeEdit(s.edit) : s.editText)}`);
    out.push(`- **Predicted**: fixes ${s.predicted.map((x) => `\`${x}\``).join(', ') || '–'}`);
    out.push(`- **Measured**: ${inline(stepEffect(s))}`);
    out.push(
      `- **Verdict**: ${s.verdict} — ${inline(s.why)}${s.version ? ` (version \`${s.version}\`)` : ''}`,
    );
    if (s.diff?.length) out.push('', fenced(s.diff.join('\n'), 'diff'));
    out.push('');
  }
  out.push('## The final prompt', '', fenced(d.finalPrompt, 'markdown'), '');
  out.push('## Diff', '');
  if (d.diff.length === 0) out.push('No change.', '');
  for (const s of d.diff) out.push(`${s.section}:`, '', fenced(s.lines.join('\n'), 'diff'), '');
  out.push('## Cost', '', '| role | calls | cached | USD |', '| --- | --- | --- | --- |');
  for (const [role, s] of [
    ['target', d.spend.target],
    ['judge', d.spend.judge],
    ['proposer', d.spend.proposer],
  ] as const)
    out.push(`| ${role} | ${s.calls} | ${s.cached} | ${usd(s.cost)} |`);
  out.push(`| total | | | ${usd(d.spend.total)} |`, '');
  if (d.warnings.length) out.push('## Warnings', '', ...d.warnings.map((w) => `- ${cell(w)}`), '');
  return out.join('\n');
}

const STYLE = `body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1b1f24}
table{border-collapse:collapse;margin:.5rem 0}td,th{border:1px solid #d0d7de;padding:.3rem .6rem;text-align:left}
pre{background:#f6f8fa;padding:.8rem;overflow:auto;white-space:pre-wrap}.accepted{color:#1a7f37}.v{font-weight:600}
.rejected{color:#9a6700}.add{color:#1a7f37}.del{color:#cf222e}section{border-top:1px solid #d0d7de;margin-top:1rem}`;

function diffHtml(lines: string[]): string {
  return `<pre>${lines
    .map((l) => {
      const cls = l.startsWith('+ ') ? 'add' : l.startsWith('- ') ? 'del' : '';
      return cls ? `<span class="${cls}">${escapeHtml(l)}</span>` : escapeHtml(l);
    })
    .join('\n')}</pre>`;
}

/** The same story as one offline HTML file: every text escaped, no script, no external resource. */
export function renderStoryHtml(d: StoryData): string {
  const e = escapeHtml;
  const accepted = d.steps.filter((s) => s.verdict === 'accepted');
  const h: string[] = [];
  h.push(
    '<!doctype html><html lang="en"><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`,
    `<title>Optimizing ${e(d.prompt)}</title><style>${STYLE}</style></head><body>`,
    `<h1>Optimizing <code>${e(d.prompt)}</code>: ${accepted.length} accepted of ${d.steps.length} hypotheses</h1>`,
    `<p>Prompt file <code>${e(d.file)}</code> · suite <code>${e(d.suite)}</code> · target <code>${e(d.model)}</code> · proposer <code>${e(d.proposer)}</code> · ${d.repeats} repeat(s) per case · α = ${d.alpha}</p>`,
    '<h2>Results before and after</h2><table><tr><th>split</th><th>before</th><th>after</th><th>difference (cases mostly passing)</th></tr>',
    ...d.results.map(
      (r) =>
        `<tr><td>${e(r.split)}</td><td>${e(rate(r.before))}</td><td>${e(rate(r.after))}</td><td>${e(diffText(r.difference))}</td></tr>`,
    ),
    '</table>',
    `<p>Versions <code>${e(d.initialVersion)}</code> → <code>${e(d.finalVersion)}</code>. Final decision: <span class="v">${e(d.final.verdict)}</span> — ${e(d.final.why)}.</p>`,
    `<p>The held-out test split was looked at ${d.testLooks} time(s); it never chose between candidates. Stopped: ${e(d.stopReason)}.</p>`,
    ...(d.cases.length
      ? [
          '<h2>Per case</h2><table><tr><th>case</th><th>split</th><th>before</th><th>after</th><th></th></tr>',
          ...d.cases.map(
            (c) =>
              `<tr><td>${e(c.id)}${c.protected ? ' (protected)' : ''}</td><td>${e(c.split)}</td><td>${e(c.before)}</td><td>${e(c.after)}</td><td>${e(c.change)}</td></tr>`,
          ),
          '</table>',
        ]
      : []),
    '<h2>The test set</h2><ul>',
    `<li>${d.suiteSummary.dev} dev cases, ${d.suiteSummary.test} held-out test cases (never shown to the proposer)</li>`,
    `<li>protected: ${d.suiteSummary.protected.length ? d.suiteSummary.protected.map((x) => `<code>${e(x)}</code>`).join(', ') : 'none'}</li>`,
    `<li>categories: ${e(
      Object.entries(d.suiteSummary.categories)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ') || '–',
    )}</li></ul>`,
    `<h2>The initial prompt</h2><pre>${e(d.initialPrompt)}</pre>`,
    '<h2>Iterations</h2>',
  );
  if (d.steps.length === 0) h.push('<p>No hypothesis was tried.</p>');
  for (const s of d.steps) {
    h.push(
      `<section><h3>Step ${s.step} — <span class="${s.verdict === 'accepted' ? 'accepted' : 'rejected'}">${e(s.verdict)}</span></h3><ul>`,
      `<li><b>Cluster</b> (${s.cluster.caseIds.map((x) => `<code>${e(x)}</code>`).join(', ')}): ${e(s.cluster.signature)}</li>`,
      `<li><b>Diagnosis</b> (${s.proposer === 'person' ? 'a person' : 'the proposer'}): ${e(s.diagnosis)}${s.evidence.length ? `<ul>${s.evidence.map((q) => `<li>evidence: “${e(q)}”</li>`).join('')}</ul>` : ''}</li>`,
      `<li><b>Hypothesis</b>: ${e(s.hypothesis)}</li>`,
      `<li><b>Edit</b>: ${e(s.edit ? describeEdit(s.edit) : s.editText)}</li>`,
      `<li><b>Predicted</b>: fixes ${s.predicted.map((x) => `<code>${e(x)}</code>`).join(', ') || '–'}</li>`,
      `<li><b>Measured</b>: ${e(stepEffect(s))}</li>`,
      `<li><b>Verdict</b>: ${e(s.verdict)} — ${e(s.why)}${s.version ? ` (version <code>${e(s.version)}</code>)` : ''}</li></ul>`,
      ...(s.diff?.length ? [diffHtml(s.diff)] : []),
      '</section>',
    );
  }
  h.push(`<h2>The final prompt</h2><pre>${e(d.finalPrompt)}</pre>`, '<h2>Diff</h2>');
  if (d.diff.length === 0) h.push('<p>No change.</p>');
  for (const s of d.diff) h.push(`<p>${e(s.section)}:</p>`, diffHtml(s.lines));
  h.push('<h2>Cost</h2><table><tr><th>role</th><th>calls</th><th>cached</th><th>USD</th></tr>');
  for (const [role, s] of [
    ['target', d.spend.target],
    ['judge', d.spend.judge],
    ['proposer', d.spend.proposer],
  ] as const)
    h.push(`<tr><td>${role}</td><td>${s.calls}</td><td>${s.cached}</td><td>${usd(s.cost)}</td></tr>`);
  h.push(`<tr><td>total</td><td></td><td></td><td>${usd(d.spend.total)}</td></tr></table>`);
  if (d.warnings.length)
    h.push('<h2>Warnings</h2><ul>', ...d.warnings.map((w) => `<li>${e(w)}</li>`), '</ul>');
  h.push('</body></html>\n');
  return h.join('\n');
}
