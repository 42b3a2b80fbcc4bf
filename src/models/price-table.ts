import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { calcPrice as CalcPrice, ModelPrice } from '@pydantic/genai-prices';
import { ConfigError } from '../core/errors.ts';
import type { Usage } from '../core/types.ts';
import { readDataFile } from './read-data-file.ts';

/**
 * USD prices per call from the bundled catalog of `@pydantic/genai-prices` (offline: the package only
 * fetches when `updatePrices` is called, which Assay never does), plus user overrides. An unknown price is
 * `null`, never 0.
 */

export const PRICE_PACKAGE = '@pydantic/genai-prices';

/** USD per million tokens. */
export interface ModelPriceInfo {
  inputPerMTok: number;
  outputPerMTok: number;
}

/** Which model to price: a `provider:name` id, or a port (`id` for overrides, provider + modelName for the catalog). */
export type PricedModel = string | { id: string; provider: string; modelName: string };

export interface PriceTable {
  /** Package name and version of the bundled catalog (recorded in run manifests). */
  readonly package: string;
  readonly version: string;
  /** Display path of the overrides file, when one was loaded. */
  readonly overridesFile?: string;
  /** Price of one call in USD; null when the model's price is unknown or the usage has no token counts. */
  priceOf(model: PricedModel, usage: Usage): number | null;
  /** Base per-million-token prices (the lowest tier, for tiered models); null when unknown. */
  describe(model: PricedModel): ModelPriceInfo | null;
}

export interface PriceTableOptions {
  /** YAML/JSON file: `{ "openai-compatible:local": { input: 0.1, output: 0.2 }, "fake:*": {...} }` (USD/M tokens). */
  overridesFile?: string;
  /** How to name the file in errors (default: the path as given). */
  overridesDisplayPath?: string;
  /** Overrides given directly (library API); merged over the file's. */
  overrides?: Record<string, { input: number; output: number }>;
}

/** Catalog provider ids for Assay's providers; the others (fake, openai-compatible, local) have no catalog price. */
const catalogProviders: Record<string, string> = {
  openai: 'openai',
  anthropic: 'anthropic',
  google: 'google',
};

const require = createRequire(import.meta.url);
let calc: typeof CalcPrice | undefined;
/** Loaded on first use (the catalog is ~0.8 MB of JS): commands that price nothing never pay for it. */
function calcPrice(): typeof CalcPrice {
  calc ??= (require(PRICE_PACKAGE) as { calcPrice: typeof CalcPrice }).calcPrice;
  return calc;
}

let packageVersion: string | undefined;
function priceCatalogVersion(): string {
  if (packageVersion === undefined) {
    // exports hide package.json; the entry point sits in dist/
    const pkgFile = join(dirname(require.resolve(PRICE_PACKAGE)), '..', 'package.json');
    packageVersion = (JSON.parse(readFileSync(pkgFile, 'utf8')) as { version: string }).version;
  }
  return packageVersion;
}

function parseOverrides(data: unknown, file: string | undefined): Map<string, ModelPriceInfo> {
  const out = new Map<string, ModelPriceInfo>();
  if (data === null || data === undefined) return out;
  if (typeof data !== 'object' || Array.isArray(data))
    throw new ConfigError('price overrides must be a mapping of model id to prices', {
      file,
      expected: '{ "provider:name": { input: USD per 1M tokens, output: USD per 1M tokens } }',
    });
  for (const [key, value] of Object.entries(data as Record<string, unknown>)) {
    const i = key.indexOf(':');
    if (i <= 0 || i === key.length - 1)
      throw new ConfigError(`'${key}' is not a model id`, {
        file,
        field: key,
        expected: 'provider:name, or provider:* for every model of a provider',
      });
    if (!value || typeof value !== 'object' || Array.isArray(value))
      throw new ConfigError('must be a mapping', {
        file,
        field: key,
        expected: '{ input: number, output: number }',
      });
    const v = value as Record<string, unknown>;
    for (const k of Object.keys(v))
      if (k !== 'input' && k !== 'output')
        throw new ConfigError(`unknown field '${k}'`, {
          file,
          field: `${key}.${k}`,
          expected: 'input or output',
        });
    for (const k of ['input', 'output'] as const) {
      const n = v[k];
      if (typeof n !== 'number' || !Number.isFinite(n) || n < 0)
        throw new ConfigError(n === undefined ? 'is missing' : 'must be a number >= 0', {
          file,
          field: `${key}.${k}`,
          expected: 'USD per million tokens, a number >= 0',
        });
    }
    out.set(key, { inputPerMTok: v.input as number, outputPerMTok: v.output as number });
  }
  return out;
}

