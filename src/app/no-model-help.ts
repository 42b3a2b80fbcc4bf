import { AssayError, ConfigError } from '../core/errors.ts';
import {
  DEFAULT_LOCAL_MODEL,
  DEFAULT_LOCAL_MODEL_ID,
  defaultModelSizeText,
} from '../models/local/default-local-model.ts';

/** The ways out when no usable model is at hand, printed whenever a model cannot be used. */
export const waysOut = [
  `pull the default local model once (${DEFAULT_LOCAL_MODEL.uri}, ${defaultModelSizeText()}, ${DEFAULT_LOCAL_MODEL.licence}): \`assay models pull\` — then \`assay eval\` uses it offline as ${DEFAULT_LOCAL_MODEL_ID}`,
  'use a GGUF file you already have: `assay eval --model local:/path/to/model.gguf` (or list it under models: in assay.yaml)',
  'use a hosted model: export OPENAI_API_KEY=… (or ANTHROPIC_API_KEY / GOOGLE_GENERATIVE_AI_API_KEY) and run `assay eval --model openai:gpt-4o-mini`',
  'use a local OpenAI-compatible server (Ollama, llama.cpp, vLLM, LM Studio): `assay eval --model openai-compatible:llama3.2 --base-url http://127.0.0.1:11434/v1`',
  'try Assay offline with the scripted fake model: `assay eval --model fake:echo`',
];

export function waysOutText(): string {
  return `Ways out:\n${waysOut.map((w) => `  - ${w}`).join('\n')}`;
}

/** Why there is nothing to evaluate with: no model configured or named, and the default one not pulled. */
export function noModelMessage(): string {
  return `no model is configured and the default local model has not been pulled, so there is nothing to evaluate with.\n${waysOutText()}`;
}

/** Runs `fn` (a model resolution) and adds the ways out to a ConfigError about a missing key or model. */
export function withModelHelp<T>(fn: () => T, modelId: string): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof ConfigError || e instanceof AssayError)
      throw new AssayError(`cannot use model ${modelId}: ${e.message}\n${waysOutText()}`, 2);
    throw e;
  }
}
