import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { environmentOf } from '../../src/agents/tool-environment.ts';
import { ConfigError, ConfigErrors } from '../../src/core/errors.ts';
import { parseSuite } from '../../src/core/suite/parse-suite.ts';
import { loadProject } from '../../src/project/load-project.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const PROMPT = `---
variables: { message: string }
tools:
  - name: lookup_order
    parameters: { type: object, properties: { id: { type: string } } }
  - name: refund
---
Help with {{ message }}
`;

function project(suite: string, extra: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'assay-agent-'));
  dirs.push(dir);
  const files: Record<string, string> = {
    'assay.yaml': 'prompts: [bot.prompt.md]\nsuites: [suite.yaml]\nmodels: [fake:bot]\n',
    'bot.prompt.md': PROMPT,
    'suite.yaml': suite,
    ...extra,
  };
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

async function errorsOf(p: Promise<unknown>): Promise<string[]> {
  try {
    await p;
  } catch (e) {
    if (e instanceof ConfigErrors) return e.errors.map((x) => x.message);
    if (e instanceof ConfigError) return [e.message];
    throw e;
  }
  throw new Error('expected a ConfigError');
}

describe('agent blocks in suites', () => {
  it('merge suite defaults into each case: limits replaced, fixtures and failFirst merged per tool', () => {
    const { suite } = parseSuite(
      `defaults:
  agent:
    maxSteps: 4
    tools:
      lookup_order: [{ args: { id: A1 }, result: { total: 5 } }, { default: none }]
      refund: [{ error: declined }]
cases:
  - id: a
    vars: { message: x }
  - id: b
    vars: { message: y }
    agent:
      maxToolErrors: 1
      fixtures: { refund: [{ args: { id: A1 }, match: exact, result: ok }] }
      failFirst: { lookup_order: 2 }
  - id: plain
    vars: { message: z }
`,
      'suite.yaml',
    );
    expect(suite.cases[0]?.agent).toEqual({
      maxSteps: 4,
      maxToolErrors: 3,
      fixtures: {
        lookup_order: [{ args: { id: 'A1' }, result: { total: 5 } }, { result: 'none' }],
        refund: [{ error: 'declined' }],
      },
    });
    expect(suite.cases[1]?.agent).toEqual({
      maxSteps: 4,
      maxToolErrors: 1,
      fixtures: {
        lookup_order: [{ args: { id: 'A1' }, result: { total: 5 } }, { result: 'none' }],
        refund: [{ args: { id: 'A1' }, match: 'exact', result: 'ok' }],
      },
      failFirst: { lookup_order: { times: 2, error: 'temporarily unavailable, try again' } },
    });
    // Every case of a suite with defaults.agent is an agent case.
    expect(suite.cases[2]?.agent?.maxSteps).toBe(4);
  });

  it('reports bad blocks with file, line and field', () => {
    const bad = () =>
      parseSuite(
        `defaults:
  agent:
    maxSteps: 0
    tools: tools/env.ts
cases:
  - id: a
    agent:
      fixtures:
        refund: [{ default: 1, args: {} }]
      failFirst: { refund: -1 }
      maxStep: 3
`,
        'suite.yaml',
      );
    let messages: string[] = [];
    try {
      bad();
    } catch (e) {
      messages = (e instanceof ConfigErrors ? e.errors : [e as ConfigError]).map((x) => x.message);
    }
    const all = messages.join('\n');
    expect(all).toMatch(/suite\.yaml:3:\d+: defaults\.agent\.maxSteps/);
    expect(all).toMatch(/suite\.yaml:4:\d+: defaults\.agent\.tools.*file:<path>#<export>/);
    expect(() =>
      parseSuite(
        'cases:\n  - id: a\n    agent: { fixtures: { refund: [{ result: 1, error: no }] } }\n',
        's.yaml',
      ),
    ).toThrow(
      /s\.yaml:3:\d+: cases\[0\]\.agent\.fixtures\.refund\[0\].*one of result, error, default \(found result, error\)/,
    );
    expect(all).toMatch(/cases\[0\]\.agent\.failFirst\.refund/);
    expect(all).toMatch(/cases\[0\]\.agent.*maxStep.*did you mean 'maxSteps'/);
  });

  it('loadProject: fixture tool names must be declared by a prompt; environments must load', async () => {
    const unknown = await errorsOf(
      loadProject({
        cwd: project(`cases:
  - id: a
    vars: { message: x }
    agent: { fixtures: { lookup_ordr: [{ default: 1 }] } }
`),
      }),
    );
    expect(unknown).toEqual([
      expect.stringMatching(
        /suite\.yaml:2: cases\[0\]\.agent\.tools: tool 'lookup_ordr' is not declared by any prompt of suite 'suite'.*did you mean 'lookup_order'\?/,
      ),
    ]);

    const missing = await errorsOf(
      loadProject({
        cwd: project(
          'defaults: { agent: { tools: "file:tools/env.ts#make" } }\ncases:\n  - { id: a, vars: { message: x } }\n',
        ),
      }),
    );
    expect(missing[0]).toMatch(/agent environment file 'tools\/env\.ts' not found/);

    const noExport = await errorsOf(
      loadProject({
        cwd: project(
          'defaults: { agent: { tools: "file:env.ts#make" } }\ncases:\n  - { id: a, vars: { message: x } }\n',
          {
            'env.ts': 'export function other() { return { tools: {} }; }\n',
          },
        ),
      }),
    );
    expect(noExport[0]).toMatch(/'env\.ts' has no export 'make'.*its function exports: other/);

    const outside = await errorsOf(
      loadProject({
        cwd: project(
          'defaults: { agent: { tools: "file:../env.ts#make" } }\ncases:\n  - { id: a, vars: { message: x } }\n',
        ),
      }),
    );
    expect(outside[0]).toMatch(/is outside the project/);
  });

  it('loadProject binds the environment to every agent case', async () => {
    const p = await loadProject({
      cwd: project(
        'defaults: { agent: { tools: "file:env.ts#make" } }\ncases:\n  - { id: a, vars: { message: x } }\n',
        {
          'env.ts': 'export function make() { return { tools: { refund: () => "ok" } }; }\n',
        },
      ),
    });
    const spec = p.suites[0]?.cases[0]?.agent;
    expect(spec?.environment).toBe('file:env.ts#make');
    expect(typeof environmentOf(spec as NonNullable<typeof spec>)).toBe('function');
  });
});
