import { formatCost } from '../../reporters/format.ts';
import { type GenerateDryRun, type GenerateReport, generateCases } from '../../suites/generate-cases.ts';
import { clean } from './suite-command.ts';

interface GenerateFlags {
  category: string;
  model: string;
  count: number;
  description?: string;
  from?: string;
  prompt?: string;
  similarity?: number;
  maxCost?: number;
  dryRun?: boolean;
  cache?: boolean;
  cwd: string;
  config?: string;
  store?: string;
  json?: boolean;
}

/** `assay generate SUITE --category C --count N --model M`: parse, call generateCases(), render. */
export async function generateCommand(suite: string, flags: GenerateFlags): Promise<number> {
  const result = await generateCases({
    suite,
    category: flags.category,
    count: flags.count,
    model: flags.model,
    description: flags.description,
    from: flags.from,
    prompt: flags.prompt,
    similarity: flags.similarity,
    maxCost: flags.maxCost,
    dryRun: flags.dryRun,
    cache: flags.cache,
    cwd: flags.cwd,
    config: flags.config,
    store: flags.store,
  });
  if (flags.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  else process.stdout.write(`${result.dryRun ? renderDryRun(result) : renderGenerate(result)}\n`);
  return 0;
}

function renderDryRun(r: GenerateDryRun): string {
  return [
    `would ask ${clean(r.model)} for ${r.count} ${clean(r.category)} case${r.count === 1 ? '' : 's'} for prompt ${clean(r.prompt)} (${r.examples} seed example${r.examples === 1 ? '' : 's'})`,
    `1 call${r.cached ? ' (cached)' : ''} · ~${r.inputTokens} input + ${r.outputTokens} output tokens · ${r.cost === null ? 'cost unknown' : formatCost(r.cost, false)}`,
    ...r.assumptions.map((a) => `note: ${a}`),
  ].join('\n');
}

function renderGenerate(r: GenerateReport): string {
  const lines: string[] = [];
  const kept = r.added.length;
  lines.push(
    `${clean(r.model)} drafted ${r.drafts.length} ${clean(r.category)} case${r.drafts.length === 1 ? '' : 's'} for prompt ${clean(r.prompt)}${r.call.cached ? ' (answer from the cache)' : ''}; kept ${kept}`,
  );
  for (const d of r.drafts) {
    const vars = clean(JSON.stringify(d.vars));
    const shown = vars.length > 90 ? `${vars.slice(0, 89)}…` : vars;
    if (d.case) lines.push(`  + ${clean(String(d.case.id))}  ${shown}`);
    else lines.push(`  - draft ${d.draft} ${d.dropped}: ${clean(d.reason ?? '')}  ${shown}`);
  }
  for (const p of r.problems) lines.push(`  ! ${clean(p)}`);
  lines.push(`cost ${r.call.cost === null ? 'unknown' : formatCost(r.call.cost, false)}`);
  if (r.written)
    lines.push(
      `appended ${kept} case${kept === 1 ? '' : 's'} to ${clean(r.file)}, tagged generated and marked review: unreviewed`,
      `next: \`assay suite review ${clean(r.file)}\` to accept, edit or reject them`,
    );
  else
    lines.push(
      `nothing appended${r.call.cached ? ': the answer came from the cache; --no-cache asks the model afresh' : ''}`,
    );
  return lines.join('\n');
}
