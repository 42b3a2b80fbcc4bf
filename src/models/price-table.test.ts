import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../core/errors.ts';
import { withNoNetwork } from '../test-helpers/with-no-network.ts';
import { createPriceTable, estimateTokens } from './price-table.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'assay-prices-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const usage = { inputTokens: 1_000_000, outputTokens: 1_000_000 };

describe('createPriceTable', () => {
  it('reports the bundled package and its version', () => {
    const t = createPriceTable();
    const require = createRequire(import.meta.url);
    const pkg = JSON.parse(
      readFileSync(join(dirname(require.resolve('@pydantic/genai-prices')), '..', 'package.json'), 'utf8'),
    );
    expect(t.package).toBe('@pydantic/genai-prices');
    expect(t.version).toBe(pkg.version);
  });

  it('prices known models offline (no network attempt)', async () => {
    const t = createPriceTable();
    const price = await withNoNetwork(() =>
      t.priceOf('openai:gpt-4o-mini', { inputTokens: 1000, outputTokens: 100 }),
    );
    expect(price).not.toBeNull();
    expect(price).toBeGreaterThan(0);
    expect(t.describe('openai:gpt-4o-mini')).toEqual({ inputPerMTok: 0.15, outputPerMTok: 0.6 });
    expect(t.priceOf('openai:gpt-4o-mini', usage)).toBeCloseTo(0.75, 10);
    expect(t.priceOf('anthropic:claude-3-5-haiku-latest', usage)).toBeGreaterThan(0);
    expect(t.priceOf('google:gemini-2.0-flash', usage)).toBeGreaterThan(0);
  });

  it('returns null, never 0, for unknown prices', () => {
    const t = createPriceTable();
    expect(t.priceOf('openai:no-such-model-xyz', usage)).toBeNull();
    expect(t.priceOf('openai-compatible:gpt-4o-mini', usage)).toBeNull();
    expect(t.describe('openai-compatible:x')).toBeNull();
  });

  it('prices the scripted fake model at $0: it spends nothing', () => {
    const t = createPriceTable();
    expect(t.priceOf('fake:echo', usage)).toBe(0);
    expect(t.describe('fake:echo')).toEqual({ inputPerMTok: 0, outputPerMTok: 0 });
    expect(t.priceOf('openai:gpt-4o-mini', {})).toBeNull();
    expect(t.priceOf('openai:gpt-4o-mini', { inputTokens: 0, outputTokens: 0 })).toBe(0);
  });

  it('prices local models at $0 like the engine (isFreeModel): they run on your machine', () => {
    const t = createPriceTable();
    expect(t.priceOf('local:./models/x.gguf', usage)).toBe(0);
    expect(t.priceOf({ id: 'local:default', provider: 'local', modelName: 'x.gguf@abc' }, usage)).toBe(0);
    expect(t.describe('local:hf:o/r/f.gguf')).toEqual({ inputPerMTok: 0, outputPerMTok: 0 });
    const priced = createPriceTable({ overrides: { 'local:*': { input: 1, output: 2 } } });
    expect(priced.priceOf('local:default', usage)).toBeGreaterThan(0);
  });

  it('prices a port by its vendor model name', () => {
    const t = createPriceTable();
    const port = { id: 'openai:cheap', provider: 'openai', modelName: 'gpt-4o-mini' };
    expect(t.priceOf(port, usage)).toBeCloseTo(0.75, 10);
    expect(t.priceOf('openai:cheap', usage)).toBeNull();
  });

  it('applies overrides from a YAML or JSON file: exact ids, provider wildcards, catalog models', () => {
    writeFileSync(
      join(dir, 'prices.yaml'),
      [
        '"openai-compatible:local": { input: 0.1, output: 0.2 }',
        '"fake:*": { input: 1, output: 2 }',
        '"openai:gpt-4o-mini": { input: 0, output: 0 }',
      ].join('\n'),
    );
    const t = createPriceTable({
      overridesFile: join(dir, 'prices.yaml'),
      overridesDisplayPath: 'prices.yaml',
    });
    expect(t.overridesFile).toBe('prices.yaml');
    expect(t.priceOf('openai-compatible:local', usage)).toBeCloseTo(0.3, 10);
    expect(t.priceOf('openai-compatible:other', usage)).toBeNull();
    expect(t.priceOf('fake:anything', { inputTokens: 500_000, outputTokens: 250_000 })).toBeCloseTo(1, 10);
    expect(t.priceOf('openai:gpt-4o-mini', usage)).toBe(0);
    expect(t.describe('openai-compatible:local')).toEqual({ inputPerMTok: 0.1, outputPerMTok: 0.2 });
    // a port whose id is overridden but whose vendor name differs
    expect(
      t.priceOf(
        { id: 'openai-compatible:local', provider: 'openai-compatible', modelName: 'llama3.2' },
        usage,
      ),
    ).toBeCloseTo(0.3, 10);
    writeFileSync(
      join(dir, 'prices.json'),
      JSON.stringify({ 'openai-compatible:j': { input: 2, output: 4 } }),
    );
    expect(
      createPriceTable({ overridesFile: join(dir, 'prices.json') }).priceOf('openai-compatible:j', usage),
    ).toBe(6);
  });

  it.each([
    ['[1, 2]', 'must be a mapping of model id to prices'],
    ['gpt-4o: { input: 1, output: 1 }', "prices.yaml: gpt-4o: 'gpt-4o' is not a model id"],
    ['"fake:x": { input: 1 }', 'prices.yaml: fake:x.output: is missing'],
    ['"fake:x": { input: -1, output: 1 }', 'prices.yaml: fake:x.input: must be a number >= 0'],
    ['"fake:x": { input: 1, output: 1, cached: 1 }', "prices.yaml: fake:x.cached: unknown field 'cached'"],
    ['"fake:x": { input: [', 'prices.yaml:'],
  ])('a bad overrides file is a ConfigError: %s', (text, expected) => {
    writeFileSync(join(dir, 'prices.yaml'), text);
    let err: unknown;
    try {
      createPriceTable({ overridesFile: join(dir, 'prices.yaml'), overridesDisplayPath: 'prices.yaml' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toContain(expected);
  });

  it('a missing overrides file is a ConfigError', () => {
    expect(() =>
      createPriceTable({ overridesFile: join(dir, 'none.yaml'), overridesDisplayPath: 'none.yaml' }),
    ).toThrow('none.yaml: file not found');
  });

  it('loads the catalog only when a price is first asked for', () => {
    const script = `
      import { registerHooks } from 'node:module';
      const loaded = [];
      registerHooks({ resolve(spec, ctx, next) { const r = next(spec, ctx); loaded.push(r.url); return r; } });
      const { createPriceTable } = await import(${JSON.stringify(join(import.meta.dirname, 'price-table.ts'))});
      const t = createPriceTable();
      const before = loaded.some((u) => u.includes('genai-prices'));
      t.priceOf('openai:gpt-4o-mini', { inputTokens: 1 });
      console.log(JSON.stringify({ before, after: loaded.some((u) => u.includes('genai-prices')) }));
    `;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(JSON.parse(out.trim())).toEqual({ before: false, after: true });
  });
});

describe('estimateTokens', () => {
  it('is ⌈chars / 4⌉', () => {
    expect(estimateTokens('')).toBe(0);
    expect(estimateTokens('abcd')).toBe(1);
    expect(estimateTokens('abcde')).toBe(2);
  });
});
