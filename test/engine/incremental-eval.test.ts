import { afterEach, describe, expect, it } from 'vitest';
import { runCli, scratchProject, writeFiles } from '../cli/cli-harness.ts';

/** Incremental evaluation: after one prompt is edited, only its calls are sent, and the summary says so. */

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

const N = 20;

function project(): string {
  const { dir, cleanup } = scratchProject(false);
  cleanups.push(cleanup);
  writeFiles(dir, {
    'assay.yaml': [
      'prompts: [prompts/*.prompt.md]',
      'suites: [cases.jsonl]',
      'models: [fake:echo]',
      'defaults:',
      '  checks:',
      '    - contains: "number"',
    ].join('\n'),
    'prompts/billing.prompt.md': '---\nvariables:\n  n: number\n---\nBilling: say the number {{ n }}.\n',
    'prompts/support.prompt.md': '---\nvariables:\n  n: number\n---\nSupport: say the number {{ n }}.\n',
    'cases.jsonl': `${Array.from({ length: N }, (_, i) => JSON.stringify({ id: `c${i}`, vars: { n: i } })).join('\n')}\n`,
  });
  return dir;
}

interface JsonOut {
  reports: {
    calls: { prompt: string; promptVersion: string; modelId: string; cached: number; fresh: number }[];
    cacheSummary?: string;
  }[];
}

describe('incremental evaluation', () => {
  it('re-running after editing one of two prompts sends only its calls and names it in the summary', async () => {
    const dir = project();
    const first = await runCli(['eval', '--json'], { cwd: dir });
    expect(first.code).toBe(0);
    const one = JSON.parse(first.stdout) as JsonOut;
    expect(one.reports[0]?.calls.map((c) => [c.prompt, c.cached, c.fresh]).sort()).toEqual([
      ['billing', 0, N],
      ['support', 0, N],
    ]);
    expect(one.reports[0]?.cacheSummary).toBeUndefined();

    writeFiles(dir, {
      'prompts/support.prompt.md':
        '---\nvariables:\n  n: number\n---\nSupport (v2): say the number {{ n }}.\n',
    });
    const second = await runCli(['eval', '--json'], { cwd: dir });
    expect(second.code).toBe(0);
    const two = JSON.parse(second.stdout) as JsonOut;
    const calls = two.reports[0]?.calls ?? [];
    const billing = calls.find((c) => c.prompt === 'billing');
    const support = calls.find((c) => c.prompt === 'support');
    expect(billing).toMatchObject({ cached: N, fresh: 0 });
    expect(support).toMatchObject({ cached: 0, fresh: N });
    const v = support?.promptVersion.slice(0, 4);
    expect(two.reports[0]?.cacheSummary).toBe(
      `${N} of ${2 * N} calls answered from the cache: only prompt support@${v}… changed`,
    );

    // the terminal summary says the same; a third run changes nothing
    const third = await runCli(['eval'], { cwd: dir });
    expect(third.code).toBe(0);
    expect(third.stdout).toContain(
      `cache: ${2 * N} of ${2 * N} calls answered from the cache: nothing changed`,
    );
  }, 60_000);
});
