import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../core/errors.ts';
import { locateStore } from './locate-store.ts';

const root = mkdtempSync(join(tmpdir(), 'assay-locate-store-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A project folder with `files` and an (empty) store file at `store`. */
function project(name: string, files: Record<string, string>, store = '.assay/assay.db'): string {
  const dir = join(root, name);
  mkdirSync(join(dir, store, '..'), { recursive: true });
  writeFileSync(join(dir, store), '');
  for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, file), text);
  return dir;
}

describe('locateStore', () => {
  it('takes -c naming a folder, as the project loader does', async () => {
    const dir = project('folder-yaml', { 'assay.yaml': 'store: runs/db.sqlite\n' }, 'runs/db.sqlite');
    await expect(locateStore({ cwd: root, config: dir })).resolves.toBe(join(dir, 'runs/db.sqlite'));
    const ts = project('folder-ts', { 'assay.config.ts': "export default { store: 'x.db' };\n" }, 'x.db');
    await expect(locateStore({ cwd: root, config: 'folder-ts' })).resolves.toBe(join(ts, 'x.db'));
  });

  it('finds assay.config.ts in the folder when there is no -c', async () => {
    const dir = project('auto-ts', { 'assay.config.ts': "export default { store: 'y.db' };\n" }, 'y.db');
    await expect(locateStore({ cwd: dir })).resolves.toBe(join(dir, 'y.db'));
  });

  it('reports a config module that throws as a ConfigError naming it', async () => {
    const dir = project('throws', { 'assay.config.ts': "throw new Error('boom');\n" });
    const error = await locateStore({ cwd: dir }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).exitCode).toBe(2);
    expect((error as ConfigError).message).toMatch(/assay\.config\.ts.*boom/);
    await expect(locateStore({ cwd: root, config: join(dir, 'assay.config.ts') })).rejects.toThrow(
      ConfigError,
    );
  });

  it('reports -c naming a folder without a config, or a missing file, as a ConfigError', async () => {
    const empty = join(root, 'empty');
    mkdirSync(empty, { recursive: true });
    await expect(locateStore({ cwd: root, config: empty })).rejects.toThrow(ConfigError);
    await expect(locateStore({ cwd: root, config: 'nope.yaml' })).rejects.toThrow(ConfigError);
  });

  it('falls back to .assay/assay.db when there is no config', async () => {
    const dir = project('no-config', {});
    await expect(locateStore({ cwd: dir })).resolves.toBe(join(dir, '.assay/assay.db'));
  });
});
