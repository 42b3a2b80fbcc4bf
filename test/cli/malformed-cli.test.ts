import { describe, expect, it } from 'vitest';
import { malformedInputs } from '../malformed-inputs.cases.ts';
import { runCli, scratchProject, writeFiles } from './cli-harness.ts';

// Every malformed input, through the real CLI: exit 2, one message on stderr naming the file, the line
// or field and what was expected, nothing on stdout, no stack trace, and no model call (fake:echo would
// not need the network anyway; the point is that validation happens first).
describe.concurrent('malformed inputs through `assay eval`', () => {
  for (const c of malformedInputs) {
    it(c.name, async () => {
      const p = scratchProject(false);
      try {
        writeFiles(p.dir, c.files);
        const r = await runCli(['eval', '-C', p.dir]);
        expect(r.code).toBe(2);
        expect(r.stdout).toBe('');
        expect(r.stderr).toMatch(/^assay: /);
        expect(r.stderr.trim().split('\n')).toHaveLength(1);
        expect(r.stderr).not.toMatch(/\n\s+at |internal error/);
        for (const re of c.expect) expect(r.stderr).toMatch(re);
      } finally {
        p.cleanup();
      }
    });
  }
});
