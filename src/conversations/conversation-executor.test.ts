import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Project } from '../core/config/project.ts';
import type { ResultRecord } from '../core/types.ts';
import { runEval } from '../engine/run-engine.ts';
import type { RunOptions } from '../engine/run-options.ts';
import { createModelRegistry } from '../models/model-registry.ts';
import { loadProject } from '../project/load-project.ts';
import { openSqliteStore, type SqliteStore } from '../store/sqlite/sqlite-store.ts';

/**
 * Conversations through the real engine, loader, checks and SQLite store; only the two LLMs are scripted:
 * `fake:bot` (the target) and `fake:user` (the simulated user, whose "last user message" is the bot's
 * latest reply, roles being swapped).
 */

const BOT = `
rules:
  - contains: refund
    reply: "Sure. What is your order number?"
  - match: "^It is \\\\d+"
    reply: "Done: your order has been refunded."
  - contains: Thanks
    reply: "You're welcome!"
default: "Sorry, I did not get that."
`;

const USER = `
rules:
  - contains: order number
    reply: "It is 1234"
  - contains: refunded
    reply: "Great, thanks! <<GOAL_REACHED>>"
default: "Can you say that again?"
`;

const PROMPT = `---
variables:
  message: string
---
# system
You are the support bot of Acme.

# user
{{ message }}
`;

const SUITE = `
cases:
  - id: scripted
    vars: { message: "I want a refund", order: 1234 }
    turns:
      - checks: [{ contains: order number }]
      - user: "It is {{ order }}"
        checks: [{ contains: refunded }]
      - user: "Thanks"
        checks: [{ contains: zebra }]
    checks:
      - turn-count: 3
      - never: { pattern: sorry, flags: i }
  - id: simulated
    vars: { message: "Hi, I need a refund" }
    simulatedUser:
      model: fake:user
      persona: A customer whose parcel arrived broken
      goal: Get order 1234 refunded
      maxTurns: 4
    everyTurn: [{ not-contains: Sorry }]
    checks: [goal-reached]
  - id: stuck
    vars: { message: "Hello there" }
    simulatedUser: { model: fake:user, goal: Get a refund, maxTurns: 3 }
    checks: [goal-reached]
`;

