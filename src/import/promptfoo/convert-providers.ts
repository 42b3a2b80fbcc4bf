import { slug, uniqueNames } from './import-names.ts';
import type { NoteList } from './import-note.ts';

/** An entry of assay.yaml `models:`. */
export interface ModelEntry {
  id: string;
  baseUrl?: string;
  apiKeyEnv?: string;
  model?: string;
  settings?: Record<string, unknown>;
}

export interface ConvertedProvider {
  /** promptfoo's id and label, which results files carry on every row. */
  promptfooId: string;
  label?: string;
  model: ModelEntry;
}

const SETTING_KEYS: Record<string, string> = {
  temperature: 'temperature',
  max_tokens: 'maxTokens',
  maxTokens: 'maxTokens',
  max_completion_tokens: 'maxTokens',
  top_p: 'topP',
  topP: 'topP',
  seed: 'seed',
  stop: 'stop',
};
/** Config keys that say where the endpoint is or which key to use; handled, so not reported. */
const HANDLED = new Set(['apiBaseUrl', 'apiHost', 'baseUrl', 'apiKeyEnvar', 'apiKey']);

/** Normalises `providers:` / `targets:` (string, list, `{ id: config }` maps) to `{ id, label, config, prompts }`. */
export function providerEntries(
  raw: unknown,
): { id: unknown; label?: unknown; config?: unknown; prompts?: unknown }[] {
  if (raw === undefined || raw === null) return [];
  const list = Array.isArray(raw) ? raw : [raw];
  return list.map((p) => {
    if (typeof p === 'string') return { id: p };
    if (p && typeof p === 'object') {
      const o = p as Record<string, unknown>;
      if ('id' in o) return o as { id: unknown };
      const keys = Object.keys(o);
      if (keys.length === 1) {
        const inner = (o[keys[0] as string] ?? {}) as Record<string, unknown>;
        return { id: keys[0], ...inner };
      }
    }
    return { id: p };
  });
}

/**
 * promptfoo providers → Assay models: `openai:`, `anthropic:`, `google:`/`vertex:` (→ `google:`), any of
 * them with `apiBaseUrl` (→ `openai-compatible:` with `baseUrl`), `echo` (→ `fake:echo`). Everything else
 * is noted. Ids are made unique (the same vendor model with two configs gets `-LABEL`).
 */
export function convertProviders(raw: unknown, notes: NoteList, where = 'providers'): ConvertedProvider[] {
  const out: ConvertedProvider[] = [];
  providerEntries(raw).forEach((p, i) => {
    const at = `${where}[${i}]`;
    const id = p.id;
    const label = typeof p.label === 'string' ? p.label : undefined;
    if (typeof id !== 'string') {
      notes.dropped(
        at,
        typeof id,
        'custom provider functions have no Assay equivalent; see docs/targets.md (file: targets)',
      );
      return;
    }
    const model = convertProviderId(id, (p.config ?? {}) as Record<string, unknown>, notes, at);
    if (!model) return;
    if (p.prompts !== undefined)
      notes.changed(
        at,
        `${id} prompts:`,
        'every prompt runs on every model; filter with `assay eval --prompt/--model`',
      );
    out.push({ promptfooId: id, ...(label ? { label } : {}), model });
  });
  // The same id twice (e.g. two temperatures): keep the first, rename the others after their label.
  const ids = uniqueNames(
    out.map((c, i) =>
      out.findIndex((o) => o.model.id === c.model.id) === i
        ? c.model.id
        : `${c.model.id}-${slug(c.label ?? '') || 'alt'}`,
    ),
  );
  out.forEach((c, i) => {
    const newId = ids[i] as string;
    if (newId !== c.model.id) {
      c.model.model ??= c.model.id.slice(c.model.id.indexOf(':') + 1);
      c.model.id = newId;
    }
  });
  return out;
}

/** One promptfoo provider id (with its config) → an Assay model entry, or undefined (noted). */
export function convertProviderId(
  id: string,
  config: Record<string, unknown>,
  notes: NoteList,
  at: string,
): ModelEntry | undefined {
  if (id === 'echo') return { id: 'fake:echo' };
  const m =
    /^(openai|anthropic|google|vertex|azure|ollama)(?::(chat|messages|responses|completion))?:(.+)$/.exec(id);
  const vendor = m?.[1];
  const name = m?.[3];
  if (
    !m ||
    !vendor ||
    !name ||
    /^(embeddings?|image|moderation|realtime|audio|assistant|tts|transcription)\b/.test(name)
  ) {
    notes.dropped(
      at,
      id,
      'no Assay model for this provider; Assay supports openai, anthropic, google and any OpenAI-compatible server (docs/models.md)',
    );
    return undefined;
  }
  if (vendor === 'azure' || vendor === 'ollama') {
    notes.dropped(
      at,
      id,
      vendor === 'ollama'
        ? 'use `id: openai-compatible:MODEL` with `baseUrl: http://127.0.0.1:11434/v1` (Ollama speaks the OpenAI API)'
        : 'Azure OpenAI is not an Assay provider; an Azure deployment with an OpenAI-compatible endpoint works as openai-compatible',
    );
    return undefined;
  }
  if (m[2] === 'completion') notes.changed(at, id, 'legacy completions become chat completions');
  const entry: ModelEntry = { id: '' };
  const baseUrl = config.apiBaseUrl ?? config.apiHost ?? config.baseUrl;
  if (typeof baseUrl === 'string' && vendor === 'openai') {
    entry.id = `openai-compatible:${name}`;
    entry.baseUrl = /^https?:\/\//.test(baseUrl) ? baseUrl : `https://${baseUrl}`;
  } else {
    entry.id = `${vendor === 'vertex' ? 'google' : vendor}:${name}`;
    if (typeof baseUrl === 'string')
      notes.changed(at, `${id} apiBaseUrl`, `a custom base URL for ${vendor} is not carried over`);
  }
  if (vendor === 'vertex')
    notes.changed(
      at,
      id,
      'Vertex AI becomes Google AI Studio (`google:`), which takes GOOGLE_GENERATIVE_AI_API_KEY, not Vertex credentials',
    );
  if (typeof config.apiKeyEnvar === 'string') entry.apiKeyEnv = config.apiKeyEnvar;
  if (typeof config.apiKey === 'string')
    notes.changed(
      at,
      `${id} apiKey`,
      'API keys are never written to assay.yaml; export the key (or set apiKeyEnv)',
    );
  const settings: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(config)) {
    const to = SETTING_KEYS[k];
    if (to) settings[to] = v;
    else if (!HANDLED.has(k)) notes.dropped(at, `${id} config.${k}`, 'provider option with no Assay setting');
  }
  if (Object.keys(settings).length) entry.settings = settings;
  return entry;
}
