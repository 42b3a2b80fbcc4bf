import { z } from 'zod';
import { settingsSchema } from '../config/settings-schema.ts';
import type { ConversationTurn, SimulatedUserSpec } from '../types.ts';
import { checkSpecSchema } from './check-spec-schema.ts';

export const DEFAULT_MAX_TURNS = 6;
export const DEFAULT_STOP_MARKER = '<<GOAL_REACHED>>';

const turnSchema = z
  .strictObject({
    user: z
      .string()
      .min(1)
      .optional()
      .meta({ description: "The user's message (Liquid over the case's vars); omitted on turn 1" }),
    checks: z.array(checkSpecSchema).default([]).meta({ description: 'Checks on the reply to this turn' }),
  })
  .meta({ description: 'One user turn and the checks on its reply' });

/**
 * `turns:` of a case. Turn 1 is the prompt rendered for the case, so `turns[0]` needs no `user`; every
 * later turn does (a missing one is an error at its own line).
 */
export const turnsSchema = z
  .array(turnSchema)
  .min(1)
  .superRefine((turns, ctx) => {
    turns.forEach((t, i) => {
      if (i > 0 && t.user === undefined)
        ctx.addIssue({
          code: 'custom',
          path: [i, 'user'],
          message: `turn ${i + 1} has no user message`,
          params: {
            expected: "a 'user:' text on every turn after the first (turn 1 is the prompt's own message)",
          },
        });
    });
  })
  .meta({ description: "Scripted conversation: turn 1 is the prompt's message; later turns add 'user'" });

/** `simulatedUser:` of a case or of the suite's defaults (merged field by field, the case winning). */
export const simulatedUserSchema = z
  .strictObject({
    model: z.string().min(1).optional().meta({ description: 'A configured model id that plays the user' }),
    persona: z.string().min(1).optional().meta({ description: 'Who the user is' }),
    goal: z.string().min(1).optional().meta({ description: 'What the user wants to achieve' }),
    maxTurns: z
      .number()
      .int()
      .min(1)
      .max(100)
      .optional()
      .meta({ description: `Assistant replies at most (${DEFAULT_MAX_TURNS})` }),
    stop: z
      .string()
      .min(1)
      .optional()
      .meta({ description: `Marker the user writes when the goal is reached (${DEFAULT_STOP_MARKER})` }),
    firstMessage: z
      .string()
      .min(1)
      .optional()
      .meta({ description: "The user's first message, for prompts that do not end in a user message" }),
    settings: settingsSchema.optional().meta({ description: "Settings of the simulator's calls" }),
  })
  .meta({ description: 'A simulated user: a model with a persona and a goal (docs/conversations.md)' });

export type SimulatedUserBlock = z.output<typeof simulatedUserSchema>;

/** `everyTurn:` of a case: checks on every assistant reply. */
export const everyTurnSchema = z
  .array(checkSpecSchema)
  .meta({ description: 'Checks run on every assistant reply of a conversation' });

export type MergedSimulatedUser =
  | { ok: true; spec: SimulatedUserSpec | undefined }
  | { ok: false; missing: ('model' | 'goal')[] };

/**
 * A case's simulated user: the suite's `defaults.simulatedUser` under the case's own, field by field.
 * `model` and `goal` must be set by one of them.
 */
export function mergeSimulatedUser(
  suite: SimulatedUserBlock | undefined,
  own: SimulatedUserBlock | undefined,
): MergedSimulatedUser {
  if (!suite && !own) return { ok: true, spec: undefined };
  const b = { ...suite, ...own };
  const missing = (['model', 'goal'] as const).filter((k) => b[k] === undefined);
  if (missing.length > 0 || b.model === undefined || b.goal === undefined) return { ok: false, missing };
  const spec: SimulatedUserSpec = {
    model: b.model,
    goal: b.goal,
    maxTurns: b.maxTurns ?? DEFAULT_MAX_TURNS,
    stop: b.stop ?? DEFAULT_STOP_MARKER,
  };
  if (b.persona !== undefined) spec.persona = b.persona;
  if (b.firstMessage !== undefined) spec.firstMessage = b.firstMessage;
  if (suite?.settings || own?.settings) spec.settings = { ...suite?.settings, ...own?.settings };
  return { ok: true, spec };
}

/** The raw `turns` as the CaseSpec keeps them. */
export function toTurns(turns: z.output<typeof turnsSchema>): ConversationTurn[] {
  return turns.map((t) => (t.user !== undefined ? { user: t.user, checks: t.checks } : { checks: t.checks }));
}
