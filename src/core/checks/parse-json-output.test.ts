import { describe, expect, it } from 'vitest';
import { parseJsonOutput, stripJsonFence } from './parse-json-output.ts';

describe('parseJsonOutput', () => {
  it('parses plain and fenced JSON', () => {
    expect(parseJsonOutput(' {"a":1} ')).toEqual({ ok: true, value: { a: 1 } });
    expect(parseJsonOutput('```json\n{"a":1}\n```')).toEqual({ ok: true, value: { a: 1 } });
    expect(parseJsonOutput('```JSON\r\n[1]\r\n```\n')).toEqual({ ok: true, value: [1] });
  });

  it('reports the parse error', () => {
    const r = parseJsonOutput('{"a":');
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error.length > 0).toBe(true);
  });

  it('only strips a fence that wraps the whole output', () => {
    expect(stripJsonFence('x\n```json\n{}\n```')).toBe('x\n```json\n{}\n```');
    expect(stripJsonFence('```python\n1\n```')).toBe('```python\n1\n```');
  });
});
