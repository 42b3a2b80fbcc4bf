import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPrompt } from '../../src/registry/load-prompt.ts';
import { runCli, scratchProject } from '../cli/cli-harness.ts';

const git = (dir: string, ...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=Tess', '-c', 'user.email=t@example.com', ...args], { cwd: dir });

describe('prompt registry (CLI)', () => {
  const project = scratchProject();
  const dir = project.dir;
  const cli = (...args: string[]) => runCli(args, { cwd: dir });
  const file = join(dir, 'prompts/support.prompt.md');
  let v1 = '';
  let v2 = '';

  beforeAll(async () => {
    git(dir, 'init', '-q');
    git(dir, 'add', '-A');
    git(dir, 'commit', '-qm', 'v1');
    const e1 = await cli('eval', '-m', 'fake:echo', '-p', 'support', '--message', 'first try');
    expect([0, 1]).toContain(e1.code);
    v1 = JSON.parse((await cli('prompt', 'show', 'support', '--json')).stdout).version;
    writeFileSync(file, readFileSync(file, 'utf8').replace('warm, concise, and precise', 'warm and concise'));
    git(dir, 'commit', '-qam', 'v2');
    await cli('eval', '-m', 'fake:echo', '-p', 'support', '--message', 'shorter persona');
    v2 = JSON.parse((await cli('prompt', 'show', 'support', '--json')).stdout).version;
  }, 120_000);
  afterAll(() => project.cleanup());

  it('records each evaluated version with parent, message and results (log)', async () => {
    expect(v1).not.toBe(v2);
    const r = await cli('prompt', 'log', 'support', '--json');
    expect(r.code).toBe(0);
    const log = JSON.parse(r.stdout);
    expect(log.versions.map((v: { version: string }) => v.version)).toStrictEqual([v2, v1]);
    expect(log.versions[0]).toMatchObject({
      parent: v1,
      message: 'shorter persona',
      file: 'prompts/support.prompt.md',
    });
    expect(log.versions[1].parent).toBeUndefined();
    expect(log.versions[0].results[0]).toMatchObject({ suite: 'support', model: 'fake:echo' });
    expect(log.versions[0].results[0].n).toBeGreaterThan(0);
    const text = await cli('prompt', 'log', 'support');
    expect(text.stdout).toMatch(
      new RegExp(
        `version ${v2}[\\s\\S]*message  shorter persona[\\s\\S]*support × fake:echo  \\d+\\.\\d% \\[`,
      ),
    );
  });

  it('moves a label, rolls it back, and keeps the history', async () => {
    expect(
      (await cli('prompt', 'label', `support@${v1.slice(0, 6)}`, 'production', '--message', 'ship')).code,
    ).toBe(0);
    expect(readFileSync(join(dir, 'assay.labels.yaml'), 'utf8')).toContain(`production: "${v1}"`);
    expect((await cli('prompt', 'label', `support@${v2}`, 'production')).code).toBe(0);
    const back = await cli('prompt', 'label', `support@${v1}`, 'production', '--message', 'rollback');
    expect(back.stdout).toContain(`support@production → ${v1} (was ${v2})`);
    expect((await cli('prompt', 'label', 'support@production', 'staging')).code).toBe(0);
    expect(readFileSync(join(dir, 'assay.labels.yaml'), 'utf8')).toContain(`staging: "${v1}"`);
    const h = JSON.parse((await cli('prompt', 'labels', 'support', '--json')).stdout);
    expect(h.labels).toStrictEqual({ production: v1, staging: v1 });
    const production = h.history.filter((e: { label: string }) => e.label === 'production');
    expect(
      production.map((e: { version: string; previous?: string }) => [e.previous, e.version]),
    ).toStrictEqual([
      [v2, v1],
      [v1, v2],
      [undefined, v1],
    ]);
    expect(production[0].message).toBe('rollback');
    expect(h.history[0]).toMatchObject({ label: 'staging', version: v1 });
  });

  it('show, get and diff by label and version', async () => {
    await cli('prompt', 'label', `support@${v1}`, 'production');
    const show = await cli('prompt', 'show', 'support@production');
    expect(show.stdout).toContain(`version:   ${v1}`);
    expect(show.stdout).toContain('warm, concise, and precise');
    const get = await cli('prompt', 'get', 'support', '--label', 'production');
    expect(get.stdout).toContain('warm, concise, and precise');
    expect(get.stdout.startsWith('---\n')).toBe(true);
    const diff = await cli('prompt', 'diff', 'support@production', 'support');
    expect(diff.stdout).toContain('## message 1 (system)');
    expect(diff.stdout).toMatch(
      /- Persona: warm, concise, and precise\.[^\n]*\n\+ Persona: warm and concise\./,
    );
    const dj = JSON.parse((await cli('prompt', 'diff', `support@${v1}`, v2, '--json')).stdout);
    expect(dj.sections.map((s: { section: string }) => s.section)).toStrictEqual(['message 1 (system)']);
  });

  it('loadPrompt serves the labelled version after the file was edited, from the store or from git', async () => {
    await cli('prompt', 'label', `support@${v1}`, 'production');
    const p = await loadPrompt('support', { label: 'production', cwd: dir });
    expect(p.version).toBe(v1);
    expect(p.render({ message: 'hi' })[0]?.content).toContain('warm, concise, and precise');
    const current = await loadPrompt('support', { cwd: dir });
    expect(current.version).toBe(v2);
    // A fresh runner: no store, the source comes from git history.
    const fresh = await runCli(
      ['prompt', 'get', 'support', '--label', 'production', '--json', '--store', 'none.db'],
      { cwd: dir },
    );
    expect(JSON.parse(fresh.stdout)).toMatchObject({ version: v1, origin: 'git' });
  });

  it('errors: unknown version, unknown label, bad labels file (exit 2 with file:line)', async () => {
    const unknown = await cli('prompt', 'show', 'support@abcdef12');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown version 'abcdef12' of prompt 'support'");
    const label = await cli('prompt', 'get', 'support', '--label', 'canary');
    expect(label.code).toBe(2);
    expect(label.stderr).toContain("prompt 'support' has no label 'canary'");
    expect((await cli('prompt', 'label', 'support@abcdef12', 'production')).code).toBe(2);
    const saved = readFileSync(join(dir, 'assay.labels.yaml'), 'utf8');
    writeFileSync(join(dir, 'assay.labels.yaml'), 'support:\n  production: [1, 2]\n');
    const bad = await cli('prompt', 'log', 'support');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(
      /assay\.labels\.yaml:2:\d+: .*label 'production' of prompt 'support' must be a prompt version/,
    );
    writeFileSync(join(dir, 'assay.labels.yaml'), saved);
  });
});
