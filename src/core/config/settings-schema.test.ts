import { describe, expect, it } from 'vitest';
import { settingsSchema } from './settings-schema.ts';

function unknownSettings(value: Record<string, unknown>): { key: unknown; hint: unknown }[] {
  const r = settingsSchema.safeParse(value);
  if (r.success) return [];
  return r.error.issues
    .filter((i) => i.code === 'custom')
    .map((i) => ({ key: i.path.at(-1), hint: (i as { params?: { hint?: string } }).params?.hint }));
}

describe('settingsSchema', () => {
  it('rejects a key within two edits of a known setting, suggesting it', () => {
    expect(unknownSettings({ maxToken: 10 })).toEqual([
      { key: 'maxToken', hint: "did you mean 'maxTokens'?" },
    ]);
    expect(unknownSettings({ temprature: 0.2 })).toEqual([
      { key: 'temprature', hint: "did you mean 'temperature'?" },
    ]);
    expect(unknownSettings({ TopP: 0.9, frequencyPenalt: 1, presense_penalty: 1 })).toEqual([
      { key: 'TopP', hint: "did you mean 'topP'?" },
      { key: 'frequencyPenalt', hint: "did you mean 'frequencyPenalty'?" },
      { key: 'presense_penalty', hint: "did you mean 'presencePenalty'?" },
    ]);
  });

  it('still reports a typo next to a wrongly typed known setting', () => {
    const r = settingsSchema.safeParse({ temperature: 'hot', maxToken: 10 });
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => i.path.join('.'))).toEqual(['temperature', 'maxToken']);
  });

  it('passes provider-specific keys through, including wire names close to a known setting', () => {
    const value = {
      temperature: 0,
      topK: 40,
      frequencyPenalty: 0.5,
      presencePenalty: 0.1,
      top_k: 40,
      top_p: 0.9,
      max_tokens: 100,
      repeat_penalty: 1.1,
      reasoning_effort: 'low',
      reasoningEffort: 'low',
      store: false,
      min_p: 0.05,
      thinking: { type: 'enabled' },
    };
    expect(settingsSchema.parse(value)).toEqual(value);
  });
});
