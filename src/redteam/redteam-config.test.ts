import { describe, expect, it } from 'vitest';
import { ConfigError, ConfigErrors } from '../core/errors.ts';
import { parseRedteamConfig } from './redteam-config.ts';

function errorOf(text: string): string {
  try {
    parseRedteamConfig(text, 'redteam.yaml');
  } catch (e) {
    if (e instanceof ConfigError || e instanceof ConfigErrors) return e.message;
    throw e;
  }
  throw new Error('expected a config error');
}

describe('parseRedteamConfig', () => {
  it('fills defaults', () => {
    const c = parseRedteamConfig('target: { input: message }\nplugins: [prompt-injection]\n', 'redteam.yaml');
    expect(c).toMatchObject({ suite: 'redteam', attempts: 6, seed: 0, strategies: [], top: 5 });
    expect(c.plugins).toEqual([{ id: 'prompt-injection', attempts: 6 }]);
  });

  it('names file, line and field for a bad plugin, with a suggestion', () => {
    expect(errorOf('target: { input: message }\nplugins:\n  - prompt-injektion\n')).toMatch(
      /^redteam\.yaml:3:\d+: plugins\[0\]: .*prompt-injection/,
    );
  });

  it('rejects unknown keys and strategies, and model strategies without an attacker', () => {
    expect(errorOf('target: { input: message }\nplugins: [sycophancy]\nstrategy: [base64]\n')).toMatch(
      /strategy/,
    );
    expect(errorOf('target: { input: message }\nplugins: [sycophancy]\nstrategies: [base65]\n')).toMatch(
      /redteam\.yaml:3:\d+: strategies\[0\]: unknown strategy 'base65'/,
    );
    expect(
      errorOf('target: { input: message }\nplugins: [sycophancy]\nstrategies: [base64, paraphrase]\n'),
    ).toMatch(/redteam\.yaml:3:\d+: strategies\[1\]: strategy 'paraphrase' needs an attacker model/);
    expect(errorOf('target: { input: message }\nplugins: [sycophancy]\nstrategies: [multi-turn]\n')).toMatch(
      /strategy 'multi-turn' needs an attacker model/,
    );
  });

  it('requires what a plugin needs, at the plugin’s line', () => {
    expect(
      errorOf('target: { input: message }\nplugins:\n  - sycophancy\n  - system-prompt-extraction\n'),
    ).toMatch(/^redteam\.yaml:4:\d+: plugins\[1\]: plugin 'system-prompt-extraction' needs a canary/);
    expect(errorOf('target: { input: message }\nplugins: [harmful-content]\n')).toMatch(/grader\.judge/);
    expect(errorOf('target: { input: message }\nplugins: [excessive-agency]\n')).toMatch(/forbiddenTools/);
    expect(errorOf('target: { input: message }\nplugins: [tool-injection]\n')).toMatch(
      /target\.toolInjection/,
    );
    expect(errorOf('target: { input: message, canary: short }\nplugins: [sycophancy]\n')).toMatch(
      /target\.canary/,
    );
  });

  it('rejects a plugin listed twice and an empty file', () => {
    expect(errorOf('target: { input: message }\nplugins: [sycophancy, sycophancy]\n')).toMatch(
      /listed twice/,
    );
    expect(errorOf('')).toMatch(/empty/);
  });
});
