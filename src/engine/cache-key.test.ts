import { describe, expect, it } from 'vitest';
import type { ChatMessage } from '../core/types.ts';
import { type CacheKeyParts, cacheKey, createCacheKeyer, stripCredentials } from './cache-key.ts';

const parts: CacheKeyParts = {
  modelId: 'openai-compatible:local',
  modelName: 'llama3.2',
  baseUrl: 'http://127.0.0.1:11434/v1',
  settings: { temperature: 0, maxTokens: 100 },
  outputSchema: { type: 'object', properties: { a: { type: 'string' } } },
  tools: [{ name: 't', parameters: { type: 'object' } }],
};
const messages: ChatMessage[] = [
  { role: 'system', content: 'Be brief.' },
  { role: 'user', content: 'Hi' },
];

describe('cache keys', () => {
  it('are sha256 hex, stable, and independent of key order in settings and schemas', () => {
    const k = cacheKey({ ...parts, messages, repeat: 0 });
    expect(k).toMatch(/^[0-9a-f]{64}$/);
    expect(cacheKey({ ...parts, messages, repeat: 0 })).toBe(k);
    const reordered: CacheKeyParts = {
      tools: parts.tools,
      outputSchema: { properties: { a: { type: 'string' } }, type: 'object' },
      settings: { maxTokens: 100, temperature: 0 },
      baseUrl: parts.baseUrl,
      modelName: parts.modelName,
      modelId: parts.modelId,
    };
    expect(cacheKey({ ...reordered, messages, repeat: 0 })).toBe(k);
    expect(createCacheKeyer(parts)(messages, 0)).toBe(k);
  });

  it('change with every input that decides the answer, including the repeat index', () => {
    const k = cacheKey({ ...parts, messages, repeat: 0 });
    const variants: (CacheKeyParts & { messages: ChatMessage[]; repeat: number })[] = [
      { ...parts, messages, repeat: 1 },
      { ...parts, modelId: 'openai-compatible:other', messages, repeat: 0 },
      { ...parts, modelName: 'llama3.3', messages, repeat: 0 },
      { ...parts, baseUrl: 'http://127.0.0.1:8080/v1', messages, repeat: 0 },
      { ...parts, settings: { temperature: 0.1, maxTokens: 100 }, messages, repeat: 0 },
      { ...parts, outputSchema: undefined, messages, repeat: 0 },
      { ...parts, tools: undefined, messages, repeat: 0 },
      {
        ...parts,
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: 'Hi!' },
        ],
        repeat: 0,
      },
      {
        ...parts,
        messages: [
          { role: 'user', content: 'Be brief.' },
          { role: 'user', content: 'Hi' },
        ],
        repeat: 0,
      },
    ];
    const keys = new Set(variants.map((v) => cacheKey(v)));
    expect(keys.size).toBe(variants.length);
    expect(keys.has(k)).toBe(false);
  });

  it('include the top log-probabilities asked for; calls without them keep their old keys', () => {
    const judge = {
      modelId: 'fake:judge',
      modelName: 'judge',
      settings: { temperature: 0 },
      messages: [{ role: 'user' as const, content: 'hi' }],
      repeat: 0,
    };
    // The key assay-cache-v1 gave this call before topLogprobs existed: existing caches stay valid.
    expect(cacheKey(judge)).toBe('d4375bc0173ab4960e936d38f5ef4c1a2efdfd8beee234e67b3c6270200b55dc');
    const withLogprobs = cacheKey({ ...judge, topLogprobs: 20 });
    expect(withLogprobs).not.toBe(cacheKey(judge));
    expect(cacheKey({ ...judge, topLogprobs: 5 })).not.toBe(withLogprobs);
  });

  it('message boundaries matter (no ambiguity from concatenation)', () => {
    const a = cacheKey({ ...parts, messages: [{ role: 'user', content: 'ab' }], repeat: 0 });
    const b = cacheKey({
      ...parts,
      messages: [
        { role: 'user', content: 'a' },
        { role: 'user', content: 'b' },
      ],
      repeat: 0,
    });
    expect(a).not.toBe(b);
  });

  it('credentials in a base URL do not reach the key', () => {
    const withCreds = cacheKey({
      ...parts,
      baseUrl: 'http://user:s3cret@127.0.0.1:11434/v1',
      messages,
      repeat: 0,
    });
    expect(withCreds).toBe(cacheKey({ ...parts, messages, repeat: 0 }));
    expect(stripCredentials('https://u:p@host/v1')).toBe('https://host/v1');
    expect(stripCredentials('not a url')).toBe('not a url');
  });
});

describe('stripCredentials', () => {
  it('redacts every query value, keeping the names', () => {
    expect(stripCredentials('https://gw.example/v1?key=sk-123')).toBe('https://gw.example/v1?key=REDACTED');
    expect(stripCredentials('https://gw.example/v1?api-version=2024-06&key=a%20b&flag')).toBe(
      'https://gw.example/v1?api-version=REDACTED&key=REDACTED&flag=REDACTED',
    );
    expect(stripCredentials('https://gw.example/v1?key=1&key=2')).toBe(
      'https://gw.example/v1?key=REDACTED&key=REDACTED',
    );
  });

  it('drops userinfo and the fragment, together with the query', () => {
    expect(stripCredentials('http://user:pw@127.0.0.1:9/v1?token=t0k#frag')).toBe(
      'http://127.0.0.1:9/v1?token=REDACTED',
    );
    expect(stripCredentials('https://user@host/v1')).toBe('https://host/v1');
  });

  it('leaves a URL without secrets as it is', () => {
    expect(stripCredentials('http://127.0.0.1:11434/v1')).toBe('http://127.0.0.1:11434/v1');
    expect(stripCredentials('https://api.example.com')).toBe('https://api.example.com');
  });

  it('redacts what it can in text that is not a URL', () => {
    expect(stripCredentials('//u:p@host/v1?key=sk-1&x=2')).toBe('//host/v1?key=REDACTED&x=REDACTED');
    expect(stripCredentials('not a url')).toBe('not a url');
  });

  it('keeps secrets in the query out of cache keys as well', () => {
    const a = cacheKey({ ...parts, baseUrl: 'https://gw.example/v1?key=one', messages, repeat: 0 });
    const b = cacheKey({ ...parts, baseUrl: 'https://gw.example/v1?key=two', messages, repeat: 0 });
    expect(a).toBe(b);
  });
});

describe('cache keys of targets (keyByVars)', () => {
  const msgs: ChatMessage[] = [{ role: 'user', content: 'same text' }];
  const target: CacheKeyParts = { ...parts, modelId: 'http:app', modelName: 'app', keyByVars: true };

  it('differ by the case vars and id, in any key order, when the port answers from them', () => {
    const key = createCacheKeyer(target);
    const a = key(msgs, 0, { vars: { q: 'one', n: 1 }, caseId: 'c1' });
    expect(key(msgs, 0, { vars: { n: 1, q: 'one' }, caseId: 'c1' })).toBe(a);
    expect(key(msgs, 0, { vars: { q: 'two', n: 1 }, caseId: 'c1' })).not.toBe(a);
    expect(key(msgs, 0, { vars: { q: 'one', n: 1 }, caseId: 'c2' })).not.toBe(a);
  });

  it('leave model keys unchanged: vars are ignored without keyByVars', () => {
    const key = createCacheKeyer(parts);
    expect(key(msgs, 0, { vars: { q: 'one' }, caseId: 'c1' })).toBe(key(msgs, 0));
    expect(key(msgs, 0, { vars: { q: 'two' } })).toBe(cacheKey({ ...parts, messages: msgs, repeat: 0 }));
  });
});
