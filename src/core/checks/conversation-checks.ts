import { normalizeCheck } from '../suite/normalize-check.ts';
import { assistantTurns } from './assistant-turns.ts';
import type { CheckDefinition } from './check-definition.ts';
import { quoteText } from './quote-text.ts';
import { regexCheck } from './regex-check.ts';

/** `turn-count`: how many replies the assistant gave (`value` exact, or `min`/`max`). */
const turnCount: CheckDefinition = {
  type: 'turn-count',
  keys: ['value', 'min', 'max'],
  compile(spec) {
    const exact = spec.optionalNumber('value', { min: 0, integer: true });
    const min = exact ?? spec.optionalNumber('min', { min: 0, integer: true });
    const max = exact ?? spec.optionalNumber('max', { min: 0, integer: true });
    if (exact !== undefined && (spec.has('min') || spec.has('max')))
      spec.fail('value', 'value cannot be combined with min or max', 'value, or min and/or max');
    if (min === undefined && max === undefined)
      spec.fail(
        'max',
        "missing for check 'turn-count'",
        "'value' (exact), 'min', 'max' or both: integers ≥ 0",
      );
    if (min !== undefined && max !== undefined && min > max)
      spec.fail('min', `min (${min}) is greater than max (${max})`, 'min ≤ max');
    const range =
      exact !== undefined
        ? `${exact}`
        : min !== undefined && max !== undefined
          ? `${min}–${max}`
          : min !== undefined
            ? `≥ ${min}`
            : `≤ ${max}`;
    return (output) => {
      const count = assistantTurns(output).length;
      const pass = (min === undefined || count >= min) && (max === undefined || count <= max);
      return {
        pass,
        reason: `${count} assistant turn${count === 1 ? '' : 's'}${pass ? '' : `, expected ${range}`}`,
        details: { count },
      };
    };
  },
};

/** `never`: a regular expression that must match no assistant reply. */
const never: CheckDefinition = {
  type: 'never',
  keys: ['pattern', 'flags'],
  compile(spec, compileChild) {
    // The regex check validates pattern and flags with the same messages.
    regexCheck.compile(spec, compileChild);
    const re = new RegExp(spec.string('pattern'), spec.optionalString('flags') ?? '');
    return (output) => {
      const hits: { turn: number; match: string }[] = [];
      for (const { turn, output: reply } of assistantTurns(output)) {
        re.lastIndex = 0;
        const m = re.exec(reply.text);
        if (m) hits.push({ turn, match: m[0] });
      }
      const first = hits[0];
      if (!first) return { pass: true, reason: `no reply matches /${re.source}/${re.flags}` };
      return {
        pass: false,
        reason: `turn ${first.turn + 1} matches /${re.source}/${re.flags}: ${quoteText(first.match)}${hits.length > 1 ? ` (and ${hits.length - 1} more turn${hits.length > 2 ? 's' : ''})` : ''}`,
        details: { turns: hits.map((h) => h.turn) },
      };
    };
  },
};

/** `all-turns`: a nested check that every assistant reply must pass; scored by the share that do. */
const allTurns: CheckDefinition = {
  type: 'all-turns',
  keys: ['check'],
  compile(spec, compileChild) {
    const expected = 'a check, e.g. { type: contains, value: order }';
    if (!spec.has('check')) spec.fail('check', "missing for check 'all-turns'", expected);
    // The nested check may be written in any form a list item can (shorthand, bare type name).
    const child = normalizeCheck(spec.get('check'));
    if (!child.ok) return spec.fail('check', child.problem, expected, child.hint);
    const run = compileChild(child.spec, 'check');
    return async (output, testCase, ctx) => {
      const turns = assistantTurns(output);
      const verdicts = await Promise.all(
        turns.map(async (t) => ({ turn: t.turn, verdict: await run(t.output, testCase, ctx) })),
      );
      const failed = verdicts.filter((v) => !v.verdict.pass);
      const details = {
        turns: verdicts.map((v) => ({ turn: v.turn, pass: v.verdict.pass, reason: v.verdict.reason })),
      };
      const score = turns.length > 0 ? (turns.length - failed.length) / turns.length : 1;
      const first = failed[0];
      if (!first) return { pass: true, score, reason: `all ${turns.length} turns passed`, details };
      return {
        pass: false,
        score,
        reason: `${failed.length} of ${turns.length} turns failed; turn ${first.turn + 1}: ${first.verdict.reason}`,
        details,
      };
    };
  },
};

/** `goal-reached`: the simulated user wrote its stop marker (termination `user-stop`). */
const goalReached: CheckDefinition = {
  type: 'goal-reached',
  keys: [],
  compile() {
    return (output) => {
      const termination = output.trajectory?.termination;
      if (termination === 'user-stop') return { pass: true, reason: 'the simulated user reached its goal' };
      return {
        pass: false,
        reason:
          termination === undefined
            ? 'not a conversation: no trajectory'
            : `the conversation ended with ${termination}, not the simulated user's stop marker`,
        details: { termination },
      };
    };
  },
};

/** Checks over a whole conversation's assistant replies (docs/checks.md#conversations). */
export const conversationChecks: CheckDefinition[] = [turnCount, never, allTurns, goalReached];
