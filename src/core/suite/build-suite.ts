import { canonicalJson } from '../canonical-json.ts';
import { formatFieldPath } from '../config/format-field-path.ts';
import type { LoadWarning } from '../config/project.ts';
import { throwConfigErrors } from '../config/throw-config-errors.ts';
import { ConfigError } from '../errors.ts';
import { sha256Hex } from '../sha256-hex.ts';
import type { CaseSpec, CheckSpec, ContextDocument, Suite } from '../types.ts';
import type { FieldPath, SourcePos } from '../yaml-locate.ts';
import { addConversation } from './add-conversation.ts';
import { type AgentBlock, mergeAgentSpec } from './agent-spec-schema.ts';
import type { RawCase } from './case-schema.ts';
import type { SimulatedUserBlock } from './conversation-schema.ts';

/** Where something in a suite was written: for errors and for compiling checks. */
export interface SourceRef {
  line?: number;
  column?: number;
  /** Field path, e.g. `cases[3].checks[0]` (YAML) or `checks[0]` (a JSONL line, a CSV row). */
  field: string;
}

export type SuiteWarning = LoadWarning;

export interface SuiteLocations {
  /** Case id → where the case starts. */
  cases: Map<string, SourceRef>;
  /** Each check spec object (suite defaults are shared by every case) → where it was written. */
  checks: Map<CheckSpec, SourceRef>;
}

export interface ParsedSuite {
  suite: Suite;
  warnings: SuiteWarning[];
  locations: SuiteLocations;
}

/** A case as parsed by one of the format readers, before ids and defaults are settled. */
export interface DraftCase {
  raw: RawCase;
  /** Path of the case in its document (`['cases', 3]`), `[]` for a JSONL line or CSV row. */
  path: FieldPath;
  line?: number;
  /** Position of `checks[j]`. */
  checkPos(j: number): SourcePos | undefined;
  /** Position of a field of the case (`['turns', 1, 'user']`), when the format knows it. */
  posOf?(path: FieldPath): SourcePos | undefined;
}

export interface SuiteDraft {
  name?: string;
  description?: string;
  defaultChecks: CheckSpec[];
  defaultCheckPos(j: number): SourcePos | undefined;
  /** The suite's `defaults.agent`, merged into every case. */
  defaultAgent?: AgentBlock;
  /** The suite's `defaults.simulatedUser`, merged under every case without `turns`. */
  defaultSimulatedUser?: SimulatedUserBlock;
  cases: DraftCase[];
}

/** Suite name from its file: `suites/support.yaml` → `support`. */
export function suiteNameFromFile(file: string): string {
  const base = file.split(/[\\/]/).pop() ?? file;
  return base.replace(/\.(ya?ml|jsonl|ndjson|json|csv)$/i, '');
}

/** Id derived from a case's content: `c-` + 10 hex of sha256 of its canonical vars and messages. */
export function deriveCaseId(vars: Record<string, unknown>, messages?: unknown): string {
  return `c-${sha256Hex(canonicalJson({ vars, messages })).slice(0, 10)}`;
}

/** Hash of a suite's cases as run (ids, vars, checks with defaults merged, …). */
export function suiteHash(cases: CaseSpec[]): string {
  return sha256Hex(canonicalJson(cases));
}

/**
 * Settles a parsed suite: derives missing ids (with a warning), rejects duplicate ids (naming both lines),
 * numbers context documents, merges the suite's default checks in front of each case's own, and hashes.
 */
export function buildSuite(draft: SuiteDraft, file: string): ParsedSuite {
  const warnings: SuiteWarning[] = [];
  const errors: ConfigError[] = [];
  const caseLocations = new Map<string, SourceRef>();
  const checkLocations = new Map<CheckSpec, SourceRef>();

  draft.defaultChecks.forEach((spec, j) => {
    const pos = draft.defaultCheckPos(j);
    checkLocations.set(spec, { line: pos?.line, column: pos?.column, field: `defaults.checks[${j}]` });
  });

  const cases: CaseSpec[] = [];
  for (const d of draft.cases) {
    const raw = d.raw;
    let id = raw.id;
    if (id === undefined) {
      id = deriveCaseId(raw.vars, raw.messages);
      warnings.push({
        file,
        line: d.line,
        message: `case has no id; using '${id}' derived from its content (it changes when the vars change — add an id to keep results comparable)`,
      });
    }
    const previous = caseLocations.get(id);
    if (previous) {
      errors.push(
        new ConfigError(`duplicate case id '${id}' on lines ${previous.line ?? '?'} and ${d.line ?? '?'}`, {
          file,
          line: d.line,
          field: formatFieldPath([...d.path, 'id']),
          expected: 'ids unique within the suite',
          hint:
            raw.id === undefined
              ? 'two cases have the same content; give them ids or remove one'
              : 'rename one of them',
        }),
      );
      continue;
    }
    caseLocations.set(id, { line: d.line, field: formatFieldPath(d.path) });
    raw.checks.forEach((spec, j) => {
      const pos = d.checkPos(j);
      checkLocations.set(spec, {
        line: pos?.line ?? d.line,
        column: pos?.column,
        field: formatFieldPath([...d.path, 'checks', j]),
      });
    });
    const spec = toCaseSpec(id, raw, draft.defaultChecks, draft.defaultAgent);
    addConversation(spec, d, draft.defaultSimulatedUser, file, checkLocations, errors);
    cases.push(spec);
  }
  throwConfigErrors(errors);

  const suite: Suite = {
    name: draft.name ?? suiteNameFromFile(file),
    file,
    hash: suiteHash(cases),
    ...(draft.description !== undefined ? { description: draft.description } : {}),
    defaultChecks: draft.defaultChecks,
    cases,
  };
  return { suite, warnings, locations: { cases: caseLocations, checks: checkLocations } };
}

function toCaseSpec(id: string, raw: RawCase, defaults: CheckSpec[], defaultAgent?: AgentBlock): CaseSpec {
  const out: CaseSpec = { id, vars: raw.vars, checks: [...defaults, ...raw.checks], tags: raw.tags };
  if (raw.messages !== undefined) out.messages = raw.messages;
  if (raw.expected !== undefined) out.expected = raw.expected;
  if (raw.context !== undefined) out.context = raw.context.map(toDocument);
  if (raw.category !== undefined) out.category = raw.category;
  if (raw.split !== undefined) out.split = raw.split;
  if (raw.cluster !== undefined) out.cluster = raw.cluster;
  if (raw.protected !== undefined) out.protected = raw.protected;
  if (raw.review !== undefined) out.review = raw.review;
  if (raw.metadata !== undefined) out.metadata = raw.metadata;
  const agent = mergeAgentSpec(defaultAgent, raw.agent);
  if (agent) out.agent = agent;
  return out;
}

function toDocument(doc: string | { id?: string | number; text: string }, i: number): ContextDocument {
  if (typeof doc === 'string') return { id: `doc-${i + 1}`, text: doc };
  return { ...doc, id: doc.id === undefined ? `doc-${i + 1}` : String(doc.id), text: doc.text };
}
