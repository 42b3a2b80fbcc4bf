import { createHash } from 'node:crypto';
import { AssayError } from '../../core/errors.ts';
import type { CheckResult, ResultRecord, RunManifest } from '../../core/types.ts';
import { convertProviders } from './convert-providers.ts';
import { basename, caseIds, fileRef, type PromptOrigin, promptNames, slug } from './import-names.ts';
import { NoteList } from './import-note.ts';

export interface ImportedRun {
  manifest: RunManifest;
  /** Results without their run id (the store assigns the run). */
  results: Omit<ResultRecord, 'runId'>[];
  evalId?: string;
}

interface PfRow {
  promptIdx?: number;
  testIdx?: number;
  prompt?: { raw?: string; label?: string };
  promptId?: string;
  provider?: { id?: string; label?: string } | string;
  response?: { output?: unknown; cached?: boolean; finishReason?: string; tokenUsage?: PfUsage };
  tokenUsage?: PfUsage;
  success?: boolean;
  score?: number;
  error?: string | null;
  failureReason?: number;
  latencyMs?: number;
  cost?: number;
  testCase?: { description?: string; metadata?: Record<string, unknown> };
  gradingResult?: { componentResults?: PfComponent[] } | null;
}
interface PfUsage {
  prompt?: number;
  completion?: number;
  total?: number;
}
interface PfComponent {
  pass?: boolean;
  score?: number;
  reason?: string;
  assertion?: { type?: string; metric?: string } | null;
}

/**
 * A promptfoo results file (`promptfoo eval -o results.json`, format version 3) → one Assay run: prompt
 * names, case ids and model ids are derived exactly as `assay import promptfoo` derives them from the
 * config, so the imported run pairs with a run of the converted project in `assay compare`.
 * Throws AssayError (exit 2) when the JSON is not a promptfoo results file.
 */
