import { describe, expect, it } from 'vitest';
import { parsePromptRef } from './resolve-run-ref.ts';

describe('parsePromptRef', () => {
  it('splits NAME@REF and leaves run ids, latest~N and git:REF alone', () => {
    expect(parsePromptRef('support@production')).toEqual({ name: 'support', ref: 'production' });
    expect(parsePromptRef('support@3f2a9c')).toEqual({ name: 'support', ref: '3f2a9c' });
    expect(parsePromptRef('latest~2')).toBeUndefined();
    expect(parsePromptRef('01JABCDEF')).toBeUndefined();
    expect(parsePromptRef('git:origin/main')).toBeUndefined();
    expect(parsePromptRef('git:v1@x')).toBeUndefined();
    expect(parsePromptRef('a@b@c')).toBeUndefined();
    expect(parsePromptRef('@production')).toBeUndefined();
  });
});
