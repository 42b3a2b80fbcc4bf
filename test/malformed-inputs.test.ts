import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AssayError, ConfigError, ConfigErrors } from '../src/core/errors.ts';
import { loadProject } from '../src/project/load-project.ts';
import { malformedInputs } from './malformed-inputs.cases.ts';

const root = mkdtempSync(join(tmpdir(), 'assay-malformed-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function writeProject(name: string, files: Record<string, string>): string {
  const dir = join(root, name.replace(/[^a-z0-9]+/gi, '-'));
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    writeFileSync(join(dir, file), text);
  }
  return dir;
}

describe('malformed inputs', () => {
  it('has at least 24 distinct cases', () => {
    expect(malformedInputs.length).toBeGreaterThanOrEqual(24);
    expect(new Set(malformedInputs.map((c) => c.name)).size).toBe(malformedInputs.length);
  });

  for (const c of malformedInputs) {
    it(c.name, async () => {
      const dir = writeProject(c.name, c.files);
      let error: unknown;
      try {
        await loadProject({ cwd: dir });
      } catch (e) {
        error = e;
      }
      expect(error, 'loading should fail').toBeInstanceOf(AssayError);
      const err = error as AssayError;
      expect(err.exitCode).toBe(2);
      // One problem, one message (no stack trace, no pile of follow-on errors).
      if (err instanceof ConfigErrors) expect(err.errors.map((e) => e.message)).toHaveLength(1);
      else expect(err).toBeInstanceOf(ConfigError);
      expect(err.message).not.toContain('\n');
      for (const pattern of c.expect) expect(err.message).toMatch(pattern);
    });
  }
});
