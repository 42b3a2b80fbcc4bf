import { describe, expect, it } from 'vitest';
import { modelFamily, sameModelFamily } from './model-family.ts';

describe('modelFamily', () => {
  it.each([
    ['openai:gpt-4o-mini', { vendor: 'openai', stem: 'gpt-4o' }],
    ['openai:gpt-4o-2024-08-06', { vendor: 'openai', stem: 'gpt-4o' }],
    ['openai:gpt-4.1-nano', { vendor: 'openai', stem: 'gpt-4.1' }],
    ['openai:chatgpt-4o-latest', { vendor: 'openai', stem: 'gpt-4o' }],
    ['openai:o3-mini', { vendor: 'openai', stem: 'o3' }],
    ['anthropic:claude-3-5-sonnet-20241022', { vendor: 'anthropic', stem: 'claude' }],
    ['google:gemini-1.5-flash', { vendor: 'google', stem: 'gemini' }],
    ['openai-compatible:llama3.2:1b', { stem: 'llama' }],
    ['openai-compatible:meta-llama/Llama-3.1-8B-Instruct', { stem: 'llama' }],
    ['openai-compatible:qwen2.5:7b', { stem: 'qwen' }],
    ['local:./models/Meta-Llama-3.1-8B-Instruct-Q4_K_M.gguf', { stem: 'llama' }],
    ['local:hf:Qwen/Qwen2.5-0.5B-Instruct-GGUF/qwen2.5-0.5b-instruct-q4_k_m.gguf@abc123', { stem: 'qwen' }],
    ['local:default', { stem: 'qwen' }],
    ['fake:judge', { vendor: 'fake', stem: 'judge' }],
  ])('%s → %o', (id, family) => {
    expect(modelFamily(id)).toEqual(family);
  });
});

describe('sameModelFamily', () => {
  it.each([
    // same vendor and stem
    ['openai:gpt-4o-mini', 'openai:gpt-4o', true],
    ['anthropic:claude-3-5-sonnet-latest', 'anthropic:claude-3-haiku-20240307', true],
    ['google:gemini-2.0-flash', 'google:gemini-1.5-pro', true],
    ['openai:o3', 'openai:o3-mini', true],
    // identical ids, whatever they are
    ['fake:judge', 'fake:judge', true],
    ['openai-compatible:my-model', 'openai-compatible:my-model', true],
    // openai-compatible and local models are matched by name stem alone
    ['openai-compatible:llama3.2', 'local:./models/llama-3.1-8b-instruct.gguf', true],
    ['openai-compatible:qwen2.5:0.5b', 'local:default', true],
    ['openai-compatible:gpt-4o-mini', 'openai:gpt-4o', true],
    ['openai-compatible:qwq', 'openai-compatible:qwen2.5', true],
    ['openai-compatible:codellama', 'local:./llama-2-7b.gguf', true],
    // different families
    ['openai:gpt-4o-mini', 'openai:gpt-4.1', false],
    ['openai:gpt-4o', 'openai:o3', false],
    ['openai:gpt-4o', 'anthropic:claude-3-5-sonnet', false],
    ['anthropic:claude-3-haiku', 'google:gemini-1.5-flash', false],
    ['google:gemini-1.5-flash', 'google:gemma-2-9b', false],
    ['openai-compatible:llama3.2', 'openai-compatible:qwen2.5', false],
    ['openai-compatible:mistral-large', 'local:default', false],
    ['fake:judge', 'fake:echo', false],
    // a hosted vendor never matches another hosted vendor, even on the same stem
    ['fake:gpt-4o', 'openai:gpt-4o', false],
  ])('%s vs %s → %s', (a, b, same) => {
    expect(sameModelFamily(a, b)).toBe(same);
    expect(sameModelFamily(b, a)).toBe(same);
  });
});
