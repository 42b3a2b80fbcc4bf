import type { ModelConfig } from '../core/config/project.ts';
import { ConfigError, type ConfigErrorInfo } from '../core/errors.ts';
import type { ParsedSuite } from '../core/suite/build-suite.ts';
import type { CheckSpec, PromptSpec } from '../core/types.ts';
import { resolveSchemaRefs } from '../project/resolve-schema-refs.ts';
import { conversationCheckSpecs } from './conversation-checks.ts';

/**
 * The per-turn checks of a suite's conversations with `schema:` and judge paths read (relative to the
 * suite file, like case checks). Returns written spec → resolved spec; a resolved spec's location is
 * recorded beside the written one's, so compile errors point at the turn.
 */
export async function resolveConversationRefs(
  parsed: ParsedSuite,
  root: string,
): Promise<Map<CheckSpec, CheckSpec>> {
  const specs = parsed.suite.cases.flatMap(conversationCheckSpecs);
  if (specs.length === 0) return new Map();
  const where = (spec: CheckSpec): ConfigErrorInfo => {
    const at = parsed.locations.checks.get(spec);
    return { file: parsed.suite.file, line: at?.line, column: at?.column, field: at?.field };
  };
  const replaced = await resolveSchemaRefs(specs, parsed.suite.file, root, where);
  for (const [from, to] of replaced) {
    const at = parsed.locations.checks.get(from);
    if (from !== to && at) parsed.locations.checks.set(to, at);
  }
  return replaced;
}

/**
 * What a suite's conversations need from the rest of the project: each simulated user's model must be
 * configured (it is called like a judge's: returned so the run opens it), and a turn-1 `user` or a
 * `firstMessage` only fits prompts that do not already end in a user message.
 */
export function checkConversations(
  parsed: ParsedSuite,
  prompts: readonly PromptSpec[],
  models: readonly ModelConfig[],
  configFile: string,
): { errors: ConfigError[]; models: string[] } {
  const errors: ConfigError[] = [];
  const used = new Set<string>();
  const file = parsed.suite.file;
  const endsWithUser = prompts.filter((p) => p.messages.at(-1)?.role === 'user');
  for (const c of parsed.suite.cases) {
    const at = parsed.locations.cases.get(c.id);
    const where = (field: string): ConfigErrorInfo => ({
      file,
      line: at?.line,
      field: at?.field ? `${at.field}.${field}` : field,
    });
    const sim = c.simulatedUser;
    if (sim) {
      used.add(sim.model);
      if (!models.some((m) => m.id === sim.model))
        errors.push(
          new ConfigError(`the simulated user's model ${sim.model} is not configured`, {
            ...where('simulatedUser.model'),
            expected: `a model listed in models: in ${configFile}`,
            hint: `add '- id: ${sim.model}' to models:, or use one of: ${models.map((m) => m.id).join(', ') || '(none)'}`,
          }),
        );
    }
    const opening =
      c.turns?.[0]?.user !== undefined
        ? 'turns[0].user'
        : sim?.firstMessage !== undefined
          ? 'simulatedUser.firstMessage'
          : undefined;
    const clash = endsWithUser[0];
    if (opening && clash)
      errors.push(
        new ConfigError(
          `prompt '${clash.name}' (${clash.file}) already ends in a user message, which is the conversation's first turn`,
          {
            ...where(opening),
            expected:
              "no first user message in the case when the prompt gives one (put the text in the prompt's vars)",
            hint:
              opening === 'turns[0].user'
                ? "drop 'user:' from the first turn and keep its checks"
                : "drop 'firstMessage', or use a prompt with a system message only",
          },
        ),
      );
  }
  return { errors, models: [...used] };
}
