import { describe, expect, it } from 'vitest';
import type { PromptVersionRecord } from '../store/store.ts';
import { promptRows } from './prompt-rows.ts';

const v = (name: string, version: string, createdAt: string, extra: Partial<PromptVersionRecord> = {}) => ({
  name,
  version,
  file: `${name}.prompt.md`,
  source: '',
  createdAt,
  ...extra,
});

describe('promptRows', () => {
  it('groups versions by prompt, newest first, with the labels pointing at each', () => {
    const rows = promptRows(
      [
        v('support', 'aaaa1111', '2026-01-01T00:00:00Z', { message: 'first' }),
        v('support', 'bbbb2222', '2026-01-02T00:00:00Z', { author: 'Tess' }),
        v('triage', 'cccc3333', '2026-01-01T00:00:00Z'),
      ],
      { support: { production: 'aaaa1111', staging: 'bbbb2222', canary: 'bbbb2222' } },
    );
    expect(rows).toStrictEqual([
      {
        name: 'support',
        versions: [
          {
            version: 'bbbb2222',
            createdAt: '2026-01-02T00:00:00Z',
            author: 'Tess',
            labels: ['canary', 'staging'],
          },
          {
            version: 'aaaa1111',
            createdAt: '2026-01-01T00:00:00Z',
            message: 'first',
            labels: ['production'],
          },
        ],
      },
      { name: 'triage', versions: [{ version: 'cccc3333', createdAt: '2026-01-01T00:00:00Z', labels: [] }] },
    ]);
  });

  it('lists a label pointing at a version the store never recorded', () => {
    expect(promptRows([], { other: { production: 'dddd4444' } })).toStrictEqual([
      { name: 'other', versions: [{ version: 'dddd4444', createdAt: '', labels: ['production'] }] },
    ]);
  });
});