function splitId(id: string): { provider: string; name: string } {
  const i = id.indexOf(':');
  return i < 0 ? { provider: '', name: id } : { provider: id.slice(0, i), name: id.slice(i + 1) };
}

function baseRate(v: ModelPrice[string]): number | undefined {
  if (typeof v === 'number') return v;
  if (v && typeof v === 'object' && typeof (v as { base?: unknown }).base === 'number')
    return (v as { base: number }).base;
  return undefined;
}

export function createPriceTable(opts: PriceTableOptions = {}): PriceTable {
  const display = opts.overridesDisplayPath ?? opts.overridesFile;
  const overrides = opts.overridesFile
    ? parseOverrides(readDataFile(opts.overridesFile, display ?? opts.overridesFile), display)
    : new Map<string, ModelPriceInfo>();
  if (opts.overrides) for (const [k, v] of parseOverrides(opts.overrides, undefined)) overrides.set(k, v);

  function override(model: PricedModel): ModelPriceInfo | undefined {
    const ids = typeof model === 'string' ? [model] : [model.id, `${model.provider}:${model.modelName}`];
    for (const id of ids) {
      const exact = overrides.get(id);
      if (exact) return exact;
    }
    const provider = typeof model === 'string' ? splitId(model).provider : model.provider;
    // The scripted fake model and local (in-process GGUF) models spend nothing: $0, not unknown (an
    // override still wins). Same set as the engine's free providers (isFreeModel).
    return (
      overrides.get(`${provider}:*`) ??
      (provider === 'fake' || provider === 'local' || provider === 'http' || provider === 'file'
        ? { inputPerMTok: 0, outputPerMTok: 0 }
        : undefined)
    );
  }

  function catalogKey(model: PricedModel): { providerId: string; name: string } | undefined {
    const { provider, name } =
      typeof model === 'string' ? splitId(model) : { provider: model.provider, name: model.modelName };
    const providerId = catalogProviders[provider];
    return providerId ? { providerId, name } : undefined;
  }

  return {
    package: PRICE_PACKAGE,
    get version() {
      return priceCatalogVersion();
    },
    ...(display !== undefined ? { overridesFile: display } : {}),
    priceOf(model, usage) {
      if (usage.inputTokens === undefined && usage.outputTokens === undefined) return null;
      const input = usage.inputTokens ?? 0;
      const output = usage.outputTokens ?? 0;
      const o = override(model);
      if (o) return (input * o.inputPerMTok + output * o.outputPerMTok) / 1_000_000;
      const key = catalogKey(model);
      if (!key) return null;
      const r = calcPrice()({ input_tokens: input, output_tokens: output }, key.name, {
        providerId: key.providerId,
      });
      return r ? r.total_price : null;
    },
    describe(model) {
      const o = override(model);
      if (o) return { ...o };
      const key = catalogKey(model);
      if (!key) return null;
      const r = calcPrice()({ input_tokens: 0, output_tokens: 0 }, key.name, { providerId: key.providerId });
      if (!r) return null;
      const inputPerMTok = baseRate(r.model_price.input_mtok);
      const outputPerMTok = baseRate(r.model_price.output_mtok);
      if (inputPerMTok === undefined || outputPerMTok === undefined) return null;
      return { inputPerMTok, outputPerMTok };
    },
  };
}

export { estimateTokens } from './estimate-tokens.ts';
