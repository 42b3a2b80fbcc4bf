import { formatFieldPath } from '../config/format-field-path.ts';
import { ConfigError } from '../errors.ts';
import { liquidError } from '../prompt/prompt-templates.ts';
import type { CaseSpec, CheckSpec } from '../types.ts';
import type { FieldPath } from '../yaml-locate.ts';
import type { DraftCase, SourceRef } from './build-suite.ts';
import { mergeSimulatedUser, type SimulatedUserBlock, toTurns } from './conversation-schema.ts';
import { renderTurnText } from './render-turn-text.ts';

/**
 * Settles a case's conversation fields on `out`: `turns` as written, the simulated user merged with the
 * suite's defaults (a case with `turns` is scripted and takes none), `everyTurn`. Records where each
 * per-turn check was written (for compiling them) and reports shapes that cannot run: turns together with
 * a simulated user, a simulated user without model or goal, `everyTurn` outside a conversation, a
 * conversation that is also an agent, user text that does not render with the case's vars.
 */
export function addConversation(
  out: CaseSpec,
  d: DraftCase,
  defaults: SimulatedUserBlock | undefined,
  file: string,
  checkLocations: Map<CheckSpec, SourceRef>,
  errors: ConfigError[],
): void {
  const raw = d.raw;
  const at = (path: FieldPath) => {
    const pos = d.posOf?.(path);
    return {
      file,
      line: pos?.line ?? d.line,
      column: pos?.column,
      field: formatFieldPath([...d.path, ...path]),
    };
  };
  const record = (spec: CheckSpec, path: FieldPath) => {
    const { line, column, field } = at(path);
    checkLocations.set(spec, { line, column, field });
  };
  const render = (text: string, path: FieldPath) => {
    try {
      renderTurnText(text, raw.vars);
    } catch (e) {
      const where = at(path);
      const err = liquidError(e, `cannot render for case '${out.id}'`, { file, line: where.line, indent: 0 });
      errors.push(
        new ConfigError(err.problem, {
          ...where,
          expected: "a Liquid template over the case's vars",
          hint: "turn text sees the case's vars only (not prompt defaults): add the variable to vars",
        }),
      );
    }
  };

  if (raw.turns) {
    if (raw.simulatedUser)
      errors.push(
        new ConfigError('a case takes either turns (a scripted conversation) or simulatedUser, not both', {
          ...at(['simulatedUser']),
          expected: 'turns: or simulatedUser:',
          hint: 'split it into two cases',
        }),
      );
    out.turns = toTurns(raw.turns);
    raw.turns.forEach((t, i) => {
      t.checks.forEach((spec, j) => {
        record(spec, ['turns', i, 'checks', j]);
      });
      if (t.user !== undefined) render(t.user, ['turns', i, 'user']);
    });
  } else {
    const merged = mergeSimulatedUser(defaults, raw.simulatedUser);
    if (!merged.ok)
      errors.push(
        new ConfigError(`the simulated user has no ${merged.missing.join(' and no ')}`, {
          ...at(['simulatedUser']),
          expected: `simulatedUser: { model: <configured model id>, goal: "…", persona?: "…" }`,
          hint: `set ${merged.missing.join(' and ')} in the case or in the suite's defaults.simulatedUser`,
        }),
      );
    else if (merged.spec) {
      out.simulatedUser = merged.spec;
      if (raw.simulatedUser?.firstMessage !== undefined)
        render(raw.simulatedUser.firstMessage, ['simulatedUser', 'firstMessage']);
    }
  }

  if (raw.everyTurn) {
    if (!out.turns && !out.simulatedUser)
      errors.push(
        new ConfigError('everyTurn applies to conversations only', {
          ...at(['everyTurn']),
          expected: 'turns: or simulatedUser: in the same case',
          hint: 'for a single reply, put the checks in checks:',
        }),
      );
    out.everyTurn = raw.everyTurn;
    raw.everyTurn.forEach((spec, j) => {
      record(spec, ['everyTurn', j]);
    });
  }

  if ((out.turns || out.simulatedUser) && out.agent)
    errors.push(
      new ConfigError('a conversation case cannot also be an agent case', {
        ...at([out.turns ? 'turns' : 'simulatedUser']),
        expected: 'either agent: or turns:/simulatedUser:',
        hint: "if the suite's defaults give every case agent:, put the conversation in its own suite",
      }),
    );
}
