import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../core/errors.ts';
import { readTextFile } from './read-text-file.ts';

const root = mkdtempSync(join(tmpdir(), 'assay-read-text-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function file(name: string, bytes: number[] | string): string {
  const path = join(root, name);
  writeFileSync(path, typeof bytes === 'string' ? bytes : Buffer.from(bytes));
  return path;
}

async function failure(path: string, shown: string): Promise<ConfigError> {
  const error = await readTextFile(path, shown, {}, 'suite file').catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ConfigError);
  return error as ConfigError;
}

describe('readTextFile', () => {
  it('reads UTF-8 text and drops a leading BOM', async () => {
    await expect(readTextFile(file('ok.yaml', 'a: é\n'), 'ok.yaml')).resolves.toBe('a: é\n');
    const bom = file('bom.yaml', [0xef, 0xbb, 0xbf, ...Buffer.from('a: 1\n')]);
    await expect(readTextFile(bom, 'bom.yaml')).resolves.toBe('a: 1\n');
  });

  it('rejects invalid UTF-8 (Latin-1 here) naming the file and the line, instead of U+FFFD', async () => {
    const latin1 = file('latin1.yaml', [...Buffer.from('cases:\n  - id: a\n    vars: { m: caf'), 0xe9, 0x0a]);
    const e = await failure(latin1, 'suites/latin1.yaml');
    expect(e.info).toMatchObject({ file: 'suites/latin1.yaml', line: 3, expected: 'UTF-8 text' });
    expect(e.message).toMatch(
      /^suites\/latin1\.yaml:3: suite file 'suites\/latin1\.yaml' has bytes that are not UTF-8; expected UTF-8 text/,
    );
  });

  it('finds the line of the first bad byte: a stray continuation byte, an overlong form, a cut-off end', async () => {
    expect((await failure(file('cont.txt', [0x61, 0x0a, 0x0a, 0x80]), 'cont.txt')).info.line).toBe(3);
    expect((await failure(file('overlong.txt', [0x0a, 0xc0, 0xaf, 0x0a]), 'overlong.txt')).info.line).toBe(2);
    // a two-byte character whose second byte is a newline: the error is on the line it started on
    expect((await failure(file('split.txt', [0x61, 0xc3, 0x0a, 0x62]), 'split.txt')).info.line).toBe(1);
    const cut = await failure(file('cut.txt', [0x61, 0x0a, 0xe2, 0x82]), 'cut.txt');
    expect(cut.info.line).toBe(2);
    expect(cut.problem).toMatch(/cut short at the end/);
  });
});
