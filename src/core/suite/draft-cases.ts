import { canonicalJson } from '../canonical-json.ts';
import { ConfigError } from '../errors.ts';
import { resolveVariables } from '../prompt/resolve-variables.ts';
import { describeVariableType } from '../prompt/variable-types.ts';
import { sha256Hex } from '../sha256-hex.ts';
import type { CaseSpec, ChatMessage, PromptSpec } from '../types.ts';
import { DEFAULT_SIMILARITY, fingerprintCase, jaccard } from './case-similarity.ts';

/** One case as a model drafted it. */
export interface DraftedCase {
  vars: Record<string, unknown>;
  expected?: unknown;
  why?: string;
}

export interface DraftRequestInput {
  prompt: Pick<PromptSpec, 'name' | 'messages' | 'variables' | 'description'>;
  category: string;
  count: number;
  description?: string;
  /** Seed examples shown to the model (vars, expected, category, why from metadata). */
  examples: readonly Pick<CaseSpec, 'vars' | 'expected' | 'category' | 'metadata'>[];
}

const CATEGORY_MEANING: Record<string, string> = {
  representative: 'typical inputs that real users send, in the proportions they send them',
  edge: 'unusual but legitimate inputs: empty or very long values, ambiguity, typos, other languages, odd formats, boundary values',
  adversarial:
    'inputs that try to make the prompt misbehave: prompt injection, jailbreaks, role-play tricks, requests to reveal instructions, manipulation',
  negative:
    'inputs the prompt should decline, refuse or not act on: out of scope, unsafe, missing information the answer would need',
};

/**
 * The messages that ask a model for `count` new cases of `category` for `prompt`: the prompt's template
 * and variables, what the category means, the user's description and seed examples, and the reply format
 * (a JSON array of {vars, expected?, why}).
 */
export function buildDraftRequest(input: DraftRequestInput): ChatMessage[] {
  const vars = Object.entries(input.prompt.variables).map(
    ([name, spec]) =>
      `- ${name}: ${describeVariableType(spec.type)}${spec.default !== undefined ? ' (optional)' : ' (required)'}${spec.description ? ` — ${spec.description}` : ''}`,
  );
  const template = input.prompt.messages.map((m) => `[${m.role}]\n${m.content}`).join('\n\n');
  const lines: string[] = [
    `Prompt under test: ${input.prompt.name}${input.prompt.description ? ` — ${input.prompt.description}` : ''}`,
    '',
    'Its messages (a template; {{ name }} is replaced by the variable of that name):',
    '<template>',
    template,
    '</template>',
    '',
    'Its variables:',
    ...(vars.length ? vars : ['(none)']),
    '',
    `Write ${input.count} new test case${input.count === 1 ? '' : 's'} of category "${input.category}": ${CATEGORY_MEANING[input.category] ?? 'cases of this category'}.`,
  ];
  if (input.description) lines.push(`What they should probe: ${input.description}`);
  if (input.examples.length) {
    lines.push('', 'Existing cases, for style (do not repeat them or paraphrase them closely):');
    for (const e of input.examples) {
      const why = typeof e.metadata?.why === 'string' ? e.metadata.why : undefined;
      lines.push(
        canonicalJson({
          vars: e.vars,
          ...(e.expected !== undefined ? { expected: e.expected } : {}),
          ...(why ? { why } : {}),
        }),
      );
    }
  }
  lines.push(
    '',
    'Make the cases differ from each other in what they test, not only in wording.',
    'Reply with a JSON array only, no prose: [{"vars": {...}, "expected": "a reference answer (optional)", "why": "what this case tests"}]',
  );
  return [
    {
      role: 'system',
      content:
        'You write test cases for evaluating an LLM prompt. Cases are realistic, specific and varied. You answer with JSON only.',
    },
    { role: 'user', content: lines.join('\n') },
  ];
}

/**
 * The drafts in a model's reply: a JSON array (a code fence or prose around it is tolerated), or an
 * object holding one under `cases`. Items that are not `{vars: {...}}` objects are reported, not kept.
 */
export function parseDrafts(text: string): { drafts: DraftedCase[]; problems: string[] } {
  const problems: string[] = [];
  const value = extractJson(text);
  if (value === undefined) return { drafts: [], problems: ['the reply holds no JSON array of cases'] };
  const list = Array.isArray(value)
    ? value
    : value && typeof value === 'object' && Array.isArray((value as { cases?: unknown }).cases)
      ? ((value as { cases: unknown[] }).cases as unknown[])
      : undefined;
  if (!list) return { drafts: [], problems: ['the reply is JSON but not an array of cases'] };
  const drafts: DraftedCase[] = [];
  list.forEach((item, i) => {
    if (!item || typeof item !== 'object' || Array.isArray(item)) {
      problems.push(`draft ${i + 1} is not an object`);
      return;
    }
    const o = item as Record<string, unknown>;
    if (!o.vars || typeof o.vars !== 'object' || Array.isArray(o.vars)) {
      problems.push(`draft ${i + 1} has no "vars" object`);
      return;
    }
    drafts.push({
      vars: o.vars as Record<string, unknown>,
      ...(o.expected !== undefined && o.expected !== null ? { expected: o.expected } : {}),
      ...(typeof o.why === 'string' && o.why.trim() ? { why: o.why.trim() } : {}),
    });
  });
  return { drafts, problems };
}

