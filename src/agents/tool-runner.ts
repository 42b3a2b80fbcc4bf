import { compileSchema, formatSchemaErrors } from '../core/checks/compile-schema.ts';
import { deepEqual } from '../core/checks/deep-equal.ts';
import type { AgentSpec, CaseSpec, ToolFixture, ToolSpec } from '../core/types.ts';
import { environmentOf, type ToolEnvironment } from './tool-environment.ts';

/** One tool call's outcome: the content given back to the model, and the error when it failed. */
export type ToolOutcome = { ok: true; content: string } | { ok: false; error: string; content: string };

/** Whether every key of `subset` deep-equals the same key of `value` (objects only; else deep-equal). */
export function isArgsSubset(subset: unknown, value: unknown): boolean {
  if (typeof subset !== 'object' || subset === null || Array.isArray(subset)) return deepEqual(subset, value);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const v = value as Record<string, unknown>;
  return Object.entries(subset).every(([k, x]) => Object.hasOwn(v, k) && deepEqual(x, v[k]));
}

/** The first fixture entry that answers `args`: entries are tried in order; one without args matches all. */
export function matchFixture(entries: readonly ToolFixture[], args: unknown): ToolFixture | undefined {
  return entries.find((e) => {
    if (e.args === undefined) return true;
    return e.match === 'exact' ? deepEqual(e.args, args) : isArgsSubset(e.args, args);
  });
}

function toContent(result: unknown): string {
  if (typeof result === 'string') return result;
  if (result === undefined) return 'null';
  return JSON.stringify(result);
}

function failure(error: string): ToolOutcome {
  return { ok: false, error, content: `Error: ${error}` };
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * The tools of one run of an agent case: declared by the prompt (their argument schemas), implemented by
 * the case's failFirst script, fixture tables and environment, in that order of precedence.
 */
export class ToolRunner {
  private readonly declared: Map<string, ToolSpec>;
  private readonly calls = new Map<string, number>();
  private readonly spec: AgentSpec;
  private readonly environment: ToolEnvironment | undefined;

  private constructor(spec: AgentSpec, tools: readonly ToolSpec[], environment: ToolEnvironment | undefined) {
    this.spec = spec;
    this.environment = environment;
    this.declared = new Map(tools.map((t) => [t.name, t]));
  }

  /** A fresh runner (and environment, when the case has one) for one run of `testCase`. */
  static async create(spec: AgentSpec, tools: readonly ToolSpec[], testCase: CaseSpec): Promise<ToolRunner> {
    let environment: ToolEnvironment | undefined;
    if (spec.environment !== undefined) {
      const factory = environmentOf(spec);
      if (!factory) throw new Error(`agent environment ${spec.environment} was not loaded`);
      let made: unknown;
      try {
        made = await factory(testCase);
      } catch (e) {
        throw new Error(`agent environment ${spec.environment} threw: ${messageOf(e)}`);
      }
      const env = made as Partial<ToolEnvironment> | null;
      if (typeof env !== 'object' || env === null || typeof env.tools !== 'object' || env.tools === null)
        throw new Error(
          `agent environment ${spec.environment} must return { tools: { name: fn }, state?: fn }`,
        );
      if (env.state !== undefined && typeof env.state !== 'function')
        throw new Error(`agent environment ${spec.environment}: 'state' must be a function`);
      environment = env as ToolEnvironment;
    }
    return new ToolRunner(spec, tools, environment);
  }

  /** Runs one call; every failure is an outcome the model is told about, never a throw. */
  async run(name: string, args: unknown): Promise<ToolOutcome> {
    const tool = this.declared.get(name);
    if (!tool)
      return failure(
        `unknown tool '${name}'; the tools are: ${[...this.declared.keys()].join(', ') || '(none)'}`,
      );
    if (typeof args === 'string') return failure(`the arguments of ${name} are not valid JSON`);
    const compiled = compileSchema(tool.parameters);
    if (!compiled.ok) return failure(`tool '${name}' has an invalid parameters schema: ${compiled.error}`);
    if (!compiled.validate(args))
      return failure(`invalid arguments for ${name}: ${formatSchemaErrors(compiled.validate.errors, 3)}`);
    const n = (this.calls.get(name) ?? 0) + 1;
    this.calls.set(name, n);
    const scripted = this.spec.failFirst?.[name];
    if (scripted && n <= scripted.times) return failure(scripted.error);
    const table = this.spec.fixtures?.[name];
    if (table) {
      const entry = matchFixture(table, args);
      if (!entry) return failure(`no result for these arguments: ${JSON.stringify(args)}`);
      if (entry.error !== undefined) return failure(entry.error);
      return { ok: true, content: toContent(entry.result) };
    }
    const fn = this.environment?.tools[name];
    if (typeof fn !== 'function') return failure(`tool '${name}' is not available in this environment`);
    let result: unknown;
    try {
      result = await fn(args);
    } catch (e) {
      return failure(messageOf(e));
    }
    try {
      return { ok: true, content: toContent(result) };
    } catch (e) {
      return failure(`the result of ${name} is not JSON-serializable: ${messageOf(e)}`);
    }
  }

  /** The environment's state as plain JSON (what end-state checks read); undefined without one. */
  state(): unknown {
    if (!this.environment?.state) return undefined;
    const s = this.environment.state();
    return s === undefined ? undefined : JSON.parse(JSON.stringify(s));
  }
}
