import type { CaseSpec } from '../types.ts';
import { parseYaml } from '../yaml-locate.ts';
import { parseSuite, type SuiteFormat, suiteFormatOf } from './parse-suite.ts';

/**
 * The cases of a suite file as written (before ids are derived and default checks merged), in file order,
 * each with the id it parses to: what an editor shows and a replacement starts from.
 */
export function rawSuiteCases(
  text: string,
  file: string,
  format?: SuiteFormat,
): { id: string; raw: Record<string, unknown> }[] {
  const fmt = format ?? suiteFormatOf(file);
  const cases = parseSuite(text, file, fmt).suite.cases;
  let raws: Record<string, unknown>[];
  if (fmt === 'yaml') {
    const value = parseYaml(text, file).value as unknown;
    const list = Array.isArray(value) ? value : ((value as { cases?: unknown[] }).cases ?? []);
    raws = list as Record<string, unknown>[];
  } else if (fmt === 'jsonl')
    raws = text
      .replace(/^\uFEFF/, '')
      .split(/\r?\n/)
      .filter((l) => l.trim())
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  else raws = cases.map(fromSpec);
  return cases.map((c, i) => ({ id: c.id, raw: raws[i] ?? fromSpec(c) }));
}

/** A CSV row's case as fields (a CSV suite has no default checks, so its checks are its own). */
function fromSpec(c: CaseSpec): Record<string, unknown> {
  const out: Record<string, unknown> = { id: c.id };
  for (const k of ['category', 'tags', 'split', 'cluster', 'review', 'protected'] as const)
    if (c[k] !== undefined && !(k === 'tags' && c.tags.length === 0)) out[k] = c[k];
  out.vars = c.vars;
  for (const k of ['messages', 'expected', 'context', 'metadata'] as const)
    if (c[k] !== undefined) out[k] = c[k];
  if (c.checks.length) out.checks = c.checks;
  return out;
}
