import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../core/errors.ts';
import { createModelRegistry } from './model-registry.ts';

const root = '/';

function configError(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('createModelRegistry', () => {
  it('resolves only configured ids, once each', () => {
    const reg = createModelRegistry([{ id: 'fake:echo' }, { id: 'fake:other' }], { root });
    expect(reg.ids()).toEqual(['fake:echo', 'fake:other']);
    const p = reg.resolve('fake:echo');
    expect(reg.resolve('fake:echo')).toBe(p);
    expect(configError(() => reg.resolve('fake:unlisted'))).toBe(
      'model fake:unlisted is not configured; add it to models: in assay.yaml',
    );
    expect(configError(() => reg.resolve('openai:gpt-4o-mini'))).toContain('is not configured');
  });

  it('refuses unknown providers and ids without a provider', () => {
    const reg = createModelRegistry([{ id: 'acme:x' }, { id: 'gpt-4o' }], { root });
    expect(configError(() => reg.resolve('acme:x'))).toContain("unknown model provider 'acme'");
    expect(configError(() => reg.resolve('gpt-4o'))).toContain("did you mean 'openai:gpt-4o'?");
  });

  it('requires the API key variable at resolve time, without printing any key', () => {
    const reg = createModelRegistry(
      [
        { id: 'openai:gpt-4o-mini' },
        { id: 'anthropic:claude-3-5-haiku-latest' },
        { id: 'google:gemini-2.0-flash' },
      ],
      { root, env: {} },
    );
    expect(configError(() => reg.resolve('openai:gpt-4o-mini'))).toBe(
      'OPENAI_API_KEY is not set: export it or configure another model',
    );
    expect(configError(() => reg.resolve('anthropic:claude-3-5-haiku-latest'))).toContain(
      'ANTHROPIC_API_KEY is not set',
    );
    expect(configError(() => reg.resolve('google:gemini-2.0-flash'))).toContain(
      'GOOGLE_GENERATIVE_AI_API_KEY is not set',
    );
    const custom = createModelRegistry([{ id: 'openai:gpt-4o', apiKeyEnv: 'TEAM_OPENAI' }], {
      root,
      env: { OPENAI_API_KEY: 'sk-unused' },
    });
    expect(configError(() => custom.resolve('openai:gpt-4o'))).toContain('TEAM_OPENAI is not set');
    const ok = createModelRegistry([{ id: 'anthropic:claude-3-5-haiku-latest' }], {
      root,
      env: { ANTHROPIC_API_KEY: 'k' },
    });
    expect(ok.resolve('anthropic:claude-3-5-haiku-latest')).toMatchObject({
      provider: 'anthropic',
      modelName: 'claude-3-5-haiku-latest',
    });
  });

  it('openai-compatible needs a valid base URL; its key is optional; header variables must exist', () => {
    const reg = createModelRegistry(
      [
        { id: 'openai-compatible:a' },
        { id: 'openai-compatible:b', baseUrl: 'not a url' },
        { id: 'openai-compatible:c', baseUrl: 'http://127.0.0.1:1/v1' },
        // biome-ignore lint/suspicious/noTemplateCurlyInString: a ${VAR} reference
        { id: 'openai-compatible:d', baseUrl: 'http://127.0.0.1:1/v1', headers: { 'x-k': '${MISSING_VAR}' } },
        { id: 'openai-compatible:e', baseUrl: 'http://127.0.0.1:1/v1', adapter: 'turbo' as 'direct' },
        { id: 'openai:gpt-4o', adapter: 'direct' },
      ],
      { root, env: { OPENAI_API_KEY: 'k' } },
    );
    expect(configError(() => reg.resolve('openai-compatible:a'))).toContain('needs a base URL');
    expect(configError(() => reg.resolve('openai-compatible:b'))).toContain("'not a url' is not a URL");
    expect(reg.resolve('openai-compatible:c').modelName).toBe('c');
    expect(configError(() => reg.resolve('openai-compatible:d'))).toContain(
      'needs $' + '{MISSING_VAR}, which is not set',
    );
    expect(configError(() => reg.resolve('openai-compatible:e'))).toContain(
      "adapter 'turbo' is not available",
    );
    expect(configError(() => reg.resolve('openai:gpt-4o'))).toContain('direct is for openai-compatible');
  });

  it('local: resolves to the GGUF provider; a missing file is a ConfigError before any call', () => {
    const reg = createModelRegistry([{ id: 'local:org/model.gguf' }], { root });
    expect(configError(() => reg.resolve('local:org/model.gguf'))).toMatch(
      /^org\/model\.gguf: model file not found/,
    );
  });

  it('loads no AI SDK package until an AI SDK model is resolved (openai-compatible goes direct)', () => {
    const script = `
      import { registerHooks } from 'node:module';
      const loaded = [];
      registerHooks({ resolve(spec, ctx, next) { const r = next(spec, ctx); loaded.push(r.url); return r; } });
      const sdk = () => loaded.filter((u) => /node_modules\\/(ai|@ai-sdk\\/[^/]+)\\//.test(u));
      const { createModelRegistry } = await import(${JSON.stringify(join(import.meta.dirname, 'model-registry.ts'))});
      const reg = createModelRegistry(
        [{ id: 'fake:echo' }, { id: 'openai-compatible:d', baseUrl: 'http://127.0.0.1:1/v1' }, { id: 'openai-compatible:x', baseUrl: 'http://127.0.0.1:1/v1', adapter: 'ai-sdk' }, { id: 'openai:gpt-4o', apiKeyEnv: 'K' }],
        { root: '/', env: { K: 'k' } },
      );
      await reg.resolve('fake:echo').generate({ messages: [{ role: 'user', content: 'hi' }], settings: {} });
      reg.resolve('openai-compatible:d');
      await new Promise((r) => setTimeout(r, 200));
      const beforeResolve = sdk().length;
      reg.resolve('openai-compatible:x');
      const deadline = Date.now() + 5000;
      while (!sdk().some((u) => u.includes('openai-compatible')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      const afterCompat = sdk().map((u) => u.match(/node_modules\\/((?:@ai-sdk\\/)?[^/]+)/)[1]);
      console.log(JSON.stringify({ beforeResolve, openaiLoaded: afterCompat.includes('@ai-sdk/openai'), compatLoaded: afterCompat.includes('@ai-sdk/openai-compatible'), aiLoaded: afterCompat.includes('ai') }));
    `;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(JSON.parse(out.trim().split('\n').at(-1) as string)).toEqual({
      beforeResolve: 0,
      openaiLoaded: false,
      compatLoaded: true,
      aiLoaded: true,
    });
  });
});
