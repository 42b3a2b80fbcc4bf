import pc from 'picocolors';
import type { GroupConsistency } from '../core/stats/paraphrase-consistency.ts';
import type { FunnelStage, StructuredFunnel } from '../core/stats/structured-funnel.ts';
import { pct, safeText } from './format.ts';

/** `97.9% [88.9, 99.6]`, or `—` when the stage before was empty. */
export function shareText(s: { estimate: number; lower: number; upper: number } | null): string {
  if (!s || !Number.isFinite(s.estimate)) return '—';
  return `${pct(s.estimate)} [${(100 * s.lower).toFixed(1)}, ${(100 * s.upper).toFixed(1)}]`;
}

const stageText = (name: string, s: FunnelStage) => `${name} ${s.count} (${shareText(s.ofPrevious)})`;

/**
 * The funnel on one line, each stage with its share of the stage before it:
 * `responses 50 → refused 2 → truncated 1 → JSON 46 (97.9% [88.9, 99.6]) → schema 44 (…) → fields 91.2%
 * micro / 88.0% macro, exact 70.0% [55.4, 81.4]`. Plain text (field paths are not part of it).
 */
export function funnelLine(f: StructuredFunnel): string {
  const fields = f.fields
    ? `fields ${pct(f.fields.micro.estimate)} micro / ${pct(f.fields.macro)} macro, exact ${shareText(f.fields.exact.ofPrevious)} (${f.fields.outputs} compared)`
    : 'fields — (no expected object to compare with)';
  return [
    `responses ${f.responses}`,
    `refused ${f.refused.count}`,
    `truncated ${f.truncated.count}`,
    stageText('JSON', f.json),
    stageText('schema', f.schema),
    fields,
  ].join(' → ');
}

/** `additionalProperties 1, required 3`, or '' without schema errors. */
export function schemaErrorText(f: StructuredFunnel): string {
  return Object.entries(f.schemaErrors)
    .map(([k, n]) => `${safeText(k, 40)} ${n}`)
    .join(', ');
}

/** The funnel block of the terminal summary (docs/structured-output.md). */
export function renderStructured(f: StructuredFunnel): string[] {
  const out = [
    pc.dim(`structured output · ${safeText(f.prompt, 30)}@${f.promptVersion} × ${safeText(f.modelId, 40)}`),
    `  ${funnelLine(f)}`,
  ];
  const of = [
    `JSON ${shareText(f.json.ofResponses)}`,
    `schema-valid ${shareText(f.schema.ofResponses)}`,
    ...(f.fields ? [`exact ${shareText(f.fields.exact.ofResponses)}`] : []),
  ];
  out.push(`  of all ${f.responses} responses: ${of.join(', ')}`);
  const errors = schemaErrorText(f);
  if (errors) out.push(`  schema errors (outputs with each keyword): ${errors}`);
  if (f.fields) {
    const m = f.fields.micro;
    const weakest = [...f.fields.perField]
      .filter((x) => x.accuracy < 1)
      .sort((a, b) => a.accuracy - b.accuracy || (a.path < b.path ? -1 : 1))
      .slice(0, 5)
      .map(
        (x) =>
          `${safeText(x.path, 40)} ${pct(x.accuracy)} (${x.wrong} wrong, ${x.missing} missing${x.partial ? `, ${x.partial} partial` : ''})`,
      );
    out.push(
      `  fields    micro ${shareText(m)} ${m.method} over ${f.fields.fields} fields${f.fields.extraFields ? ` · ${f.fields.extraFields} extra field${f.fields.extraFields === 1 ? '' : 's'} not in expected` : ''}`,
    );
    if (weakest.length) out.push(`  weakest   ${weakest.join('; ')}`);
  }
  const notes = [
    ...(f.errors ? [`${f.errors} errored result${f.errors === 1 ? '' : 's'} outside the funnel`] : []),
    ...(f.withoutExpected
      ? [
          `${f.withoutExpected} schema-valid output${f.withoutExpected === 1 ? '' : 's'} without an expected object`,
        ]
      : []),
  ];
  if (notes.length) out.push(pc.dim(`  ${notes.join(' · ')}`));
  return out;
}

/** Paraphrase consistency: `agreement 2/3 clusters (66.7% [20.8, 93.9]) · flip rate 20.0% of 5 pairs …`. */
export function consistencyLine(c: GroupConsistency): string {
  return `agreement ${c.agreeing}/${c.clusters} clusters (${shareText(c.agreement)} Wilson) · flip rate ${pct(c.flipRate)} of ${c.pairs} pairs · mean spread ${c.meanSpread.toFixed(2)} · ${c.cases} cases`;
}

export function renderConsistency(c: GroupConsistency): string[] {
  const out = [
    pc.dim(`paraphrases · ${safeText(c.prompt, 30)}@${c.promptVersion} × ${safeText(c.modelId, 40)}`),
    `  ${consistencyLine(c)}`,
  ];
  if (c.disagreeing.length)
    out.push(
      `  disagree  ${c.disagreeing
        .map((d) => `${safeText(d.cluster, 30)} (${d.cases} cases, ${pct(d.passRate)} pass)`)
        .join(
          ', ',
        )}${c.clusters - c.agreeing > c.disagreeing.length ? `, … ${c.clusters - c.agreeing - c.disagreeing.length} more` : ''}`,
    );
  return out;
}
