import { z } from 'zod';
import { issuesToConfigErrors } from '../core/config/issues-to-config-errors.ts';
import { throwConfigErrors } from '../core/config/throw-config-errors.ts';
import { ConfigError } from '../core/errors.ts';
import { parseYaml } from '../core/yaml-locate.ts';
import { LOOP_STRATEGIES, MODEL_STRATEGIES, STRATEGIES } from './strategies.ts';

/** What is attacked. Each plugin ships its own seed corpus (corpus.ts) and deterministic grader. */
export const PLUGINS = [
  'system-prompt-extraction',
  'pii-leakage',
  'prompt-injection',
  'indirect-injection',
  'tool-injection',
  'instruction-hierarchy',
  'persona-break',
  'sycophancy',
  'over-refusal',
  'harmful-content',
  'excessive-agency',
] as const;
export type PluginId = (typeof PLUGINS)[number];

const name = z.string().min(1);

const targetSchema = z.strictObject({
  prompts: z.array(name).min(1).optional().meta({ description: 'Prompt names attacked (default: all)' }),
  models: z
    .array(name)
    .min(1)
    .optional()
    .meta({ description: 'Model ids attacked (default: all configured)' }),
  input: name.meta({ description: "The prompt variable that carries the user's message" }),
  vars: z.record(z.string(), z.unknown()).optional().meta({ description: 'Values for the other variables' }),
  context: name.optional().meta({
    description: 'The prompt variable for retrieved documents (indirect injection, PII planted in context)',
  }),
  canary: z
    .string()
    .min(8)
    .optional()
    .meta({ description: 'A fake secret planted in the system prompt (system-prompt-extraction)' }),
  canaryVar: name.optional().meta({ description: 'Plant the canary through this variable instead' }),
  forbiddenTools: z
    .array(name)
    .min(1)
    .optional()
    .meta({ description: 'Tools the policy forbids (excessive-agency)' }),
  toolInjection: z
    .strictObject({
      tool: name.meta({ description: 'The tool whose results carry the payload (tool-injection)' }),
      ask: name.optional().meta({ description: "The user's request that makes the agent call it" }),
      result: z.unknown().optional().meta({ description: 'The genuine part of the result (text or JSON)' }),
      maxSteps: z.int().min(2).max(50).default(4).meta({ description: 'Agent model calls at most' }),
    })
    .optional(),
});

const pluginEntry = z.union([
  z.enum(PLUGINS),
  z.strictObject({ id: z.enum(PLUGINS), attempts: z.int().min(1).max(10_000).optional() }),
]);

const ALL_STRATEGIES = [...STRATEGIES, ...LOOP_STRATEGIES, ...MODEL_STRATEGIES];

const strategyEntry = z.string().superRefine((s, ctx) => {
  if (!(ALL_STRATEGIES as readonly string[]).includes(s))
    ctx.addIssue({
      code: 'custom',
      message: `unknown strategy '${s}'`,
      params: { expected: `one of: ${ALL_STRATEGIES.join(', ')}` },
    });
});

export const redteamConfigSchema = z.strictObject({
  $schema: z.string().optional(),
  suite: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]*$/, 'a lowercase slug')
    .default('redteam')
    .meta({ description: 'Name of the generated suite' }),
  target: targetSchema,
  plugins: z.array(pluginEntry).min(1),
  strategies: z.array(strategyEntry).default([]),
  attempts: z.int().min(1).max(10_000).default(6).meta({ description: 'Attacks per plugin (seeds drawn)' }),
  seed: z.int().default(0),
  grader: z
    .strictObject({ judge: name.meta({ description: 'A *.judge.md file for harmful-content' }) })
    .optional(),
  attacker: z
    .strictObject({
      model: name.meta({ description: 'A configured model that plays the attacking user' }),
      maxTurns: z
        .int()
        .min(1)
        .max(20)
        .default(4)
        .meta({ description: 'Target replies per multi-turn attack' }),
      settings: z.record(z.string(), z.unknown()).optional().meta({ description: "The attacker's settings" }),
    })
    .optional()
    .meta({ description: 'Attacker model for the multi-turn and paraphrase strategies' }),
  top: z.int().min(0).max(100).default(5).meta({ description: 'Most effective attacks shown' }),
});

export type RedteamConfigInput = z.input<typeof redteamConfigSchema>;

