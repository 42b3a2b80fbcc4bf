import type { ErrorObject } from 'ajv';
import { findRefusal } from '../checks/find-refusal.ts';
import { parseJsonOutput } from '../checks/parse-json-output.ts';
import { clusteredMeanInterval } from './clustered.ts';
import { compareFields, isPlainObject } from './field-accuracy.ts';
import { type WilsonInterval, wilsonFromProportion, wilsonInterval } from './wilson.ts';

/**
 * The structured-output funnel of one prompt × model (rag-agent-structured.md §3.4): every response lands
 * in exactly one bucket, checked in this order:
 *
 *   refused       not JSON, and a refusal phrase (find-refusal) in the text: prose instead of an answer
 *   truncated     the finish reason says the token limit cut it (`length`, `max_tokens`)
 *   invalid JSON  parse-json-output fails (the same rule as the `is-json` / `json-schema` checks)
 *   schema errors valid JSON that the prompt's output schema rejects (ajv, formats on, all errors)
 *   schema-valid  the rest; compared field by field with the case's `expected` object when it has one.
 *
 * A JSON answer quoting a refusal phrase in a field is an answer, not a refusal. Errored results (no
 * response) are counted apart and are not responses.
 */

/** A finish reason that means the output was cut by the token limit, as providers spell it. */
export function isTruncation(finishReason: string | undefined): boolean {
  return finishReason !== undefined && /^(length|max[-_ ]?tokens?|max_output_tokens)$/i.test(finishReason);
}

/** A validator as ajv compiles it: returns whether the value is valid, leaving its errors on `errors`. */
export interface SchemaValidator {
  (value: unknown): boolean;
  errors?: ErrorObject[] | null;
}

/** What a single response came to. */
export type FunnelOutcome =
  | { stage: 'refused'; phrase: string }
  | { stage: 'truncated' }
  | { stage: 'invalid-json' }
  | { stage: 'schema-invalid'; keywords: string[] }
  | { stage: 'schema-valid'; value: unknown };

/** Classifies one response (pure: the validator's `errors` are read right after its call). */
export function classifyStructuredOutput(
  text: string,
  finishReason: string | undefined,
  validate: SchemaValidator,
): FunnelOutcome {
  const parsed = parseJsonOutput(text);
  if (!parsed.ok) {
    const phrase = findRefusal(text);
    if (phrase !== undefined) return { stage: 'refused', phrase };
  }
  if (isTruncation(finishReason)) return { stage: 'truncated' };
  if (!parsed.ok) return { stage: 'invalid-json' };
  if (validate(parsed.value)) return { stage: 'schema-valid', value: parsed.value };
  const keywords = [...new Set((validate.errors ?? []).map((e) => e.keyword))].sort();
  return { stage: 'schema-invalid', keywords };
}

/** A stage's count as a share of the stage before it and of all responses, each with a Wilson interval. */
export interface FunnelStage {
  count: number;
  /** count / the previous stage's count (null when that is 0). */
  ofPrevious: WilsonInterval | null;
  /** count / responses (null when there are none). */
  ofResponses: WilsonInterval | null;
}

export interface FieldAccuracySummary {
  /** Schema-valid outputs whose case has an `expected` object with at least one field. */
  outputs: number;
  /** Scored fields over those outputs. */
  fields: number;
  /**
   * Mean field score over every field of every output. Fields of one output are not independent, so the
   * interval is cluster-robust with each output a cluster; when every field scored the same (no spread to
   * estimate from), a Wilson interval over the outputs instead, so a perfect score never looks exact.
   */
  micro: {
    estimate: number;
    lower: number;
    upper: number;
    method: 'cluster-robust CR1, t(C−1)' | 'wilson over outputs';
  };
  /** Mean over fields (by JSON pointer) of each field's mean score. */
  macro: number;
  /** Outputs with every expected field correct: over the compared outputs and over responses. */
  exact: FunnelStage;
  /** Per field, sorted by path: how often it was correct, partly correct (arrays), wrong or missing. */
  perField: {
    path: string;
    n: number;
    accuracy: number;
    correct: number;
    partial: number;
    wrong: number;
    missing: number;
  }[];
  /** Output leaves `expected` does not name, summed over outputs. */
  extraFields: number;
}

export interface StructuredFunnel {
  prompt: string;
  promptVersion: string;
  modelId: string;
  /** Results that errored (no response): outside the funnel. */
  errors: number;
  /** Non-error results: the top of the funnel. */
  responses: number;
  refused: FunnelStage;
  truncated: FunnelStage;
  /** Valid JSON, over responses that were neither refused nor truncated. */
  json: FunnelStage;
  /** Schema-valid, over valid JSON. */
  schema: FunnelStage;
  /** Per ajv error keyword (`required`, `type`, `enum`…): how many schema-invalid outputs had it. */
  schemaErrors: Record<string, number>;
  /** Null when no schema-valid output had an `expected` object to compare with. */
  fields: FieldAccuracySummary | null;
  /** Schema-valid outputs whose case has no `expected` object (not compared). */
  withoutExpected: number;
}

function stage(count: number, previous: number, responses: number): FunnelStage {
  return {
    count,
    ofPrevious: previous > 0 ? wilsonInterval(count, previous) : null,
    ofResponses: responses > 0 ? wilsonInterval(count, responses) : null,
  };
}

