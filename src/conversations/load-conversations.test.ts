import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadProject } from '../project/load-project.ts';

/** Conversation cases that cannot run are load-time errors naming the file, line and field. */

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function load(
  suite: string,
  prompt = '# system\nBe brief.\n',
): Promise<Awaited<ReturnType<typeof loadProject>>> {
  const dir = mkdtempSync(join(tmpdir(), 'assay-conv-load-'));
  dirs.push(dir);
  const files: Record<string, string> = {
    'assay.yaml': 'prompts: [p.prompt.md]\nsuites: [s.yaml]\nmodels: [fake:bot, fake:user]\n',
    'p.prompt.md': prompt,
    's.yaml': suite,
  };
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return loadProject({ cwd: dir });
}

async function loadError(suite: string, prompt?: string): Promise<string> {
  try {
    await load(suite, prompt);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected a load error');
}

describe('loading conversation cases', () => {
  it('loads turns, everyTurn and a simulated user merged with the suite defaults', async () => {
    const project = await load(`
defaults:
  simulatedUser: { model: fake:user, maxTurns: 3 }
cases:
  - id: a
    turns:
      - user: Hi
        checks: [{ contains: hello }]
      - user: Bye
    everyTurn: [is-json]
  - id: b
    simulatedUser: { goal: Get a refund, persona: A busy parent }
`);
    const [a, b] = project.suites[0]?.cases ?? [];
    expect(a?.turns).toEqual([
      { user: 'Hi', checks: [{ type: 'contains', value: 'hello' }] },
      { user: 'Bye', checks: [] },
    ]);
    expect(a?.simulatedUser).toBeUndefined(); // a scripted case takes no simulated user from the defaults
    expect(a?.everyTurn).toEqual([{ type: 'is-json' }]);
    expect(b?.simulatedUser).toEqual({
      model: 'fake:user',
      goal: 'Get a refund',
      persona: 'A busy parent',
      maxTurns: 3,
      stop: '<<GOAL_REACHED>>',
    });
    expect(project.checkModels).toContain('fake:user');
  });

  it('a later turn without user', async () => {
    const m = await loadError(`
cases:
  - id: a
    turns:
      - checks: [is-json]
      - checks: [is-json]
`);
    expect(m).toMatch(
      /^s\.yaml:6:\d+: cases\[0\]\.turns\[1\]\.user: turn 2 has no user message; expected a 'user:' text/m,
    );
  });

  it('a per-turn check that cannot work, at its own line and field', async () => {
    const m = await loadError(`
cases:
  - id: a
    turns:
      - user: Hi
        checks:
          - contains: ok
          - regex: "(unclosed"
`);
    expect(m).toMatch(
      /^s\.yaml:8:\d+: cases\[0\]\.turns\[0\]\.checks\[1\]\.pattern: invalid regular expression/m,
    );
  });

  it('turns together with a simulated user', async () => {
    const m = await loadError(`
cases:
  - id: a
    turns: [{ user: Hi }]
    simulatedUser: { model: fake:user, goal: g }
`);
    expect(m).toMatch(/^s\.yaml:5:\d+: cases\[0\]\.simulatedUser: a case takes either turns/m);
  });

  it('a simulated user without goal, or with a model that is not configured', async () => {
    expect(
      await loadError(`
cases:
  - id: a
    simulatedUser: { model: fake:user }
`),
    ).toMatch(/^s\.yaml:4:\d+: cases\[0\]\.simulatedUser: the simulated user has no goal/m);
    expect(
      await loadError(`
cases:
  - id: a
    simulatedUser: { model: openai:gpt-4o, goal: g }
`),
    ).toMatch(
      /^s\.yaml:3: cases\[0\]\.simulatedUser\.model: the simulated user's model openai:gpt-4o is not configured; expected a model listed in models: in assay\.yaml\. add '- id: openai:gpt-4o'/m,
    );
  });

  it('unknown keys and bad values in the conversation fields', async () => {
    expect(
      await loadError(`
cases:
  - id: a
    simulatedUser: { model: fake:user, goal: g, maxTurn: 3 }
`),
    ).toMatch(/cases\[0\]\.simulatedUser.*maxTurn/);
    expect(
      await loadError(`
cases:
  - id: a
    simulatedUser: { model: fake:user, goal: g, maxTurns: 0 }
`),
    ).toMatch(/cases\[0\]\.simulatedUser\.maxTurns/);
    expect(
      await loadError(`
cases:
  - id: a
    turns: [{ usr: Hi }]
`),
    ).toMatch(/cases\[0\]\.turns\[0\].*usr/);
  });

  it('everyTurn outside a conversation', async () => {
    const m = await loadError(`
cases:
  - id: a
    everyTurn: [is-json]
`);
    expect(m).toMatch(/^s\.yaml:4:\d+: cases\[0\]\.everyTurn: everyTurn applies to conversations only/m);
  });

  it('turn text that does not render with the case vars', async () => {
    const m = await loadError(`
cases:
  - id: a
    vars: { order: 12 }
    turns:
      - user: "Order {{ ordr }}"
`);
    expect(m).toMatch(/cases\[0\]\.turns\[0\]\.user: cannot render for case 'a'.*ordr/);
  });

  it('JSONL suites: conversations load, and errors name the line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'assay-conv-load-'));
    dirs.push(dir);
    writeFileSync(join(dir, 'assay.yaml'), 'prompts: [p.prompt.md]\nsuites: [s.jsonl]\nmodels: [fake:bot]\n');
    writeFileSync(join(dir, 'p.prompt.md'), '# system\nBe brief.\n');
    const ok = JSON.stringify({ id: 'a', turns: [{ user: 'Hi', checks: ['is-json'] }, { user: 'Bye' }] });
    writeFileSync(join(dir, 's.jsonl'), `${ok}\n`);
    expect((await loadProject({ cwd: dir })).suites[0]?.cases[0]?.turns).toHaveLength(2);
    writeFileSync(
      join(dir, 's.jsonl'),
      `${ok}\n${JSON.stringify({ id: 'b', turns: [{ user: 'Hi' }, {}] })}\n`,
    );
    await expect(loadProject({ cwd: dir })).rejects.toThrow(
      /^s\.jsonl:2: turns\[1\]\.user: turn 2 has no user message/,
    );
  });

  it('a first user message when the prompt already ends in one', async () => {
    const m = await loadError(
      `
cases:
  - id: a
    vars: { q: hi }
    turns:
      - user: Hello
`,
      '---\nvariables: { q: string }\n---\n{{ q }}\n',
    );
    expect(m).toMatch(
      /cases\[0\]\.turns\[0\]\.user: prompt 'p' \(p\.prompt\.md\) already ends in a user message/,
    );
    expect(m).toContain("drop 'user:' from the first turn");
  });
});
