import { createHash } from 'node:crypto';
import { canonicalJson } from '../core/canonical-json.ts';
import type { ChatMessage, JsonSchema, ModelSettings, ToolSpec } from '../core/types.ts';

/**
 * Response-cache keys. A key is the sha256 of everything that decides a model's answer: the configured
 * model id, the vendor model name, the base URL (credentials removed), the rendered messages, the
 * effective settings, the output schema, the tools, and the repeat index (so repeats are independent
 * samples). API keys and header values are not inputs, so they can never be in a key.
 */
export interface CacheKeyParts {
  modelId: string;
  /** The vendor's model name (`gpt-4o-mini`, `llama3.2`). */
  modelName: string;
  baseUrl?: string;
  settings: ModelSettings;
  outputSchema?: JsonSchema;
  tools?: ToolSpec[];
  /** The port's cacheIdentity (fake script, local file), when it has one. */
  identity?: string;
  /** Top log-probabilities asked for: an answer without them cannot serve a call that needs them. */
  topLogprobs?: number;
  /** The port answers from the case's vars and id (targets): both are part of every key. */
  keyByVars?: boolean;
}

/** What a target answers from besides the messages (see `keyByVars`). */
export interface CaseInput {
  vars?: Record<string, unknown>;
  caseId?: string;
}

const VERSION = 'assay-cache-v1';

/**
 * Builds the key function for one prompt × model: the fixed parts are canonicalised once, so each call
 * only serialises its messages and hashes.
 */
export function createCacheKeyer(
  parts: CacheKeyParts,
): (messages: ChatMessage[], repeat: number, input?: CaseInput) => string {
  const fixed = canonicalJson({
    modelId: parts.modelId,
    modelName: parts.modelName,
    baseUrl: parts.baseUrl === undefined ? undefined : stripCredentials(parts.baseUrl),
    settings: parts.settings,
    outputSchema: parts.outputSchema,
    tools: parts.tools,
    identity: parts.identity,
    // Absent (undefined is dropped) for ordinary calls, so their keys are unchanged.
    topLogprobs: parts.topLogprobs,
  });
  return (messages, repeat, input) => {
    // [role, content] pairs: a fixed shape, so plain JSON.stringify is canonical here.
    // Tool turns (agents) add their calls and ids; plain messages keep their old keys.
    const msgs = JSON.stringify(
      messages.map((m) =>
        m.toolCalls?.length || m.toolCallId !== undefined
          ? [m.role, m.content, m.toolCalls ?? null, m.toolCallId ?? null]
          : [m.role, m.content],
      ),
    );
    const hash = createHash('sha256')
      .update(VERSION)
      .update('\n')
      .update(fixed)
      .update('\n')
      .update(msgs)
      .update(`\n${repeat}`);
    // Only for ports that answer from vars, so model keys are unchanged.
    if (parts.keyByVars)
      hash.update(`\n${canonicalJson({ vars: input?.vars ?? {}, caseId: input?.caseId ?? null })}`);
    return hash.digest('hex');
  };
}

/** One key (see createCacheKeyer for repeated use). */
export function cacheKey(
  parts: CacheKeyParts & { messages: ChatMessage[]; repeat: number; input?: CaseInput },
): string {
  return createCacheKeyer(parts)(parts.messages, parts.repeat, parts.input);
}

/**
 * A base URL fit to store in a manifest (and to key the cache by): userinfo and fragment are dropped and
 * every query value is redacted, keeping the names (some gateways take their key in the query), so
 * `https://u:secret@host/v1?key=abc&v=2#t` → `https://host/v1?key=REDACTED&v=REDACTED`. Text that is
 * not a URL gets the same treatment, as well as patterns can give it.
 */
export function stripCredentials(url: string): string {
  if (!URL.canParse(url))
    return url
      .replace(/\/\/[^/?#@]*@/, '//')
      .replace(/([?&][^=&#]*)=[^&#]*/g, '$1=REDACTED')
      .replace(/#.*$/s, '');
  const u = new URL(url);
  if (!u.username && !u.password && !u.search && !u.hash) return url;
  u.username = '';
  u.password = '';
  u.hash = '';
  if (u.search) {
    const redacted = new URLSearchParams();
    for (const name of u.searchParams.keys()) redacted.append(name, 'REDACTED');
    u.search = redacted.toString();
  }
  return u.toString();
}
