import { describe, expect, it } from 'vitest';
import type { ResultRecord } from '../core/types.ts';
import {
  caseInputText,
  INPUT_MAX_CHARS,
  matchesResult,
  OUTPUT_MAX_CHARS,
  orderResultEntries,
  toResultEntry,
  truncateText,
} from './result-rows.ts';

const record = (over: Partial<ResultRecord>): ResultRecord => ({
  runId: 'r',
  prompt: 'p',
  promptVersion: 'v1',
  modelId: 'm1',
  caseId: 'c1',
  repeat: 0,
  status: 'pass',
  output: 'hello',
  checks: [{ type: 'contains', pass: true, reason: 'ok', details: { big: 'x'.repeat(100) } }],
  usage: {},
  cost: 0.001,
  attempts: 1,
  cached: false,
  createdAt: '2026-01-01T00:00:00Z',
  ...over,
});

describe('result rows', () => {
  it('cuts long outputs to 4,000 characters, never inside a surrogate pair', () => {
    const e = toResultEntry(record({ output: 'a'.repeat(OUTPUT_MAX_CHARS + 10) }));
    expect(e.output).toHaveLength(OUTPUT_MAX_CHARS);
    expect(e.outputTruncated).toBe(true);
    const emoji = `${'a'.repeat(OUTPUT_MAX_CHARS - 1)}😀`;
    expect(truncateText(emoji, OUTPUT_MAX_CHARS).text).toBe('a'.repeat(OUTPUT_MAX_CHARS - 1));
    expect(toResultEntry(record({})).outputTruncated).toBe(false);
  });

  it('keeps the small fields of checks (no details) and a one-line error', () => {
    const e = toResultEntry(
      record({ status: 'error', output: undefined, error: { kind: 'timeout', message: 'after 60 s' } }),
    );
    expect(e.checks).toStrictEqual([{ type: 'contains', pass: true, reason: 'ok' }]);
    expect(e.error).toBe('timeout: after 60 s');
    expect(e.output).toBe('');
  });

  it('orders by case (first seen), then prompt and model of the manifest, then repeat', () => {
    const entries = [
      record({ caseId: 'b', modelId: 'm2', repeat: 1 }),
      record({ caseId: 'a', modelId: 'm1' }),
      record({ caseId: 'b', modelId: 'm1' }),
      record({ caseId: 'b', modelId: 'm2', repeat: 0 }),
      record({ caseId: 'b', modelId: 'm1', promptVersion: 'v0' }),
    ].map(toResultEntry);
    const ordered = orderResultEntries(entries, { promptVersions: ['v0', 'v1'], models: ['m1', 'm2'] });
    expect(ordered.map((e) => `${e.caseId} ${e.promptVersion} ${e.modelId} ${e.repeat}`)).toStrictEqual([
      'b v0 m1 0',
      'b v1 m1 0',
      'b v1 m2 0',
      'b v1 m2 1',
      'a v1 m1 0',
    ]);
  });

  it('renders case variables as short text', () => {
    expect(caseInputText({ name: 'Maria', n: 3, tags: ['a'] })).toBe('name: Maria\nn: 3\ntags: ["a"]');
    const long = caseInputText({ text: 'x'.repeat(1000) });
    expect(long).toHaveLength(INPUT_MAX_CHARS);
    expect(long.endsWith('…')).toBe(true);
    expect(caseInputText(undefined)).toBe('');
  });

  it('filters by status and by text in case, model, input, output and error', () => {
    const e = toResultEntry(record({ caseId: 'Refund-1', output: 'See you' }));
    expect(matchesResult(e, 'message: hi', {})).toBe(true);
    expect(matchesResult(e, '', { status: 'fail' })).toBe(false);
    expect(matchesResult(e, '', { q: 'refund' })).toBe(true);
    expect(matchesResult(e, '', { q: 'see y' })).toBe(true);
    expect(matchesResult(e, 'message: kettle', { q: 'kettle' })).toBe(true);
    expect(matchesResult(e, '', { q: 'kettle' })).toBe(false);
  });
});
