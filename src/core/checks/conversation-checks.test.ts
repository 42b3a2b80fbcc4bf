import { describe, expect, it } from 'vitest';
import { normalizeCheck } from '../suite/normalize-check.ts';
import type {
  CaseSpec,
  CheckContext,
  CheckOutput,
  PromptSpec,
  Termination,
  TrajectoryStep,
} from '../types.ts';
import { compileCheck } from './compile-check.ts';

const prompt: PromptSpec = {
  name: 'p',
  file: 'p.prompt.md',
  version: 'v1',
  canonical: '',
  settings: {},
  variables: {},
  messages: [],
};
const ctx: CheckContext = { prompt, messages: [], modelId: 'fake:bot' };
const testCase: CaseSpec = { id: 'c', vars: {}, checks: [], tags: [] };
const where = { file: 's.yaml', line: 3, field: 'cases[0].checks[0]' };

/** A conversation's output: the last reply as text, every reply in the trajectory. */
function conversation(replies: string[], termination: Termination = 'turns-done'): CheckOutput {
  const steps: TrajectoryStep[] = replies.flatMap((text, turn): TrajectoryStep[] => [
    { type: 'user', turn, text: `question ${turn + 1}` },
    { type: 'llm', turn, text, usage: {}, latencyMs: 5, cost: 0 },
  ]);
  return {
    text: replies.at(-1) ?? '',
    toolCalls: [],
    latencyMs: 5 * replies.length,
    usage: {},
    cost: 0,
    trajectory: { steps, termination, messages: [] },
  };
}

async function run(written: unknown, output: CheckOutput) {
  const n = normalizeCheck(written);
  if (!n.ok) throw new Error(n.problem);
  return compileCheck(n.spec, { where })(output, testCase, ctx);
}

function compileError(written: unknown): string {
  const n = normalizeCheck(written);
  if (!n.ok) return n.problem;
  try {
    compileCheck(n.spec, { where });
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected a compile error');
}

describe('turn-count', () => {
  it('counts assistant replies: exact, min, max', async () => {
    const out = conversation(['a', 'b', 'c']);
    expect(await run({ 'turn-count': 3 }, out)).toMatchObject({ pass: true, reason: '3 assistant turns' });
    expect(await run({ 'turn-count': 2 }, out)).toMatchObject({
      pass: false,
      reason: '3 assistant turns, expected 2',
    });
    expect(await run({ 'turn-count': { min: 4 } }, out)).toMatchObject({ pass: false });
    expect(await run({ 'turn-count': { min: 1, max: 3 } }, out)).toMatchObject({ pass: true });
    // A single reply (no trajectory) is one turn.
    expect(await run({ 'turn-count': 1 }, { ...out, trajectory: undefined })).toMatchObject({ pass: true });
  });

  it('a failed step is not a reply; of several steps in a turn only the last counts', async () => {
    const out = conversation(['a', 'b']);
    out.trajectory?.steps.push({ type: 'llm', turn: 2, error: 'timeout' });
    out.trajectory?.steps.splice(1, 0, { type: 'llm', turn: 0, text: 'thinking' });
    expect(await run({ 'turn-count': 2 }, out)).toMatchObject({ pass: true });
  });

  it('rejects a spec without bounds or with min > max', () => {
    expect(compileError('turn-count')).toMatch(
      /cases\[0\]\.checks\[0\]\.max: missing for check 'turn-count'/,
    );
    expect(compileError({ 'turn-count': { min: 3, max: 2 } })).toMatch(/min \(3\) is greater than max \(2\)/);
    expect(compileError({ type: 'turn-count', value: 2, max: 3 })).toMatch(/value cannot be combined/);
  });
});

describe('never', () => {
  it('fails naming the first turn that matches, and counts the others', async () => {
    const out = conversation(['Hello', 'Sorry, no', 'sorry again']);
    const v = await run({ never: { pattern: 'sorry', flags: 'i' } }, out);
    expect(v).toMatchObject({ pass: false, details: { turns: [1, 2] } });
    expect(v.reason).toBe("turn 2 matches /sorry/i: 'Sorry' (and 1 more turn)");
    expect(await run({ never: 'refund' }, out)).toMatchObject({ pass: true });
  });

  it('validates the pattern like regex does', () => {
    expect(compileError({ never: '(oops' })).toMatch(/checks\[0\]\.pattern: invalid regular expression/);
    expect(compileError({ type: 'never', pattern: 'a', flags: 'q' })).toMatch(/invalid flags 'q'/);
  });
});

describe('all-turns', () => {
  it('applies a nested check to every reply; the score is the share that pass', async () => {
    const out = conversation(['Order 1 shipped', 'no idea', 'Order 2 shipped']);
    const v = await run({ 'all-turns': { check: { contains: 'Order' } } }, out);
    expect(v.pass).toBe(false);
    expect(v.score).toBeCloseTo(2 / 3, 12);
    expect(v.reason).toMatch(/^1 of 3 turns failed; turn 2: /);
    expect(await run({ 'all-turns': { type: 'length', max: 20 } }, out)).toMatchObject({
      pass: true,
      score: 1,
      reason: 'all 3 turns passed',
    });
    // A bare type name as the nested check.
    expect(await run({ 'all-turns': 'not-refused' }, out)).toMatchObject({ pass: true });
  });

  it('reports a bad nested check at its own field', () => {
    expect(compileError({ type: 'all-turns' })).toMatch(/checks\[0\]\.check: missing for check 'all-turns'/);
    expect(compileError({ 'all-turns': { check: { regex: '(' } } })).toMatch(
      /cases\[0\]\.checks\[0\]\.check\.pattern: invalid regular expression/,
    );
  });
});

describe('goal-reached', () => {
  it('passes only when the simulated user stopped the conversation', async () => {
    expect(await run('goal-reached', conversation(['ok'], 'user-stop'))).toMatchObject({ pass: true });
    expect(await run('goal-reached', conversation(['ok'], 'max-turns'))).toMatchObject({
      pass: false,
      reason: "the conversation ended with max-turns, not the simulated user's stop marker",
    });
    expect(await run({ type: 'goal-reached', not: true }, conversation(['ok'], 'max-turns'))).toMatchObject({
      pass: true,
    });
    const single = { ...conversation(['ok']), trajectory: undefined };
    expect(await run('goal-reached', single)).toMatchObject({
      pass: false,
      reason: 'not a conversation: no trajectory',
    });
  });
});
