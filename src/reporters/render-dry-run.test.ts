import { describe, expect, it } from 'vitest';
import { renderDryRun } from './render-dry-run.ts';

describe('renderDryRun', () => {
  it('shows totals, a line per target model and a "judge calls" line per judge model', () => {
    const text = renderDryRun({
      calls: 30,
      cachedCalls: 4,
      inputTokens: 12_000,
      outputTokens: 5_000,
      cost: 0.0123,
      perModel: [
        { modelId: 'openai:gpt-4o-mini', calls: 10, inputTokens: 2000, outputTokens: 2560, cost: 0.002 },
      ],
      judgeCalls: [
        {
          modelId: 'openai:gpt-4o',
          judges: ['refund', 'tone'],
          calls: 20,
          cachedCalls: 4,
          inputTokens: 10_000,
          outputTokens: 2_440,
          cost: null,
        },
      ],
      assumptions: ['judge calls: one per planned result per judge check'],
    });
    const lines = text.split('\n');
    expect(lines[0]).toBe('dry run · nothing sent');
    expect(lines[1]).toBe('calls        30 (4 already cached)');
    expect(lines).toContain('  openai:gpt-4o-mini: 10 calls, ~2.0k/2.6k tokens, ~$0.0020');
    expect(lines).toContain(
      '  judge calls openai:gpt-4o (refund, tone): 20 calls (4 cached), ~10k/2.4k tokens, price unknown',
    );
    expect(lines.at(-1)).toBe('assumes: judge calls: one per planned result per judge check');
  });
});
