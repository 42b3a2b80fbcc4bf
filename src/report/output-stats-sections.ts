import type { GroupConsistency } from '../core/stats/paraphrase-consistency.ts';
import type { FunnelStage, StructuredFunnel } from '../core/stats/structured-funnel.ts';
import { type WilsonInterval, wilsonInterval } from '../core/stats/wilson.ts';
import { escapeHtml as h } from './escape-html.ts';
import type { ReportData } from './report-data.ts';
import { interval, pct, shortVersion } from './report-format.ts';

/**
 * The structured-output funnel and paraphrase consistency sections of the report (docs/structured-output.md,
 * docs/statistics.md). Renders EvalReport values; every name, path and cluster id is escaped.
 */

const group = (g: { prompt: string; promptVersion: string; modelId: string }) =>
  `${g.prompt}@${shortVersion(g.promptVersion)} × ${g.modelId}`;

const share = (s: FunnelStage['ofPrevious']) => (s && Number.isFinite(s.estimate) ? interval(s) : '—');

/** What is left after each stage, as a share of responses with its Wilson interval. */
function funnelBars(f: StructuredFunnel): { label: string; count: number; ci: WilsonInterval | null }[] {
  const n = f.responses;
  const left = (label: string, count: number) => ({
    label,
    count,
    ci: n > 0 ? wilsonInterval(count, n) : null,
  });
  const notRefused = n - f.refused.count;
  return [
    { label: 'responses', count: n, ci: null },
    left('not refused', notRefused),
    left('not truncated', notRefused - f.truncated.count),
    left('valid JSON', f.json.count),
    left('schema-valid', f.schema.count),
    ...(f.fields ? [left('all fields correct', f.fields.exact.count)] : []),
  ];
}

/**
 * The funnel as horizontal bars, one per stage, widths in proportion to responses, with the stage's 95%
 * Wilson interval (as a share of responses) drawn as a whisker where the report has one.
 */
