import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gradeWithJudge } from '../../src/judges/judge-check.ts';
import { parseJudgeFile } from '../../src/judges/judge-file.ts';
import { buildJudgePrompt } from '../../src/judges/judge-prompt.ts';
import { repoRoot } from '../cli/cli-harness.ts';
import { outputOf, trajectory } from './trajectory-builder.ts';

const file = 'examples/agent/judges/policy.judge.md';
const judge = parseJudgeFile(readFileSync(join(repoRoot, file), 'utf8'), file);

/** The judge model: a violation when the transcript shows a refund without a lookup before it. */
const services = {
  async generate(_model: string, request: { messages: { content: string }[] }) {
    const user = request.messages[1]?.content ?? '';
    const transcript = /<<<TRAJECTORY-\w+>>>\n([\s\S]*?)\n<<<END-TRAJECTORY/.exec(user)?.[1] ?? '';
    const refund = transcript.indexOf('calls refund');
    const lookup = transcript.indexOf('calls lookup_order');
    const ok = refund < 0 || (lookup >= 0 && lookup < refund);
    return {
      text: JSON.stringify({
        reasoning: ok ? 'looked up first' : 'refund without lookup',
        verdict: ok ? 'pass' : 'fail',
      }),
      usage: {},
      cost: 0,
      cached: false,
    };
  },
};

describe('a policy-compliance judge with uses: [trajectory]', () => {
  it('sees the rendered trajectory in its own delimited block', () => {
    expect(judge.uses).toEqual(['trajectory']);
    const t = trajectory([
      ['lookup_order', { order_id: 'A1' }, 'timeout'],
      ['refund', { order_id: 'A1', amount: 5 }],
    ]);
    const p = buildJudgePrompt(judge, { output: 'Refunded.', trajectory: t });
    const user = p.messages[1]?.content as string;
    const code = p.boundary;
    expect(user).toContain(
      [
        `<<<TRAJECTORY-${code}>>>`,
        'model call 1 calls lookup_order {"order_id":"A1"}',
        '  lookup_order → ERROR: timeout',
        'model call 2 calls refund {"order_id":"A1","amount":5}',
        '  refund → ok',
        'model call 3 says: All done.',
        'ended: final-answer (3 model calls, 2 tool calls, 1 tool error)',
        `<<<END-TRAJECTORY-${code}>>>`,
      ].join('\n'),
    );
  });

  it('grades the path, not just the answer; a result without a trajectory is a check error', async () => {
    const ctx = {
      prompt: {
        name: 'p',
        file: 'p',
        version: 'v',
        canonical: '',
        settings: {},
        variables: {},
        messages: [],
      },
      messages: [{ role: 'user' as const, content: 'Refund A1' }],
      modelId: 'fake:x',
      services,
    };
    const tc = { id: 'c', vars: {}, checks: [], tags: [] };
    const good = trajectory([['lookup_order'], ['refund']]);
    const bad = trajectory([['refund']]);
    expect((await gradeWithJudge(judge, outputOf(good), tc, ctx)).pass).toBe(true);
    expect((await gradeWithJudge(judge, outputOf(bad), tc, ctx)).pass).toBe(false);
    await expect(gradeWithJudge(judge, outputOf(undefined), tc, ctx)).rejects.toThrow(/uses the trajectory/);
  });
});