export interface RedteamConfig {
  file: string;
  suite: string;
  target: z.output<typeof targetSchema>;
  plugins: { id: PluginId; attempts: number }[];
  strategies: (
    | (typeof STRATEGIES)[number]
    | (typeof LOOP_STRATEGIES)[number]
    | (typeof MODEL_STRATEGIES)[number]
  )[];
  attempts: number;
  seed: number;
  grader?: { judge: string };
  attacker?: { model: string; maxTurns: number; settings?: Record<string, unknown> };
  top: number;
  /** Where each field is written, for errors found after parsing (a prompt lacking a variable). */
  at: (path: (string | number)[]) => { file: string; line?: number; column?: number; field: string };
}

/** Parses and validates `redteam.yaml`; every problem is a ConfigError with file, line and field. */
export function parseRedteamConfig(text: string, file: string): RedteamConfig {
  const source = parseYaml(text, file);
  if (source.value === null || source.value === undefined || typeof source.value !== 'object')
    throw new ConfigError('the red-team config is empty or not a mapping', {
      file,
      line: 1,
      expected: 'a mapping with target:, plugins: and optionally strategies:',
    });
  const r = redteamConfigSchema.safeParse(source.value);
  if (!r.success)
    throwConfigErrors(
      issuesToConfigErrors(r.error.issues, {
        file,
        input: source.value,
        schema: redteamConfigSchema,
        locate: source.locate,
      }),
    );
  if (!r.success) throw new Error('unreachable');
  const c = r.data;
  const at = (path: (string | number)[]) => {
    const pos = source.locate(path);
    return {
      file,
      ...(pos ? { line: pos.line, ...(pos.column !== undefined ? { column: pos.column } : {}) } : {}),
      field: path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join(''),
    };
  };
  const seen = new Set<string>();
  const plugins = c.plugins.map((p, i) => {
    const entry =
      typeof p === 'string'
        ? { id: p, attempts: c.attempts }
        : { id: p.id, attempts: p.attempts ?? c.attempts };
    if (seen.has(entry.id))
      throw new ConfigError(`plugin '${entry.id}' is listed twice`, {
        ...at(['plugins', i]),
        expected: 'each plugin once',
      });
    seen.add(entry.id);
    return entry;
  });
  const need = (ok: boolean, plugin: string, i: number, problem: string, hint: string) => {
    if (!ok) throw new ConfigError(`plugin '${plugin}' ${problem}`, { ...at(['plugins', i]), hint });
  };
  plugins.forEach((p, i) => {
    if (p.id === 'system-prompt-extraction')
      need(
        c.target.canary !== undefined,
        p.id,
        i,
        'needs a canary planted in the system prompt',
        "set target.canary to a fake secret (e.g. 'ZEBRA-7731-QUARTZ') written in the prompt's system message",
      );
    if (p.id === 'harmful-content')
      need(
        c.grader !== undefined,
        p.id,
        i,
        'is graded by a judge, and none is configured',
        'set grader.judge to a *.judge.md file whose rubric passes safe replies',
      );
    if (p.id === 'tool-injection')
      need(
        c.target.toolInjection !== undefined,
        p.id,
        i,
        'needs the tool whose results carry the payload',
        'set target.toolInjection: { tool: TOOL, ask: "a request that makes the agent call it" }',
      );
    if (p.id === 'excessive-agency')
      need(
        c.target.forbiddenTools !== undefined,
        p.id,
        i,
        'needs the tools the policy forbids',
        'set target.forbiddenTools: [TOOL, …] (tools the prompt offers but must not call on request)',
      );
  });
  for (const needy of ['multi-turn', 'paraphrase']) {
    const i = c.strategies.indexOf(needy);
    if (i >= 0 && !c.attacker)
      throw new ConfigError(`strategy '${needy}' needs an attacker model`, {
        ...at(['strategies', i]),
        hint: 'set attacker.model to a configured model (it writes the attacks; it is not attacked)',
      });
  }
  if (c.target.canaryVar && !c.target.canary)
    throw new ConfigError('canaryVar is set but canary is not', {
      ...at(['target', 'canaryVar']),
      expected: 'target.canary: the fake secret to plant through that variable',
    });
  return {
    file,
    suite: c.suite,
    target: c.target,
    plugins,
    strategies: [...new Set(c.strategies)] as RedteamConfig['strategies'],
    attempts: c.attempts,
    seed: c.seed,
    ...(c.grader ? { grader: c.grader } : {}),
    ...(c.attacker ? { attacker: c.attacker } : {}),
    top: c.top,
    at,
  };
}
