import { describe, expect, it } from 'vitest';
import { ConfigError, ConfigErrors } from '../errors.ts';
import { defineConfig } from './define-config.ts';
import { checkModelId, parseModelId } from './model-id.ts';
import { parseConfig, validateConfig } from './parse-config.ts';

function errorsOf(fn: () => unknown): ConfigError[] {
  try {
    fn();
  } catch (e) {
    if (e instanceof ConfigErrors) return e.errors;
    if (e instanceof ConfigError) return [e];
    throw e;
  }
  throw new Error('expected a ConfigError');
}

describe('parseConfig', () => {
  it('fills defaults and normalises models, suites and checks', () => {
    const { config, locate } = parseConfig(
      `name: demo
prompts: [prompts/*.prompt.md]
suites:
  - suites/a.yaml
  - { name: b, file: suites/b.csv, prompts: [triage] }
models:
  - openai:gpt-4o-mini
  - id: openai-compatible:llama3.2
    baseUrl: http://127.0.0.1:11434/v1
    apiKeyEnv: LOCAL_KEY
    settings: { temperature: 0.2, stop: "###" }
defaults:
  threshold: 0.8
  checks:
    - not-refused
    - contains: thanks
`,
      'assay.yaml',
    );
    expect(config.name).toBe('demo');
    expect(config.suites).toEqual([
      { file: 'suites/a.yaml' },
      { name: 'b', file: 'suites/b.csv', prompts: ['triage'] },
    ]);
    expect(config.models).toEqual([
      { id: 'openai:gpt-4o-mini' },
      {
        id: 'openai-compatible:llama3.2',
        baseUrl: 'http://127.0.0.1:11434/v1',
        apiKeyEnv: 'LOCAL_KEY',
        settings: { temperature: 0.2, stop: ['###'] },
      },
    ]);
    expect(config.defaults).toEqual({
      repeats: 1,
      concurrency: 8,
      timeoutMs: 60000,
      maxRetries: 4,
      maxErrorRate: 0.1,
      seed: 0,
      threshold: 0.8,
      checks: [{ type: 'not-refused' }, { type: 'contains', value: 'thanks' }],
    });
    expect(locate(['defaults', 'checks', 1])).toEqual({ line: 16, column: 7 });
  });

  it('reports every problem at once, each with line, field, expectation and hint', () => {
    const errs = errorsOf(() =>
      parseConfig(
        `prompts: [a]
suits: [s.yaml]
models:
  - gpt-4o
  - id: openai-compatible:x
  - id: opena:gpt
  - { id: fake:x, concurency: 3 }
defaults:
  repeats: 0
`,
        'assay.yaml',
      ),
    );
    expect(errs.map((e) => [e.info.line, e.info.field])).toEqual([
      [1, 'suites'],
      [2, 'suits'],
      [4, 'models[0]'],
      [5, 'models[1].baseUrl'],
      [6, 'models[2].id'],
      [7, 'models[3].concurency'],
      [9, 'defaults.repeats'],
    ]);
    expect(errs[1]?.info.hint).toBe("did you mean 'suites'?");
    expect(errs[2]?.info.hint).toBe("did you mean 'openai:gpt-4o'?");
    expect(errs[3]?.message).toContain("'openai-compatible:x' needs a baseUrl");
    expect(errs[4]?.info.hint).toBe("did you mean 'openai:gpt'?");
    expect(errs[5]?.info.hint).toBe("did you mean 'concurrency'?");
    expect(errs[6]?.info.expected).toBe('a number >= 1');
  });

  it('refuses API keys written in the config without echoing them', () => {
    const key = 'sk-proj-abcdefghijklmnopqrstuvwxyz123456';
    const errs = errorsOf(() =>
      parseConfig(
        `prompts: [a]
suites: [s.yaml]
models:
  - id: openai:gpt-4o
    apiKey: ${key}
  - id: anthropic:claude
    apiKeyEnv: ${key}
  - id: openai:gpt-4o-mini
    headers: { Authorization: "Bearer ${key}" }
`,
        'assay.yaml',
      ),
    );
    expect(errs.map((e) => [e.info.line, e.info.field])).toEqual([
      [5, 'models[0].apiKey'],
      [7, 'models[1].apiKeyEnv'],
      [9, 'models[2].headers.Authorization'],
    ]);
    for (const e of errs) {
      expect(e.message).not.toContain('abcdefghijkl');
      expect(e.info.expected).toContain('apiKeyEnv');
    }
  });

  it('allows environment variable references in headers', () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a literal ${ENV} reference, resolved at call time
    const ref = '${TOKEN}';
    const { config } = parseConfig(
      `prompts: [a]\nsuites: [s.yaml]\nmodels:\n  - { id: openai:x, headers: { Authorization: "${ref}" } }\n`,
      'assay.yaml',
    );
    expect(config.models[0]).toEqual({ id: 'openai:x', headers: { Authorization: ref } });
  });

  it('reports YAML syntax errors and empty files', () => {
    const [e] = errorsOf(() => parseConfig('prompts: [a\nsuites: x', 'assay.yaml'));
    expect(e?.message).toContain('invalid YAML');
    expect(e?.info).toMatchObject({ file: 'assay.yaml', line: 2 });
    expect(errorsOf(() => parseConfig('', 'assay.yaml'))[0]?.info.hint).toContain('assay init');
  });

  it('validates config objects from assay.config.ts, allowing respond functions there only', () => {
    const input = defineConfig({
      prompts: ['p.prompt.md'],
      suites: ['s.yaml'],
      models: [{ id: 'fake:x', respond: () => 'hi' }],
    });
    const { config } = validateConfig(input, 'assay.config.ts', { allowFunctions: true });
    expect(typeof config.models[0]?.respond).toBe('function');
    const [e] = errorsOf(() => validateConfig(input, 'assay.yaml'));
    expect(e?.info.field).toBe('models[0].respond');
    expect(e?.info.line).toBeUndefined();
  });
});

describe('model ids', () => {
  it('parses provider:name', () => {
    expect(parseModelId('openai-compatible:llama3.2')).toEqual({
      provider: 'openai-compatible',
      name: 'llama3.2',
    });
    expect(parseModelId('local:models/x.gguf')).toEqual({ provider: 'local', name: 'models/x.gguf' });
    expect(parseModelId('gpt-4o')).toBeUndefined();
  });

  it('explains bad ids', () => {
    expect(checkModelId('claude-3-5-haiku')?.hint).toBe("did you mean 'anthropic:claude-3-5-haiku'?");
    expect(checkModelId('openai:')?.problem).toContain('no model name');
    expect(checkModelId('http:x')).toBeUndefined(); // a target (docs/targets.md)
    expect(checkModelId('fake:echo')).toBeUndefined();
  });
});
