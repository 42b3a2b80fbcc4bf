import { describe, expect, it } from 'vitest';
import { ConfigError, ConfigErrors } from '../errors.ts';
import { parseLocalModelRef } from './local-model-ref.ts';
import { checkModelId, parseModelId } from './model-id.ts';
import { parseConfig } from './parse-config.ts';

describe('local: model ids', () => {
  it.each([
    ['./models/x.gguf', { kind: 'file', path: './models/x.gguf' }],
    ['models/X.GGUF', { kind: 'file', path: 'models/X.GGUF' }],
    ['/abs/path.gguf', { kind: 'file', path: '/abs/path.gguf' }],
    ['~/models/q.gguf', { kind: 'file', path: '~/models/q.gguf' }],
    ['hf:owner/repo/file.gguf', { kind: 'uri', uri: 'hf:owner/repo/file.gguf' }],
    ['hf:owner/repo/sub/file.gguf@abc123', { kind: 'uri', uri: 'hf:owner/repo/sub/file.gguf@abc123' }],
    ['default', { kind: 'default' }],
  ])('parses local:%s', (name, ref) => {
    expect(parseLocalModelRef(name)).toEqual(ref);
    expect(parseModelId(`local:${name}`)).toEqual({ provider: 'local', name });
    expect(checkModelId(`local:${name}`)).toBeUndefined();
  });

  it.each(['llama3.2', 'models/x.bin', 'hf:owner', 'https://example.com/x.gguf', ' ./x.gguf'])(
    'rejects local:%s with the accepted forms',
    (name) => {
      expect(parseLocalModelRef(name)).toBeUndefined();
      expect(parseModelId(`local:${name}`)).toBeUndefined();
      const p = checkModelId(`local:${name}`);
      expect(p?.problem).toBe(`'${name}' is not a local model`);
      expect(p?.expected).toContain('local:PATH.gguf');
      expect(p?.expected).toContain('local:hf:OWNER/REPO/FILE.gguf');
      expect(p?.expected).toContain('local:default');
    },
  );

  it('points a bare model name at an OpenAI-compatible server', () => {
    expect(checkModelId('local:llama3')?.hint).toMatch(/openai-compatible:llama3/);
    expect(checkModelId('local:models/x.bin')?.hint).toMatch(/must end in \.gguf/);
  });
});

describe('local: models in assay.yaml', () => {
  const yaml = (models: string) => `prompts: [p.prompt.md]\nsuites: [s.yaml]\nmodels:\n${models}\n`;

  it('accepts the id forms and threads', () => {
    const { config } = parseConfig(
      yaml('  - local:./tiny.gguf\n  - { id: local:hf:o/r/f.gguf, threads: 2 }\n  - local:default'),
      'assay.yaml',
    );
    expect(config.models).toEqual([
      { id: 'local:./tiny.gguf' },
      { id: 'local:hf:o/r/f.gguf', threads: 2 },
      { id: 'local:default' },
    ]);
  });

  it('rejects threads on other providers, a bad thread count and a bad local id', () => {
    const messages = (models: string) => {
      try {
        parseConfig(yaml(models), 'assay.yaml');
      } catch (e) {
        if (e instanceof ConfigErrors) return e.errors.map((x) => x.message).join('\n');
        if (e instanceof ConfigError) return e.message;
        throw e;
      }
      return '';
    };
    expect(messages('  - { id: fake:echo, threads: 2 }')).toMatch(/'threads' only applies to local: models/);
    expect(messages('  - { id: local:./x.gguf, threads: 0 }')).toMatch(/threads/);
    expect(messages('  - local:llama3')).toMatch(/'llama3' is not a local model; expected local:PATH\.gguf/);
  });
});