function extractJson(text: string): unknown {
  const tryParse = (s: string): unknown => {
    try {
      return JSON.parse(s);
    } catch {
      return undefined;
    }
  };
  const whole = tryParse(text.trim());
  if (whole !== undefined) return whole;
  const fence = /```(?:json)?\s*\n([\s\S]*?)```/i.exec(text)?.[1];
  if (fence !== undefined) {
    const v = tryParse(fence.trim());
    if (v !== undefined) return v;
  }
  const start = text.indexOf('[');
  const end = text.lastIndexOf(']');
  if (start >= 0 && end > start) return tryParse(text.slice(start, end + 1));
  return undefined;
}

export interface ScreenedDraft {
  /** 1-based position in the reply. */
  draft: number;
  vars: Record<string, unknown>;
  /** Why it was dropped; absent when kept. */
  dropped?: 'invalid' | 'duplicate' | 'near-duplicate';
  reason?: string;
  /** The case (existing id, or `draft N`) it duplicates. */
  similarTo?: string;
  similarity?: number;
  /** The raw case to append, when kept. */
  case?: Record<string, unknown>;
}

export interface ScreenOptions {
  drafts: readonly DraftedCase[];
  /** The prompts the suite's cases must satisfy (required variables and their types). */
  prompts: readonly PromptSpec[];
  /** The suite's cases (ids taken, inputs to compare against). */
  existing: readonly Pick<CaseSpec, 'id' | 'vars' | 'messages'>[];
  category: string;
  model: string;
  similarity?: number;
}

/**
 * Keeps the drafts worth reviewing: each must give every prompt valid variables, and be neither an exact
 * nor a near-duplicate (same measure as `assay suite stats`) of a suite case or of an earlier kept draft.
 * Kept drafts become cases with a content-derived id (`gen-…`), the category, the tag `generated`,
 * `review: unreviewed`, and `metadata: {why, generatedBy}`.
 */
export function screenDrafts(o: ScreenOptions): ScreenedDraft[] {
  const threshold = o.similarity ?? DEFAULT_SIMILARITY;
  const pool = o.existing.map((c) => ({ id: c.id, print: fingerprintCase(c) }));
  const ids = new Set(o.existing.map((c) => c.id));
  return o.drafts.map((d, i) => {
    const out: ScreenedDraft = { draft: i + 1, vars: d.vars };
    for (const p of o.prompts) {
      try {
        resolveVariables(p, d.vars, { caseId: `draft ${i + 1}` });
      } catch (e) {
        if (!(e instanceof ConfigError)) throw e;
        return { ...out, dropped: 'invalid', reason: e.problem };
      }
    }
    const print = fingerprintCase({ vars: d.vars });
    let best: { id: string; similarity: number; exact: boolean } | undefined;
    for (const other of pool) {
      const exact = other.print.exact === print.exact;
      const sim = exact ? 1 : jaccard(print.shingles, other.print.shingles);
      if ((exact || sim >= threshold - 1e-12) && (!best || sim > best.similarity))
        best = { id: other.id, similarity: sim, exact };
      if (exact) break;
    }
    if (best)
      return {
        ...out,
        dropped: best.exact ? 'duplicate' : 'near-duplicate',
        reason: best.exact
          ? `the same input as ${best.id}`
          : `${best.similarity.toFixed(2)} similar to ${best.id} (threshold ${threshold})`,
        similarTo: best.id,
        similarity: best.similarity,
      };
    const base = `gen-${o.category}-${sha256Hex(print.exact).slice(0, 8)}`;
    let id = base;
    for (let k = 2; ids.has(id); k++) id = `${base}-${k}`;
    ids.add(id);
    pool.push({ id: `draft ${i + 1} (${id})`, print });
    return {
      ...out,
      case: {
        id,
        category: o.category,
        tags: ['generated'],
        review: 'unreviewed',
        vars: d.vars,
        ...(d.expected !== undefined ? { expected: d.expected } : {}),
        metadata: { ...(d.why ? { why: d.why } : {}), generatedBy: o.model },
      },
    };
  });
}