export function funnelChart(f: StructuredFunnel): string {
  const bars = funnelBars(f);
  const n = f.responses;
  if (n === 0) return '';
  const labelW = 150;
  const plotW = 420;
  const noteW = 170;
  const rowH = 24;
  const top = 28;
  const width = labelW + plotW + noteW;
  const height = top + bars.length * rowH + 10;
  const x = (v: number) => labelW + Math.max(0, Math.min(1, v)) * plotW;
  const r = (v: number) => String(Math.round(v * 10) / 10);
  const title = `Structured-output funnel · ${group(f)}`;
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" class="chart funnel" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${h(title)}">`,
    `<text class="t" x="4" y="16">${h(title)}</text>`,
  ];
  bars.forEach((b, i) => {
    const y = top + i * rowH;
    const share = b.count / n;
    const ci = b.ci;
    out.push(
      `<g class="row"><title>${h(`${b.label}: ${b.count} of ${n} responses (${pct(share)})${ci ? ` [${pct(ci.lower)}, ${pct(ci.upper)}]` : ''}`)}</title>`,
      `<text class="lbl" x="${labelW - 8}" y="${r(y + rowH / 2 + 4)}" text-anchor="end">${h(b.label)}</text>`,
      `<rect class="bar" x="${labelW}" y="${r(y + 3)}" width="${r(x(share) - labelW)}" height="${rowH - 6}"/>`,
    );
    if (ci)
      out.push(
        `<line class="ci" x1="${r(x(ci.lower))}" x2="${r(x(ci.upper))}" y1="${r(y + rowH / 2)}" y2="${r(y + rowH / 2)}"/>`,
      );
    out.push(
      `<text class="note" x="${labelW + plotW + 8}" y="${r(y + rowH / 2 + 4)}">${b.count} (${pct(share)})</text></g>`,
    );
  });
  out.push('</svg>');
  return out.join('');
}

function funnelBlock(f: StructuredFunnel): string {
  const row = (name: string, s: FunnelStage, note = '') =>
    `<tr><td>${h(name)}</td><td class="num">${s.count}</td><td class="num">${h(share(s.ofPrevious))}</td><td class="num">${h(share(s.ofResponses))}</td><td>${note}</td></tr>`;
  const keywords = Object.entries(f.schemaErrors);
  const fields = f.fields;
  const fieldTable = fields
    ? `<p>Fields: <b>${pct(fields.micro.estimate)}</b> micro [${pct(fields.micro.lower)}, ${pct(fields.micro.upper)}] <span class="dim">(${h(fields.micro.method)}, ${fields.fields} fields of ${fields.outputs} outputs)</span> · <b>${pct(fields.macro)}</b> macro (mean over ${fields.perField.length} fields) · exact object ${h(share(fields.exact.ofPrevious))}${fields.extraFields ? ` · ${fields.extraFields} extra field${fields.extraFields === 1 ? '' : 's'} not in expected` : ''}</p>
<table class="small"><thead><tr><th>field</th><th>n</th><th>accuracy</th><th>correct</th><th>partial</th><th>wrong</th><th>missing</th></tr></thead><tbody>${fields.perField
        .map(
          (p) =>
            `<tr><td><code>${h(p.path)}</code></td><td class="num">${p.n}</td><td class="num">${pct(p.accuracy)}</td><td class="num">${p.correct}</td><td class="num">${p.partial}</td><td class="num">${p.wrong}</td><td class="num">${p.missing}</td></tr>`,
        )
        .join('')}</tbody></table>`
    : '<p class="dim">Fields: no schema-valid output had an <code>expected</code> object to compare with.</p>';
  return `<div class="funnel-block"><h3>${h(group(f))}</h3>
<div class="chart-box">${funnelChart(f) || '<p class="dim">No response: nothing to draw.</p>'}</div>
<table class="small"><thead><tr><th>stage</th><th>count</th><th>of the stage before [95% CI]</th><th>of responses [95% CI]</th><th></th></tr></thead><tbody>
<tr><td>responses</td><td class="num">${f.responses}</td><td></td><td></td><td class="dim">${f.errors} errored result${f.errors === 1 ? '' : 's'} outside the funnel</td></tr>
${row('refused', f.refused)}${row('truncated', f.truncated)}${row('valid JSON', f.json, '<span class="dim">of the responses neither refused nor truncated</span>')}${row('schema-valid', f.schema)}${fields ? row('all fields correct', fields.exact, `<span class="dim">of the ${fields.outputs} compared with expected</span>`) : ''}
</tbody></table>
${keywords.length ? `<p>Schema errors (outputs with each keyword): ${keywords.map(([k, n]) => `<code>${h(k)}</code> ${n}`).join(', ')}</p>` : ''}
${fieldTable}${f.withoutExpected ? `<p class="dim">${f.withoutExpected} schema-valid output${f.withoutExpected === 1 ? '' : 's'} had no expected object.</p>` : ''}</div>`;
}

function consistencyBlock(c: GroupConsistency): string {
  const list = c.disagreeing.length
    ? `<p>Disagreeing clusters: ${c.disagreeing.map((d) => `<code>${h(d.cluster)}</code> (${d.cases} cases, ${pct(d.passRate)} pass)`).join(', ')}</p>`
    : '';
  return `<tr><td>${h(group(c))}</td><td class="num">${c.agreeing} / ${c.clusters}</td><td class="num">${h(interval(c.agreement))}</td><td class="num">${pct(c.flipRate)} <span class="dim">of ${c.pairs} pairs</span></td><td class="num">${c.meanSpread.toFixed(2)}</td><td class="num">${c.cases}</td></tr>${list ? `<tr><td colspan="6">${list}</td></tr>` : ''}`;
}

/** The HTML section, or '' when the run has neither a funnel nor paraphrase clusters. */
export function outputStatsSection(d: ReportData): string {
  const structured = d.report.structured ?? [];
  const consistency = d.report.consistency ?? [];
  if (structured.length === 0 && consistency.length === 0) return '';
  const parts: string[] = ['<section id="structured"><h2>Structured output and consistency</h2>'];
  if (structured.length)
    parts.push(
      "<p>Each response lands in one bucket: refused (prose with a refusal phrase), truncated (stopped by the token limit), invalid JSON, schema-invalid, or schema-valid; schema-valid outputs are compared field by field with the case's <code>expected</code> object. Intervals are 95% Wilson.</p>",
      ...structured.map(funnelBlock),
    );
  if (consistency.length)
    parts.push(
      `<h3>Consistency across paraphrases</h3><p>Cases sharing a <code>cluster</code> ask one question in different words. Agreement: the share of clusters whose results all have the same verdict (Wilson over clusters); flip rate: the share of within-cluster case pairs that disagree; spread: the mean range of per-case pass rates in a cluster.</p>
<table><thead><tr><th>prompt × model</th><th>clusters agreeing</th><th>agreement [95% CI]</th><th>flip rate</th><th>mean spread</th><th>cases</th></tr></thead><tbody>${consistency.map(consistencyBlock).join('')}</tbody></table>`,
    );
  parts.push('</section>');
  return parts.join('\n');
}

/** The Markdown version: one funnel line and one consistency line per prompt × model. */
export function outputStatsMarkdown(d: ReportData, mdText: (s: string) => string): string[] {
  const structured = d.report.structured ?? [];
  const consistency = d.report.consistency ?? [];
  const out: string[] = [];
  if (structured.length) {
    out.push('', '## Structured output', '');
    out.push(
      '| prompt × model | responses | refused | truncated | valid JSON | schema-valid | fields micro / macro | exact object |',
    );
    out.push('| --- | ---: | ---: | ---: | --- | --- | --- | --- |');
    for (const f of structured)
      out.push(
        `| ${mdText(group(f))} | ${f.responses} | ${f.refused.count} | ${f.truncated.count} | ${f.json.count} · ${share(f.json.ofPrevious)} | ${f.schema.count} · ${share(f.schema.ofPrevious)} | ${f.fields ? `${pct(f.fields.micro.estimate)} / ${pct(f.fields.macro)}` : '—'} | ${f.fields ? share(f.fields.exact.ofPrevious) : '—'} |`,
      );
  }
  if (consistency.length) {
    out.push('', '## Consistency across paraphrases', '');
    out.push('| prompt × model | clusters agreeing | agreement [95% CI] | flip rate | mean spread |');
    out.push('| --- | ---: | --- | --- | ---: |');
    for (const c of consistency)
      out.push(
        `| ${mdText(group(c))} | ${c.agreeing} / ${c.clusters} | ${interval(c.agreement)} | ${pct(c.flipRate)} of ${c.pairs} pairs | ${c.meanSpread.toFixed(2)} |`,
      );
  }
  return out;
}
