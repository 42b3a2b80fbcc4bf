import { canonicalJson } from '../canonical-json.ts';
import { sha256Hex } from '../sha256-hex.ts';
import type { ChatMessage, JsonSchema, ModelSettings, ToolSpec, VariableSpec } from '../types.ts';

/** What a prompt's version covers: everything that changes what is sent to the model. */
export interface PromptContent {
  messages: ChatMessage[];
  settings: ModelSettings;
  variables: Record<string, VariableSpec>;
  outputSchema?: JsonSchema;
  tools?: ToolSpec[];
  model?: string;
  /** Chain-of-thought variants: the answer regex (changes what the checks see). */
  extract?: string;
}

/**
 * The canonical source of a prompt: sorted-key JSON of messages (LF line endings, trailing whitespace
 * stripped per line, trimmed), settings, variables (type and default only), output schema, tools and
 * default model. Name and descriptions are left out: renaming or re-documenting keeps the version.
 */
export function canonicalPrompt(content: PromptContent): string {
  const variables: Record<string, { type: string; default?: unknown }> = {};
  for (const [name, spec] of Object.entries(content.variables))
    variables[name] = { type: spec.type, default: spec.default };
  return canonicalJson({
    messages: content.messages.map((m) => ({ role: m.role, content: normalizeText(m.content) })),
    settings: content.settings,
    variables,
    outputSchema: content.outputSchema,
    tools: content.tools,
    model: content.model,
    // Absent (dropped by canonicalJson) on ordinary prompts, so their versions do not change.
    extract: content.extract,
  });
}

/** First 12 hex characters of the sha256 of the canonical source: same content → same version. */
export function promptVersion(canonical: string): string {
  return sha256Hex(canonical).slice(0, 12);
}

function normalizeText(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((l) => l.replace(/[ \t]+$/, ''))
    .join('\n')
    .trim();
}
