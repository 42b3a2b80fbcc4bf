import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { agentCheckRefs } from '../../src/agents/agent-check-refs.ts';
import type { ResultRecord } from '../../src/core/types.ts';
import { runCli, scratchProject, writeFiles } from '../cli/cli-harness.ts';

describe('agentCheckRefs', () => {
  it('finds end-state functions and custom argument matchers, nested in combinators', () => {
    expect(
      agentCheckRefs([
        { type: 'end-state', fn: 'file:a.ts#f' },
        { type: 'all', checks: [{ type: 'tool-called', tool: 'x', args: 'file:b.ts#g', match: 'custom' }] },
        { type: 'tool-called', tool: 'x', args: { id: 1 } },
        { type: 'end-state', expect: {} },
      ]),
    ).toEqual(['file:a.ts#f', 'file:b.ts#g']);
  });
});

describe('project functions in agent checks (assay eval)', () => {
  const p = scratchProject(false);
  afterAll(() => p.cleanup());

  it('imports end-state functions and custom argument matchers with the project, and runs them', async () => {
    writeFiles(p.dir, {
      'assay.yaml':
        'prompts: [bot.prompt.md]\nsuites: [suite.yaml]\nmodels:\n  - { id: fake:bot, script: bot.yaml }\n',
      'bot.prompt.md': `---
variables: { message: string }
tools:
  - name: refund
    parameters: { type: object, properties: { amount: { type: number } }, required: [amount] }
---
{{ message }}
`,
      'bot.yaml': `rules:
  - { contains: small, step: 0, toolCalls: [{ name: refund, arguments: { amount: 20 } }] }
  - { contains: big, step: 0, toolCalls: [{ name: refund, arguments: { amount: 900 } }] }
  - { afterTool: refund, reply: done }
`,
      'env.ts': `export function make() {
  const refunds: number[] = [];
  return { tools: { refund: (a: { amount: number }) => { refunds.push(a.amount); return 'ok'; } }, state: () => ({ refunds }) };
}
`,
      'checks.ts': `export const underLimit = (args: { amount: number }) => args.amount < 500;
export function refundedOnce(state: { refunds: number[] }) {
  return { pass: state.refunds.length === 1, reason: \`\${state.refunds.length} refunds\` };
}
`,
      'suite.yaml': `defaults:
  agent: { tools: "file:env.ts#make" }
  checks:
    - end-state: { fn: "file:checks.ts#refundedOnce" }
    - tool-called: { tool: refund, args: "file:checks.ts#underLimit", match: custom }
cases:
  - { id: small, vars: { message: a small refund } }
  - { id: big, vars: { message: a big refund } }
`,
    });
    const r = await runCli(['eval', '-C', p.dir, '-o', 'out.jsonl']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const rows = readFileSync(join(p.dir, 'out.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as ResultRecord);
    const byCase = Object.fromEntries(rows.map((x) => [x.caseId, x]));
    expect(byCase.small?.status).toBe('pass');
    expect(byCase.small?.checks[0]?.reason).toBe('1 refunds');
    expect(byCase.big?.status).toBe('fail');
    expect(byCase.big?.checks.map((c) => c.pass)).toEqual([true, false]);
  }, 60_000);
});