function microInterval(scores: number[], outputs: string[], n: number): FieldAccuracySummary['micro'] {
  const c = clusteredMeanInterval(scores, outputs);
  // Clipped to [0, 1], the range of a score; one output (no spread between outputs) gives [0, 1].
  if (c.lower < c.upper || !Number.isFinite(c.lower) || !Number.isFinite(c.upper))
    return {
      estimate: c.estimate,
      lower: Number.isNaN(c.lower) ? 0 : Math.max(0, c.lower),
      upper: Number.isNaN(c.upper) ? 1 : Math.min(1, c.upper),
      method: c.method,
    };
  const w = wilsonFromProportion(c.estimate, n);
  return { estimate: c.estimate, lower: w.lower, upper: w.upper, method: 'wilson over outputs' };
}

/** One result as the funnel needs it. */
export interface FunnelResult {
  status: 'pass' | 'fail' | 'error';
  output?: string;
  finishReason?: string;
}

/**
 * Folds the results of one prompt × model into its funnel. Memory: counts, plus one number per compared
 * field (for the cluster-robust micro interval).
 */
export class StructuredFunnelTally {
  private errors = 0;
  private responses = 0;
  private readonly counts = { refused: 0, truncated: 0, invalid: 0, schemaInvalid: 0, valid: 0 };
  private readonly keywords = new Map<string, number>();
  private withoutExpected = 0;
  private compared = 0;
  private exact = 0;
  private extra = 0;
  private readonly fieldScores: number[] = [];
  private readonly fieldOutput: string[] = [];
  private readonly perField = new Map<
    string,
    { n: number; sum: number; correct: number; partial: number; wrong: number; missing: number }
  >();

  private readonly group: { prompt: string; promptVersion: string; modelId: string };
  private readonly validate: SchemaValidator;

  constructor(group: { prompt: string; promptVersion: string; modelId: string }, validate: SchemaValidator) {
    this.group = group;
    this.validate = validate;
  }

  add(r: FunnelResult, expected?: unknown): void {
    if (r.status === 'error') {
      this.errors++;
      return;
    }
    this.responses++;
    const outcome = classifyStructuredOutput(r.output ?? '', r.finishReason, this.validate);
    switch (outcome.stage) {
      case 'refused':
        this.counts.refused++;
        return;
      case 'truncated':
        this.counts.truncated++;
        return;
      case 'invalid-json':
        this.counts.invalid++;
        return;
      case 'schema-invalid':
        this.counts.schemaInvalid++;
        for (const k of outcome.keywords) this.keywords.set(k, (this.keywords.get(k) ?? 0) + 1);
        return;
      case 'schema-valid':
        this.counts.valid++;
        this.compare(outcome.value, expected);
    }
  }

  private compare(value: unknown, expected: unknown): void {
    const cmp = isPlainObject(expected) ? compareFields(expected, value) : undefined;
    if (!cmp || cmp.fields.length === 0) {
      this.withoutExpected++;
      return;
    }
    const id = String(this.compared++);
    if (cmp.exact) this.exact++;
    this.extra += cmp.extra.length;
    for (const f of cmp.fields) {
      this.fieldScores.push(f.score);
      this.fieldOutput.push(id);
      let acc = this.perField.get(f.path);
      if (!acc) {
        acc = { n: 0, sum: 0, correct: 0, partial: 0, wrong: 0, missing: 0 };
        this.perField.set(f.path, acc);
      }
      acc.n++;
      acc.sum += f.score;
      acc[f.outcome]++;
    }
  }

  finish(): StructuredFunnel {
    const n = this.responses;
    const c = this.counts;
    const afterStops = n - c.refused - c.truncated;
    const json = afterStops - c.invalid;
    const valid = c.valid;
    const perField = [...this.perField.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([path, f]) => ({
        path,
        n: f.n,
        accuracy: f.sum / f.n,
        correct: f.correct,
        partial: f.partial,
        wrong: f.wrong,
        missing: f.missing,
      }));
    const fields: FieldAccuracySummary | null =
      this.compared === 0
        ? null
        : {
            outputs: this.compared,
            fields: this.fieldScores.length,
            micro: microInterval(this.fieldScores, this.fieldOutput, this.compared),
            macro: perField.reduce((s, f) => s + f.accuracy, 0) / perField.length,
            exact: stage(this.exact, this.compared, n),
            perField,
            extraFields: this.extra,
          };
    return {
      ...this.group,
      errors: this.errors,
      responses: n,
      refused: stage(c.refused, n, n),
      truncated: stage(c.truncated, n - c.refused, n),
      json: stage(json, afterStops, n),
      schema: stage(valid, json, n),
      schemaErrors: Object.fromEntries([...this.keywords.entries()].sort(([a], [b]) => (a < b ? -1 : 1))),
      fields,
      withoutExpected: this.withoutExpected,
    };
  }
}

/** The funnel of one prompt × model's results (the fold of `StructuredFunnelTally`). */
export function structuredFunnel(
  group: { prompt: string; promptVersion: string; modelId: string },
  validate: SchemaValidator,
  results: Iterable<{ result: FunnelResult; expected?: unknown }>,
): StructuredFunnel {
  const tally = new StructuredFunnelTally(group, validate);
  for (const { result, expected } of results) tally.add(result, expected);
  return tally.finish();
}
