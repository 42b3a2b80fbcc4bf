import { AssayError, ConfigError } from '../core/errors.ts';

/** The ways out when no usable model is at hand, printed whenever a model cannot be used. */
export const waysOut = [
  'use a hosted model: export OPENAI_API_KEY=… (or ANTHROPIC_API_KEY / GOOGLE_GENERATIVE_AI_API_KEY) and run `assay eval --model openai:gpt-4o-mini`',
  'use a local OpenAI-compatible server (Ollama, llama.cpp, vLLM, LM Studio): `assay eval --model openai-compatible:llama3.2 --base-url http://127.0.0.1:11434/v1`',
  'try Assay offline with the scripted fake model: `assay eval --model fake:echo`',
];

export function waysOutText(): string {
  return `Ways out:\n${waysOut.map((w) => `  - ${w}`).join('\n')}`;
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
