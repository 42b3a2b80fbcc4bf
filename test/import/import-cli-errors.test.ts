import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../cli/cli-harness.ts';

const dir = mkdtempSync(join(tmpdir(), 'assay-import-errors-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('assay import: bad input is a one-line error with exit 2, never a stack trace', () => {
  it.each([
    [
      'a missing config',
      ['import', 'promptfoo', join(dir, 'missing.yaml')],
      /cannot read .*missing\.yaml: no such file/,
    ],
    [
      'a config that is not YAML',
      ['import', 'promptfoo', 'bad.yaml'],
      /bad\.yaml:2:1: invalid YAML: .*; expected a promptfoo config/,
    ],
    [
      'a config without prompts',
      ['import', 'promptfoo', 'noprompts.yaml'],
      /noprompts\.yaml: prompts: missing `prompts`/,
    ],
    [
      'results that are not JSON',
      ['import', 'promptfoo-results', 'bad.json', '-C', dir],
      /bad\.json: not valid JSON \(.*\); expected the file written by `promptfoo eval -o results\.json`/,
    ],
    [
      'JSON that is not a results file',
      ['import', 'promptfoo-results', 'other.json', '-C', dir],
      /other\.json: not a promptfoo results file/,
    ],
  ])('%s', async (_name, args, message) => {
    writeFileSync(join(dir, 'bad.yaml'), 'prompts: [\n');
    writeFileSync(join(dir, 'noprompts.yaml'), 'providers: [echo]\n');
    writeFileSync(join(dir, 'bad.json'), 'nope\n');
    writeFileSync(join(dir, 'other.json'), '{"evalId": "x"}');
    const r = await runCli(args, { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('never overwrites an earlier import without --force', async () => {
    writeFileSync(
      join(dir, 'ok.yaml'),
      'prompts: ["Hi {{name}}"]\nproviders: [echo]\ntests: [{ vars: { name: Ada } }]\n',
    );
    const out = join(dir, 'out');
    expect((await runCli(['import', 'promptfoo', 'ok.yaml', '-o', out], { cwd: dir })).code).toBe(0);
    const again = await runCli(['import', 'promptfoo', 'ok.yaml', '-o', out], { cwd: dir });
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already has .*assay\.yaml.*; use --force/);
    expect((await runCli(['import', 'promptfoo', 'ok.yaml', '-o', out, '--force'], { cwd: dir })).code).toBe(
      0,
    );
    // The imported project runs as is.
    const ev = await runCli(['eval', '-C', out, '--json']);
    expect(ev.code, ev.stdout + ev.stderr).toBe(0);
  });
});
