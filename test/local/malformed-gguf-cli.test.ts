import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeTinyGguf } from '../../src/test-helpers/make-tiny-gguf.ts';
import { runCli, scratchProject, writeFiles } from '../cli/cli-harness.ts';

// llama.cpp aborts the whole process (SIGABRT, exit 134) on a GGUF without `feed_forward_length`:
// `assay eval` must refuse such a file before loading it — exit 2, one clear message, no stack trace.

const project = scratchProject(false);
afterAll(() => project.cleanup());

writeFiles(project.dir, {
  'assay.yaml': `prompts: [p.prompt.md]
suites: [s.yaml]
models:
  - id: local:./models/broken.gguf
    threads: 1
`,
  'p.prompt.md': '---\nname: p\n---\n# user\nHello?\n',
  's.yaml': 'name: s\ncases:\n  - id: one\n    checks: [{ equals: "Hi!" }]\n',
  'models/.keep': '',
});

describe('assay eval with a malformed GGUF', () => {
  it.each([
    ['llama.feed_forward_length', { omitKeys: ['llama.feed_forward_length'] }],
    ['llama.attention.head_count', { omitKeys: ['llama.attention.head_count'] }],
    ['tokenizer.ggml.tokens', { omitKeys: ['tokenizer.ggml.tokens'] }],
  ] as const)(
    'missing %s: exit 2 naming the file and the key, the process not aborted',
    async (key, opts) => {
      writeTinyGguf(join(project.dir, 'models/broken.gguf'), { omitKeys: [...opts.omitKeys] });
      const r = await runCli(['eval', '-C', project.dir]);
      expect(r.signal).toBeNull();
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      const first = r.stderr.split('\n')[0];
      expect(first).toBe(
        `assay: cannot use model local:./models/broken.gguf: models/broken.gguf: missing metadata key ${key}. the model file is malformed (llama.cpp would refuse it or crash): re-download or re-convert it, or point local: at another .gguf file`,
      );
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(r.stderr).not.toMatch(/GGML_ASSERT|llama_model_load/);
    },
  );

  it('--json carries the same message', async () => {
    writeTinyGguf(join(project.dir, 'models/broken.gguf'), {
      setKeys: { 'llama.block_count': { type: 'u32', value: 0 } },
    });
    const r = await runCli(['eval', '-C', project.dir, '--json']);
    expect(r.code).toBe(2);
    const { error } = JSON.parse(r.stdout);
    expect(error.exitCode).toBe(2);
    expect(error.message).toContain(
      'models/broken.gguf: llama.block_count must be a positive integer, not u32 0',
    );
  });
});
