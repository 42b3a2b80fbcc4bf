import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ResultRecord } from '../../src/core/types.ts';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { runCli, scratchProject, writeFiles } from '../cli/cli-harness.ts';

/**
 * `assay eval` on a project with a scripted multi-turn case and simulated-user conversations, through the
 * built CLI: per-turn checks, terminations, repeats and pass^k, the stored trajectories, the cache.
 */

const PROJECT: Record<string, string> = {
  'assay.yaml': `prompts: [support.prompt.md]
suites: [conversations.yaml]
models:
  - id: fake:bot
    script: bot.yaml
  - id: fake:customer
    script: customer.yaml
`,
  'support.prompt.md': `---
variables:
  message: string
---
# system
You are the support bot of Acme.

# user
{{ message }}
`,
  // "Thanks" is answered rudely once: one repeat of the scripted case fails at turn 3, the other passes.
  'bot.yaml': `rules:
  - contains: refund
    reply: "Sure. What is your order number?"
  - match: "^It is \\\\d+"
    reply: "Done: your order has been refunded."
  - contains: Thanks
    times: 1
    reply: "Whatever."
  - contains: Thanks
    reply: "You're welcome!"
default: "Sorry, I did not get that."
`,
  'customer.yaml': `rules:
  - contains: order number
    reply: "It is 1234"
  - contains: refunded
    reply: "Great, thanks! <<GOAL_REACHED>>"
default: "Can you say that again?"
`,
  'conversations.yaml': `cases:
  - id: scripted-refund
    vars: { message: "I want a refund", order: 1234 }
    turns:
      - checks: [{ contains: order number }]
      - user: "It is {{ order }}"
        checks: [{ contains: refunded }]
      - user: "Thanks"
        checks: [{ icontains: welcome }]
    checks:
      - turn-count: 3
      - never: { pattern: sorry, flags: i }
  - id: simulated-refund
    vars: { message: "Hi, I need a refund" }
    simulatedUser:
      model: fake:customer
      persona: A customer whose parcel arrived broken
      goal: Get order 1234 refunded
      maxTurns: 4
    everyTurn: [{ not-contains: Sorry }]
    checks: [goal-reached]
  - id: simulated-stuck
    vars: { message: "Hello there" }
    simulatedUser: { model: fake:customer, goal: Get a refund, maxTurns: 2 }
    checks: [goal-reached]
`,
};

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

function project(overrides: Record<string, string> = {}): string {
  const { dir, cleanup } = scratchProject(false);
  cleanups.push(cleanup);
  writeFiles(dir, { ...PROJECT, ...overrides });
  return dir;
}

async function storedResults(dir: string, runId: string): Promise<ResultRecord[]> {
  const store = openSqliteStore(join(dir, '.assay/assay.db'));
  try {
    const out: ResultRecord[] = [];
    for await (const r of store.iterateResults(runId)) out.push(r);
    return out.sort((a, b) => a.caseId.localeCompare(b.caseId) || a.repeat - b.repeat);
  } finally {
    await store.close();
  }
}

describe('assay eval: conversations', () => {
  it('runs a scripted and two simulated conversations with per-turn checks, stores their trajectories, reports pass^k', async () => {
    const dir = project();
    const r = await runCli(['eval', '-C', dir, '--model', 'fake:bot', '-r', '2', '--json']);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout).reports[0];
    const group = report.summary.groups[0];
    expect(group.modelId).toBe('fake:bot'); // the simulated user is opened, not evaluated
    expect([group.total, group.passed, group.failed, group.errors]).toEqual([6, 3, 3, 0]);
    // Per case: scripted 1 of 2, simulated 2 of 2, stuck 0 of 2.
    expect(group.repeats.passAt1.estimate).toBeCloseTo(0.5, 12);
    expect(group.repeats.passHatK[1]).toMatchObject({ k: 2 });
    expect(group.repeats.passHatK[1].estimate).toBeCloseTo(1 / 3, 12);
    expect(group.repeats.passAtK[1].estimate).toBeCloseTo(2 / 3, 12);
    expect(JSON.stringify(group.repeats.flaky)).toContain('scripted-refund');

    const results = await storedResults(dir, report.run.id);
    const scripted = results.filter((x) => x.caseId === 'scripted-refund');
    const failed = scripted.find((x) => x.status === 'fail') as ResultRecord;
    const passed = scripted.find((x) => x.status === 'pass') as ResultRecord;
    expect(failed.output).toBe('Whatever.');
    expect(failed.checks.filter((c) => !c.pass).map((c) => [c.name, c.turn])).toEqual([
      ['turn 3: icontains', 2],
    ]);
    expect(passed.checks.map((c) => c.name ?? c.type)).toEqual([
      'turn 1: contains',
      'turn 2: contains',
      'turn 3: icontains',
      'turn-count',
      'never',
    ]);
    expect(passed.trajectory?.termination).toBe('turns-done');
    expect(passed.trajectory?.messages.filter((m) => m.role === 'user').map((m) => m.content)).toEqual([
      'I want a refund',
      'It is 1234',
      'Thanks',
    ]);

    for (const s of results.filter((x) => x.caseId === 'simulated-refund')) {
      expect(s.status).toBe('pass');
      expect(s.trajectory?.termination).toBe('user-stop');
      expect(s.trajectory?.steps.map((x) => x.type)).toEqual(['user', 'llm', 'user', 'llm', 'user']);
      expect(s.trajectory?.steps[2]?.text).toBe('It is 1234');
      expect(s.checks.filter((c) => c.turn !== undefined)).toHaveLength(2);
    }
    for (const s of results.filter((x) => x.caseId === 'simulated-stuck')) {
      expect(s.status).toBe('fail');
      expect(s.trajectory?.termination).toBe('max-turns');
      expect(s.trajectory?.steps.filter((x) => x.type === 'llm')).toHaveLength(2);
    }

    // A rerun is served from the cache, conversation by conversation, with the same verdicts.
    const again = await runCli(['eval', '-C', dir, '--model', 'fake:bot', '-r', '2', '--json']);
    expect(again.code).toBe(0);
    const g2 = JSON.parse(again.stdout).reports[0].summary.groups[0];
    expect(g2.cached).toBe(6);
    expect(g2.passed).toBe(3);
  });

  it('a simulated user whose model is not configured stops the command before any call (exit 2)', async () => {
    const dir = project({
      'conversations.yaml': `cases:
  - id: simulated
    vars: { message: hi }
    simulatedUser: { model: openai:gpt-4o-mini, goal: Get a refund }
`,
    });
    const r = await runCli(['eval', '-C', dir, '--model', 'fake:bot']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      "conversations.yaml:2: cases[0].simulatedUser.model: the simulated user's model openai:gpt-4o-mini is not configured",
    );
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