interface Fixture {
  dir: string;
  project: Project;
  store: SqliteStore;
  calls: Record<string, number>;
  run(o?: Partial<RunOptions>): Promise<ResultRecord[]>;
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function fixture(files: Record<string, string> = {}): Promise<Fixture> {
  const dir = mkdtempSync(join(tmpdir(), 'assay-conv-'));
  const all: Record<string, string> = {
    'assay.yaml': [
      'prompts: [support.prompt.md]',
      'suites: [conversations.yaml]',
      'models:',
      '  - id: fake:bot',
      '    script: bot.yaml',
      '  - id: fake:user',
      '    script: user.yaml',
    ].join('\n'),
    'support.prompt.md': PROMPT,
    'conversations.yaml': SUITE,
    'bot.yaml': BOT,
    'user.yaml': USER,
    ...files,
  };
  for (const [name, text] of Object.entries(all)) writeFileSync(join(dir, name), text);
  const store = openSqliteStore(join(dir, 'assay.db'));
  cleanups.push(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const project = await loadProject({ cwd: dir });
  const calls: Record<string, number> = {};
  const f: Fixture = {
    dir,
    project,
    store,
    calls,
    async run(o = {}) {
      const registry = createModelRegistry(project.models, { root: dir, env: {} });
      const outcome = await runEval({
        project,
        store,
        models: ['fake:bot'],
        checkModels: project.models.filter((m) => m.id === 'fake:user'),
        resolveModel: (id) => {
          const port = registry.resolve(id);
          return {
            ...port,
            generate: (req) => {
              calls[id] = (calls[id] ?? 0) + 1;
              return port.generate(req);
            },
          };
        },
        ...o,
      });
      const out: ResultRecord[] = [];
      for await (const r of store.iterateResults(outcome.run.id)) out.push(r);
      return out.sort((a, b) => a.caseId.localeCompare(b.caseId) || a.repeat - b.repeat);
    },
  };
  return f;
}

const byCase = (results: ResultRecord[], id: string) => results.find((r) => r.caseId === id) as ResultRecord;

describe('conversation executor: scripted turns', () => {
  it('sends the turns one by one, checks each reply at its turn, and the case checks see the whole conversation', async () => {
    const f = await fixture();
    const r = byCase(await f.run({ filter: { caseIds: ['scripted'] } }), 'scripted');
    expect(r.status).toBe('fail');
    expect(r.output).toBe("You're welcome!");
    const perTurn = r.checks.filter((c) => c.turn !== undefined);
    expect(perTurn.map((c) => [c.name, c.turn, c.pass])).toEqual([
      ['turn 1: contains', 0, true],
      ['turn 2: contains', 1, true],
      ['turn 3: contains', 2, false],
    ]);
    expect(perTurn[2]?.reason).toContain('zebra');
    // The whole-conversation checks: three replies, none says sorry.
    const whole = r.checks.filter((c) => c.turn === undefined);
    expect(whole.map((c) => [c.type, c.pass])).toEqual([
      ['turn-count', true],
      ['never', true],
    ]);
    expect(r.trajectory?.termination).toBe('turns-done');
    expect(r.trajectory?.steps.map((s) => `${s.type}${s.turn}:${s.text}`)).toEqual([
      'user0:I want a refund',
      'llm0:Sure. What is your order number?',
      'user1:It is 1234', // rendered with the case's vars
      'llm1:Done: your order has been refunded.',
      'user2:Thanks',
      "llm2:You're welcome!",
    ]);
    expect(r.trajectory?.messages.map((m) => m.role)).toEqual([
      'system',
      'user',
      'assistant',
      'user',
      'assistant',
      'user',
      'assistant',
    ]);
    expect(f.calls['fake:bot']).toBe(3);
    // Usage summed over the turns.
    const llm = r.trajectory?.steps.filter((s) => s.type === 'llm') ?? [];
    expect(r.usage.outputTokens).toBe(llm.reduce((s, x) => s + (x.usage?.outputTokens ?? 0), 0));
  });

  it('a failing whole-conversation check fails the case even when every turn passes', async () => {
    const f = await fixture({
      'conversations.yaml': `
cases:
  - id: two
    vars: { message: "refund please" }
    turns:
      - checks: [{ contains: order }]
      - user: "no idea"
        checks: [{ contains: Sorry }]
    checks: [{ never: { pattern: sorry, flags: i } }]
`,
    });
    const r = byCase(await f.run(), 'two');
    expect(r.checks.filter((c) => c.turn !== undefined).every((c) => c.pass)).toBe(true);
    expect(r.status).toBe('fail');
    expect(r.checks.at(-1)?.reason).toMatch(/^turn 2 matches/);
  });
});

describe('conversation executor: simulated user', () => {
  it('ends when the simulated user writes its stop marker, which is never sent to the target', async () => {
    const f = await fixture();
    const r = byCase(await f.run(), 'simulated');
    expect(r.status).toBe('pass');
    expect(r.trajectory?.termination).toBe('user-stop');
    expect(r.trajectory?.steps.map((s) => `${s.type}${s.turn}:${s.text}`)).toEqual([
      'user0:Hi, I need a refund',
      'llm0:Sure. What is your order number?',
      'user1:It is 1234',
      'llm1:Done: your order has been refunded.',
      'user2:Great, thanks! <<GOAL_REACHED>>',
    ]);
    expect(r.trajectory?.messages.some((m) => m.content.includes('GOAL_REACHED'))).toBe(false);
    expect(r.trajectory?.messages.at(-1)).toEqual({
      role: 'assistant',
      content: 'Done: your order has been refunded.',
    });
    expect(r.checks.map((c) => [c.name ?? c.type, c.pass])).toEqual([
      ['turn 1: not-contains', true],
      ['turn 2: not-contains', true],
      ['goal-reached', true],
    ]);
  });

  it('stops after maxTurns replies when the goal is not reached (max-turns), and goal-reached fails', async () => {
    const f = await fixture();
    const r = byCase(await f.run(), 'stuck');
    expect(r.trajectory?.termination).toBe('max-turns');
    expect(r.trajectory?.steps.filter((s) => s.type === 'llm')).toHaveLength(3);
    expect(r.status).toBe('fail');
    expect(r.checks[0]?.reason).toContain('max-turns');
  });

  it('the simulator sees its persona and goal, and the conversation with roles swapped', async () => {
    const seen: { role: string; content: string }[][] = [];
    const f = await fixture();
    const registry = createModelRegistry(f.project.models, { root: f.dir, env: {} });
    await f.run({
      filter: { caseIds: ['simulated'] },
      resolveModel: (id) => {
        const port = registry.resolve(id);
        if (id !== 'fake:user') return port;
        return {
          ...port,
          generate: (req) => {
            seen.push(req.messages.map((m) => ({ role: m.role, content: m.content })));
            return port.generate(req);
          },
        };
      },
    });
    const last = seen.at(-1) ?? [];
    expect(last[0]?.role).toBe('system');
    expect(last[0]?.content).toContain('A customer whose parcel arrived broken');
    expect(last[0]?.content).toContain('Get order 1234 refunded');
    expect(last[0]?.content).toContain('<<GOAL_REACHED>>');
    expect(last.slice(1).map((m) => `${m.role}:${m.content}`)).toEqual([
      'user:Write your first message to the assistant.',
      'assistant:Hi, I need a refund',
      'user:Sure. What is your order number?',
      'assistant:It is 1234',
      'user:Done: your order has been refunded.',
    ]);
    // The target's system prompt is not shown to the simulated user.
    expect(last.some((m) => m.content.includes('support bot of Acme'))).toBe(false);
  });

  it('writes the opening itself when the prompt has no user message, or uses firstMessage', async () => {
    const f = await fixture({
      'support.prompt.md': '# system\nYou are the support bot of Acme.\n',
      'conversations.yaml': `
cases:
  - id: opens
    simulatedUser: { model: fake:user, goal: Get a refund, maxTurns: 2 }
  - id: given
    vars: { item: parcel }
    simulatedUser: { model: fake:user, goal: Get a refund, maxTurns: 2, firstMessage: "My {{ item }} is broken, refund please" }
`,
      'user.yaml': `
rules:
  - contains: Write your first message
    reply: "Hello, I need a refund"
  - contains: order number
    reply: "It is 1234"
  - contains: refunded
    reply: "<<GOAL_REACHED>>"
`,
    });
    const results = await f.run();
    for (const id of ['opens', 'given']) {
      const r = byCase(results, id);
      expect(r.trajectory?.termination).toBe('user-stop');
    }
    expect(byCase(results, 'opens').trajectory?.steps[0]).toMatchObject({
      type: 'user',
      turn: 0,
      text: 'Hello, I need a refund',
    });
    expect(byCase(results, 'given').trajectory?.steps[0]?.text).toBe('My parcel is broken, refund please');
  });

  it('a transient simulator failure is retried; the conversation goes on', async () => {
    const f = await fixture({
      'user.yaml': `
rules:
  - contains: order number
    times: 2
    error: { kind: rate-limit, message: slow down, status: 429, retryAfterMs: 5 }
  - contains: order number
    reply: "It is 1234"
  - contains: refunded
    reply: "<<GOAL_REACHED>>"
`,
    });
    const r = byCase(await f.run({ filter: { caseIds: ['simulated'] } }), 'simulated');
    expect(r.status).toBe('pass');
    expect(r.trajectory?.termination).toBe('user-stop');
    expect(f.calls['fake:user']).toBe(4); // two 429s, then two answers
  });

  it('a failing simulator call is an error result that keeps the conversation so far', async () => {
    const f = await fixture({
      'user.yaml': `
rules:
  - contains: order number
    error: { kind: client, message: bad request }
`,
    });
    const r = byCase(await f.run({ filter: { caseIds: ['simulated'] } }), 'simulated');
    expect(r.status).toBe('error');
    expect(r.error?.kind).toBe('client');
    expect(r.error?.message).toContain('simulated user (fake:user)');
    expect(r.trajectory?.termination).toBe('error');
    expect(r.trajectory?.steps.map((s) => s.type)).toEqual(['user', 'llm', 'user']);
  });
});

describe('conversation executor: cache, repeats and statistics', () => {
  it('a rerun replays every turn and every simulated message from the cache: no new calls', async () => {
    const f = await fixture();
    const first = await f.run();
    const calls = { ...f.calls };
    expect(calls['fake:bot']).toBe(3 + 2 + 3);
    expect(calls['fake:user']).toBe(2 + 3);
    const again = await f.run();
    expect(f.calls).toEqual(calls);
    expect(again.every((r) => r.cached)).toBe(true);
    expect(again.map((r) => [r.caseId, r.status, r.trajectory?.termination])).toEqual(
      first.map((r) => [r.caseId, r.status, r.trajectory?.termination]),
    );
    expect(
      again.flatMap((r) => r.trajectory?.steps.filter((s) => s.type === 'llm') ?? []).every((s) => s.cached),
    ).toBe(true);
  });

  it('each repeat is one result per conversation, with its own trajectory', async () => {
    const f = await fixture();
    const results = await f.run({ repeats: 3 });
    expect(results).toHaveLength(9);
    for (const id of ['scripted', 'simulated', 'stuck']) {
      const rs = results.filter((r) => r.caseId === id);
      expect(rs.map((r) => r.repeat)).toEqual([0, 1, 2]);
      expect(rs.every((r) => r.trajectory !== undefined)).toBe(true);
    }
    expect(results.filter((r) => r.status === 'pass').map((r) => r.caseId)).toEqual([
      'simulated',
      'simulated',
      'simulated',
    ]);
  });
});
