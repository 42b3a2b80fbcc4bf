import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AssayError } from '../core/errors.ts';
import { withNoNetwork } from '../test-helpers/with-no-network.ts';
import { openRunModels } from './open-run-models.ts';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'assay-runmodels-'));
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

const ask = { messages: [{ role: 'user' as const, content: 'hello' }], settings: {} };

describe('openRunModels', () => {
  it('record and replay together are a usage error (exit 2)', () => {
    const e = (() => {
      try {
        openRunModels([{ id: 'fake:echo' }], { root, cwd: root, env: {}, record: 'a', replay: 'b' });
      } catch (err) {
        return err;
      }
    })();
    expect(e).toBeInstanceOf(AssayError);
    expect((e as AssayError).exitCode).toBe(2);
    expect((e as Error).message).toMatch(/--record and --replay cannot be used together/);
  });

  it('replay needs no API key and builds no real adapter; a missing folder is exit 2', () => {
    mkdirSync(join(root, 'rec'));
    const models = openRunModels(
      [{ id: 'openai:gpt-4o-mini' }, { id: 'anthropic:claude-x', model: 'claude-3' }],
      {
        root,
        cwd: root,
        env: {},
        replay: 'rec',
      },
    );
    expect(models.resolve('openai:gpt-4o-mini').modelName).toBe('gpt-4o-mini');
    expect(models.resolve('anthropic:claude-x').modelName).toBe('claude-3');
    expect(() => models.resolve('openai:other')).toThrow(/not configured/);
    expect(() => openRunModels([{ id: 'fake:echo' }], { root, cwd: root, env: {}, replay: 'nope' })).toThrow(
      /replay folder .*nope does not exist/,
    );
    // without replay the same model needs its key
    expect(() => openRunModels([{ id: 'openai:gpt-4o-mini' }], { root, cwd: root, env: {} })).toThrow(
      /OPENAI_API_KEY is not set/,
    );
  });

  it('record wraps the real port; the recording then replays offline', async () => {
    const rec = openRunModels([{ id: 'fake:echo' }], { root, cwd: root, env: {}, record: 'rec' });
    const answer = await rec.resolve('fake:echo').generate(ask);
    expect(readdirSync(join(root, 'rec')).filter((f) => f.endsWith('.json'))).toHaveLength(1);
    const replay = openRunModels([{ id: 'fake:echo' }], { root, cwd: root, env: {}, replay: 'rec' });
    expect(await withNoNetwork(() => replay.resolve('fake:echo').generate(ask))).toEqual(answer);
  });
});
