import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../core/errors.ts';
import { createFakeModel, validateFakeScript } from './fake-model.ts';
import type { ModelRequest } from './model-port.ts';

const root = mkdtempSync(join(tmpdir(), 'assay-fake-history-'));
afterEach(() => rmSync(join(root, 'fake.yaml'), { force: true }));

const request = (...messages: ModelRequest['messages']): ModelRequest => ({ messages, settings: {} });

describe('fake model: the history rule', () => {
  it('matches the turns before the last user message (few-shot examples), not the system prompt or the last turn', async () => {
    writeFileSync(
      join(root, 'fake.yaml'),
      'rules:\n  - history: "example"\n    reply: with examples\ndefault: plain\n',
    );
    const m = createFakeModel({ id: 'fake:bot', script: 'fake.yaml' }, { root });
    const ask = async (r: ModelRequest) => (await m.generate(r)).text;
    expect(await ask(request({ role: 'system', content: 'example' }, { role: 'user', content: 'q' }))).toBe(
      'plain',
    );
    expect(await ask(request({ role: 'user', content: 'an example' }))).toBe('plain');
    expect(
      await ask(
        request(
          { role: 'system', content: 's' },
          { role: 'user', content: 'example 1' },
          { role: 'assistant', content: 'A' },
          { role: 'user', content: 'q' },
        ),
      ),
    ).toBe('with examples');
  });

  it('must be a valid regular expression', () => {
    expect(() => validateFakeScript({ rules: [{ history: '(', reply: 'x' }] }, 'bot.yaml')).toThrow(
      ConfigError,
    );
    expect(() => validateFakeScript({ rules: [{ history: '(', reply: 'x' }] }, 'bot.yaml')).toThrow(
      /rules\[0\]\.history: invalid regular expression/,
    );
  });
});
