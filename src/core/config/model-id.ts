import { parseCustomRef } from '../checks/parse-custom-ref.ts';
import { closestMatch } from '../did-you-mean.ts';
import { LOCAL_MODEL_FORMS, parseLocalModelRef } from './local-model-ref.ts';

/** Providers a model id may name: `provider:name`. */
export const MODEL_PROVIDERS = [
  'openai',
  'anthropic',
  'google',
  'openai-compatible',
  'fake',
  'local',
  // Targets: a team's own application evaluated like a model (docs/targets.md).
  'http',
  'file',
] as const;

export type ModelProvider = (typeof MODEL_PROVIDERS)[number];

/** What is wrong with a model id, in words, with a hint; `undefined` when it is valid. */
export interface ModelIdProblem {
  problem: string;
  expected: string;
  hint?: string;
}

const EXPECTED = `'provider:name' with provider one of: ${MODEL_PROVIDERS.join(', ')}`;

/** Splits `openai-compatible:llama3.2` into provider and name; `undefined` when the id is not valid. */
export function parseModelId(id: string): { provider: ModelProvider; name: string } | undefined {
  const colon = id.indexOf(':');
  if (colon <= 0) return undefined;
  const provider = id.slice(0, colon);
  const name = id.slice(colon + 1);
  if (!name || !(MODEL_PROVIDERS as readonly string[]).includes(provider)) return undefined;
  if (provider === 'local' && !parseLocalModelRef(name)) return undefined;
  if (provider === 'file' && !parseCustomRef(id)) return undefined;
  return { provider: provider as ModelProvider, name };
}

/** Checks `provider:name`; returns the problem (with a suggested id when one is likely) or undefined. */
export function checkModelId(id: string): ModelIdProblem | undefined {
  if (parseModelId(id)) return undefined;
  const colon = id.indexOf(':');
  if (colon < 0) {
    const guess = guessProvider(id);
    return {
      problem: `model id '${id}' has no provider`,
      expected: EXPECTED,
      hint: guess
        ? `did you mean '${guess}:${id}'?`
        : `write it as e.g. 'openai:${id}' or 'openai-compatible:${id}'`,
    };
  }
  const provider = id.slice(0, colon);
  const name = id.slice(colon + 1);
  if (!name) return { problem: `model id '${id}' has no model name after the ':'`, expected: EXPECTED };
  if (provider === 'local')
    return {
      problem: `'${name}' is not a local model`,
      expected: LOCAL_MODEL_FORMS,
      hint:
        name.includes('/') || name.includes('.')
          ? 'a model file must end in .gguf'
          : `for a model served by Ollama or llama.cpp's server use 'openai-compatible:${name}' with a baseUrl`,
    };
  if (provider === 'file')
    return {
      problem: `'${id}' is not a file target`,
      expected:
        "'file:PATH#EXPORT', e.g. 'file:targets/app.ts#answer' (a module in the project and its exported function)",
    };
  const suggestion = closestMatch(provider, [...MODEL_PROVIDERS]);
  return {
    problem: `unknown model provider '${provider}' in '${id}'`,
    expected: EXPECTED,
    hint: suggestion ? `did you mean '${suggestion}:${name}'?` : undefined,
  };
}

function guessProvider(name: string): string | undefined {
  const n = name.toLowerCase();
  if (/^(gpt|o\d|chatgpt|text-embedding)/.test(n)) return 'openai';
  if (n.startsWith('claude')) return 'anthropic';
  if (n.startsWith('gemini')) return 'google';
  if (/^(llama|mistral|qwen|phi|gemma|deepseek)/.test(n)) return 'openai-compatible';
  return undefined;
}