export function convertPromptfooResults(json: unknown, file: string): ImportedRun {
  const top = json as {
    evalId?: string;
    results?: unknown;
    config?: Record<string, unknown>;
    metadata?: Record<string, unknown>;
  };
  const res = top?.results as
    | { version?: number; timestamp?: string; prompts?: unknown[]; results?: PfRow[] }
    | undefined;
  if (!res || !Array.isArray(res.results) || !Array.isArray(res.prompts))
    throw new AssayError(
      `${file}: not a promptfoo results file; expected the JSON written by \`promptfoo eval -o results.json\` (with results.prompts and results.results)`,
      2,
    );
  if (res.version !== undefined && res.version < 3)
    throw new AssayError(
      `${file}: promptfoo results format version ${res.version} is not supported; expected version 3 (promptfoo ≥ 0.30)`,
      2,
    );
  const config = top.config ?? {};
  const rows = res.results;
  if (rows.length === 0) throw new AssayError(`${file}: the results file holds no results`, 2);

  // Prompts: distinct by text and label, in promptfoo's order; named as the config importer names them.
  const files = (Array.isArray(config.prompts) ? config.prompts : [config.prompts])
    .map((p) => fileRef(typeof p === 'string' ? p : (p as { id?: unknown } | undefined)?.id))
    .filter((f): f is string => !!f);
  const distinct: { raw: string; label: string; id?: string }[] = [];
  for (const p of res.prompts as { raw?: string; label?: string; id?: string }[]) {
    const raw = p.raw ?? '';
    const label = p.label ?? raw;
    if (!distinct.some((d) => d.raw === raw && d.label === label)) distinct.push({ raw, label, id: p.id });
  }
  const origins: PromptOrigin[] = distinct.map((d) => {
    // promptfoo labels file prompts `PATH: text`, PATH as written in the config or made absolute.
    const f = files.find((p) => [p, basename(p)].some((x) => d.label.startsWith(`${x}: `)));
    if (f) return { kind: 'file', file: basename(f), indexInFile: 0, countInFile: 1 };
    return d.label === d.raw ? { kind: 'inline' } : { kind: 'labelled', label: d.label };
  });
  for (const f of new Set(origins.flatMap((o) => (o.kind === 'file' ? [o.file] : [])))) {
    const same = origins.filter(
      (o): o is Extract<PromptOrigin, { kind: 'file' }> => o.kind === 'file' && o.file === f,
    );
    same.forEach((o, i) => {
      o.indexInFile = i;
      o.countInFile = same.length;
    });
  }
  const names = promptNames(origins);
  const promptOf = (row: PfRow) => {
    const label = row.prompt?.label ?? '';
    const i = distinct.findIndex((d) => d.label === label);
    if (i < 0)
      throw new AssayError(
        `${file}: a result names prompt '${label.slice(0, 60)}', which is not in results.prompts`,
        2,
      );
    return { name: names[i] as string, d: distinct[i] as (typeof distinct)[number] };
  };

  // Models: the config's providers converted as the config importer does; others keep promptfoo's id.
  const converted = convertProviders(config.providers ?? config.targets, new NoteList());
  const modelOf = (row: PfRow): string => {
    const p = typeof row.provider === 'string' ? { id: row.provider } : (row.provider ?? {});
    const hit =
      converted.find((c) => c.promptfooId === p.id && (c.label ?? '') === (p.label ?? '')) ??
      converted.find((c) => c.promptfooId === p.id);
    return hit?.model.id ?? (p.id?.includes(':') ? p.id : `promptfoo:${p.id ?? 'unknown'}`);
  };

  // Cases: promptfoo's expanded tests by testIdx.
  const tests = new Map<number, string | undefined>();
  for (const r of rows)
    if (typeof r.testIdx === 'number' && !tests.has(r.testIdx)) tests.set(r.testIdx, r.testCase?.description);
  const order = [...tests.keys()].sort((a, b) => a - b);
  const ids = caseIds(order.map((i) => tests.get(i)));
  const caseOf = new Map(order.map((t, k) => [t, ids[k] as string]));

  const createdAt =
    res.timestamp ?? (top.metadata?.evaluationCreatedAt as string | undefined) ?? new Date(0).toISOString();
  const seen = new Set<string>();
  const results: Omit<ResultRecord, 'runId'>[] = [];
  const usedPrompts = new Map<string, { name: string; version: string; source: string }>();
  const usedModels = new Set<string>();
  for (const row of rows) {
    const { name, d } = promptOf(row);
    const version = versionOf(d);
    const modelId = modelOf(row);
    const caseId = caseOf.get(row.testIdx ?? -1) ?? `test-${(row.testIdx ?? 0) + 1}`;
    // promptfoo flattens repeats into separate tests; a second row for the same key is a repeat.
    let repeat = 0;
    while (seen.has(`${name}\0${modelId}\0${caseId}\0${repeat}`)) repeat++;
    seen.add(`${name}\0${modelId}\0${caseId}\0${repeat}`);
    usedPrompts.set(name, { name, version, source: d.raw });
    usedModels.add(modelId);
    const usage = row.response?.tokenUsage ?? row.tokenUsage ?? {};
    const isError = row.failureReason === 2 || (!row.gradingResult && !!row.error);
    const output = row.response?.output;
    const checks: CheckResult[] = (row.gradingResult?.componentResults ?? []).map((c) => ({
      type: String(c.assertion?.type ?? 'promptfoo'),
      ...(c.assertion?.metric ? { name: String(c.assertion.metric) } : {}),
      pass: c.pass === true,
      ...(typeof c.score === 'number' ? { score: c.score } : {}),
      reason: String(c.reason ?? ''),
      details: { source: 'promptfoo' },
    }));
    results.push({
      prompt: name,
      promptVersion: version,
      modelId,
      caseId,
      repeat,
      status: isError ? 'error' : row.success ? 'pass' : 'fail',
      ...(output !== undefined && output !== null
        ? { output: typeof output === 'string' ? output : JSON.stringify(output) }
        : {}),
      checks,
      ...(typeof row.score === 'number' && !isError ? { score: row.score } : {}),
      ...(isError
        ? { error: { kind: 'server' as const, message: String(row.error ?? 'promptfoo reported an error') } }
        : {}),
      usage: {
        ...(typeof usage.prompt === 'number' ? { inputTokens: usage.prompt } : {}),
        ...(typeof usage.completion === 'number' ? { outputTokens: usage.completion } : {}),
        ...(typeof usage.total === 'number' ? { totalTokens: usage.total } : {}),
      },
      ...(typeof row.latencyMs === 'number' ? { latencyMs: row.latencyMs } : {}),
      cost: typeof row.cost === 'number' ? row.cost : null,
      attempts: 1,
      cached: row.response?.cached === true,
      ...(typeof row.testCase?.metadata?.category === 'string'
        ? { category: row.testCase.metadata.category }
        : {}),
      ...(row.response?.finishReason ? { finishReason: row.response.finishReason } : {}),
      createdAt,
    });
  }
  const suiteName = slug(typeof config.description === 'string' ? config.description : '') || 'promptfoo';
  const version = String(top.metadata?.promptfooVersion ?? 'unknown');
  const manifest: RunManifest = {
    schemaVersion: 1,
    project: suiteName,
    prompts: [...usedPrompts.values()].map((p) => ({
      name: p.name,
      version: p.version,
      file: `promptfoo:${file}`,
      source: p.source,
    })),
    suite: {
      name: suiteName,
      file,
      hash: createHash('sha256')
        .update(JSON.stringify(order.map((i) => [ids[order.indexOf(i)], tests.get(i) ?? null])))
        .digest('hex'),
      cases: order.length,
    },
    models: [...usedModels].map((id) => ({ id, settings: {} })),
    repeats: Math.max(1, ...results.map((r) => r.repeat + 1)),
    seed: 0,
    packages: { promptfoo: version },
    priceTable: { package: 'promptfoo', version },
    node: String(top.metadata?.nodeVersion ?? ''),
    createdAt,
    options: { concurrency: 1, timeoutMs: 0, maxRetries: 0, cache: false },
  };
  return { manifest, results, ...(top.evalId ? { evalId: top.evalId } : {}) };
}

/** A prompt's version in an imported run: 12 hex of the sha256 of promptfoo's template and label. */
function versionOf(d: { raw: string; label: string }): string {
  return createHash('sha256').update(`${d.raw}\0${d.label}`).digest('hex').slice(0, 12);
}
