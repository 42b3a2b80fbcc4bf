import { describe, expect, it } from 'vitest';
import { credentialValues } from './credential-values.ts';

describe('credentialValues', () => {
  it('collects apiKeyEnv, header references and key-like variables (long enough, each value once)', () => {
    const env = {
      ACME_LLM: 'acme-secret-value-1',
      TEAM_HEADER: 'header-secret-value',
      OPENAI_API_KEY: 'sk-openai-123456',
      GITHUB_TOKEN: 'ghp_abcdefghijk',
      SHORT_KEY: 'abc',
      HOME: '/home/someone',
      DUPLICATE_SECRET: 'sk-openai-123456',
    };
    const values = credentialValues(
      [
        // biome-ignore lint/suspicious/noTemplateCurlyInString: Assay's own ${ENV} header syntax
        { id: 'openai-compatible:x', apiKeyEnv: 'ACME_LLM', headers: { 'x-team': 'Bearer ${TEAM_HEADER}' } },
        { id: 'openai:gpt-4o-mini' },
      ],
      env,
    );
    expect(values.map((v) => v.name).sort()).toEqual([
      'ACME_LLM',
      'DUPLICATE_SECRET',
      'GITHUB_TOKEN',
      'TEAM_HEADER',
    ]);
    expect(values.find((v) => v.name === 'ACME_LLM')?.value).toBe('acme-secret-value-1');
  });

  it('is empty when nothing secret is set', () => {
    expect(credentialValues([{ id: 'fake:echo' }], { PATH: '/usr/bin' })).toEqual([]);
  });
});
