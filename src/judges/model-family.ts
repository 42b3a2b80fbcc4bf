import { DEFAULT_LOCAL_MODEL, DEFAULT_LOCAL_MODEL_ID } from '../models/local/default-local-model.ts';

export interface ModelFamily {
  /** The vendor for hosted providers (openai, anthropic, google, fake); undefined for
   * openai-compatible and local models, whose vendor only the model name can tell. */
  vendor?: string;
  /** The family stem of the model name: `gpt-4o`, `o3`, `claude`, `gemini`, `llama`, `qwen`, … */
  stem: string;
}

const GENERIC_PROVIDERS = new Set(['openai-compatible', 'local']);
// Names whose leading letters differ from the family they belong to.
const STEM_ALIASES: Record<string, string> = { codellama: 'llama', qwq: 'qwen', chatgpt: 'gpt' };

/**
 * The family of a `provider:name` model id, for the self-preference warning (stats-judges.md §5.1, §5.8:
 * judges favour outputs of their own family). The stem is the model name without organisation, path,
 * tag, revision or `.gguf`, reduced to its family: `gpt-` plus its version (`gpt-4o-mini` → `gpt-4o`,
 * `gpt-4.1-nano` → `gpt-4.1`), `o` plus its number (`o3-mini` → `o3`), otherwise the leading letters
 * (`claude-3-5-sonnet` → `claude`, `llama3.2` → `llama`, `qwen2.5-7b` → `qwen`). Pure.
 */
export function modelFamily(id: string): ModelFamily {
  const colon = id.indexOf(':');
  const provider = colon < 0 ? '' : id.slice(0, colon);
  let name = colon < 0 ? id : id.slice(colon + 1);
  if (id === DEFAULT_LOCAL_MODEL_ID) name = DEFAULT_LOCAL_MODEL.file;
  name = name
    .toLowerCase()
    .replace(/@[^/]*$/, '') // hf:…/file.gguf@revision
    .replace(/\.gguf$/, '');
  name = name.slice(name.lastIndexOf('/') + 1); // organisation or folder: meta-llama/…, ./models/…
  name = name.replace(/:[^:]*$/, ''); // Ollama tag: llama3.2:1b
  name = name.replace(/^meta-(?=llama)/, '');
  return {
    ...(GENERIC_PROVIDERS.has(provider) || !provider ? {} : { vendor: provider }),
    stem: stemOf(name),
  };
}

function stemOf(name: string): string {
  const gpt = /^(?:chat)?gpt-?([a-z0-9.]+)/.exec(name);
  if (gpt) return `gpt-${gpt[1]}`;
  const oSeries = /^(o\d+)(?:-|$)/.exec(name);
  if (oSeries) return oSeries[1] as string;
  const letters = /^[a-z]+/.exec(name)?.[0];
  if (!letters) return name;
  return STEM_ALIASES[letters] ?? letters;
}

/**
 * Whether two model ids are of the same family: identical ids, or the same family stem and, when both are
 * hosted, the same vendor (an openai-compatible or local model is matched by its name alone).
 */
export function sameModelFamily(a: string, b: string): boolean {
  if (a === b) return true;
  const fa = modelFamily(a);
  const fb = modelFamily(b);
  if (!fa.stem || fa.stem !== fb.stem) return false;
  return fa.vendor === undefined || fb.vendor === undefined || fa.vendor === fb.vendor;
}
