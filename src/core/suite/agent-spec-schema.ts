import { z } from 'zod';
import type { AgentSpec, ToolFixture } from '../types.ts';

export const DEFAULT_MAX_STEPS = 10;
export const DEFAULT_MAX_TOOL_ERRORS = 3;
export const DEFAULT_FAIL_FIRST_ERROR = 'temporarily unavailable, try again';

const ENVIRONMENT_REF = /^file:[^#]+#[A-Za-z_$][\w$]*$/;

const fixtureEntry = z
  .strictObject({
    args: z.unknown().optional().meta({ description: 'Arguments to match; absent: any call' }),
    match: z.enum(['exact', 'subset']).optional().meta({ description: 'subset (default) or exact' }),
    result: z.unknown().optional().meta({ description: 'What the tool returns' }),
    error: z
      .string()
      .min(1)
      .optional()
      .meta({ description: 'A scripted tool error the model is told about' }),
    default: z.unknown().optional().meta({ description: 'Shorthand for a fallback entry { result: … }' }),
  })
  .superRefine((e, ctx) => {
    const outcomes = ['result', 'error', 'default'].filter((k) => Object.hasOwn(e, k));
    if (outcomes.length !== 1)
      ctx.addIssue({
        code: 'custom',
        message:
          outcomes.length === 0
            ? 'a fixture entry needs result, error or default'
            : `a fixture entry takes one of result, error, default (found ${outcomes.join(', ')})`,
        params: { expected: '{ args?, match?, result } or { args?, error } or { default }' },
      });
    if (Object.hasOwn(e, 'default') && (e.args !== undefined || e.match !== undefined))
      ctx.addIssue({
        code: 'custom',
        message: 'a default entry matches every call: it takes no args or match',
        params: { expected: '{ default: <result> }' },
      });
  });

const fixtureTables = z
  .record(z.string().min(1), z.array(fixtureEntry).min(1))
  .meta({ description: 'Tool name → fixture entries, tried in order' });

const failFirst = z
  .record(
    z.string().min(1),
    z.union([
      z.number().int().min(1),
      z.strictObject({ times: z.number().int().min(1), error: z.string().min(1).optional() }),
    ]),
  )
  .meta({ description: 'Tool name → fail its first N calls (N, or { times, error })' });

/** The `agent:` block of a suite's defaults or of a case (docs/agents.md). */
export const agentBlockSchema = z
  .strictObject({
    maxSteps: z.number().int().min(1).max(1000).optional().meta({ description: 'Model calls at most (10)' }),
    maxToolErrors: z
      .number()
      .int()
      .min(1)
      .optional()
      .meta({ description: 'Stop after this many tool errors (3)' }),
    tools: z
      .union([
        z.string().superRefine((value, ctx) => {
          if (!ENVIRONMENT_REF.test(value))
            ctx.addIssue({
              code: 'custom',
              message: `invalid environment reference '${value}'`,
              params: {
                expected:
                  "'file:<path>#<export>', e.g. 'file:tools/refund.ts#createEnvironment', or fixture tables per tool",
              },
            });
        }),
        fixtureTables,
      ])
      .optional()
      .meta({ description: "'file:tools.ts#createEnvironment', or fixture tables per tool" }),
    fixtures: fixtureTables.optional(),
    failFirst: failFirst.optional(),
  })
  .meta({ description: 'Run the case as an agent loop (docs/agents.md)' });

export type AgentBlock = z.output<typeof agentBlockSchema>;

type FixtureEntry = z.output<typeof fixtureEntry>;

function toFixture(e: FixtureEntry): ToolFixture {
  if (Object.hasOwn(e, 'default')) return { result: e.default };
  const out: ToolFixture = {};
  if (e.args !== undefined) out.args = e.args;
  if (e.match !== undefined) out.match = e.match;
  if (Object.hasOwn(e, 'result')) out.result = e.result;
  if (e.error !== undefined) out.error = e.error;
  return out;
}

function tablesOf(block: AgentBlock | undefined): Record<string, ToolFixture[]> {
  const out: Record<string, ToolFixture[]> = {};
  if (!block) return out;
  const add = (t: Record<string, FixtureEntry[]> | undefined) => {
    for (const [name, entries] of Object.entries(t ?? {})) out[name] = entries.map(toFixture);
  };
  if (typeof block.tools === 'object') add(block.tools);
  add(block.fixtures);
  return out;
}

/**
 * A case's agent spec: the suite's `defaults.agent` under the case's `agent` (limits and environment
 * replaced, fixture tables and failFirst merged tool by tool, the case winning). Undefined when neither
 * has one: the case is a single call.
 */
export function mergeAgentSpec(
  suite: AgentBlock | undefined,
  own: AgentBlock | undefined,
): AgentSpec | undefined {
  if (!suite && !own) return undefined;
  const spec: AgentSpec = {
    maxSteps: own?.maxSteps ?? suite?.maxSteps ?? DEFAULT_MAX_STEPS,
    maxToolErrors: own?.maxToolErrors ?? suite?.maxToolErrors ?? DEFAULT_MAX_TOOL_ERRORS,
  };
  const environment =
    typeof own?.tools === 'string' ? own.tools : typeof suite?.tools === 'string' ? suite.tools : undefined;
  if (environment !== undefined) spec.environment = environment;
  const fixtures = { ...tablesOf(suite), ...tablesOf(own) };
  if (Object.keys(fixtures).length > 0) spec.fixtures = fixtures;
  const fail: NonNullable<AgentSpec['failFirst']> = {};
  for (const block of [suite, own])
    for (const [name, v] of Object.entries(block?.failFirst ?? {}))
      fail[name] =
        typeof v === 'number'
          ? { times: v, error: DEFAULT_FAIL_FIRST_ERROR }
          : { times: v.times, error: v.error ?? DEFAULT_FAIL_FIRST_ERROR };
  if (Object.keys(fail).length > 0) spec.failFirst = fail;
  return spec;
}
