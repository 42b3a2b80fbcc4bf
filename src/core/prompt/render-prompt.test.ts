import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.ts';
import type { CaseSpec, PromptSpec } from '../types.ts';
import { parsePrompt } from './parse-prompt.ts';
import { renderCase } from './render-case.ts';
import { renderPrompt } from './render-prompt.ts';
import { resolveVariables } from './resolve-variables.ts';

const prompt = parsePrompt(
  `---
variables:
  name: { type: string, default: there }
  count: number
  vip: { type: boolean, default: false }
  order: { type: object, default: { id: A1 } }
  items: { type: array, default: [] }
  note: { type: string, default: "" }
---
# system
You help customers.{% if vip %} This one is a VIP.{% endif %}{% if note %} Note: {{ note }}{% endif %}

# user
Hi, I'm {{ name }}. Order {{ order.id }} has {{ count }} item(s): {% for i in items %}{{ i }};{% endfor %}
`,
  'prompts/p.prompt.md',
);

describe('renderPrompt', () => {
  it('renders with defaults applied', () => {
    expect(renderPrompt(prompt, { count: 2 })).toEqual([
      { role: 'system', content: 'You help customers.' },
      { role: 'user', content: "Hi, I'm there. Order A1 has 2 item(s): " },
    ]);
  });

  it('uses given values; an empty string is false in if', () => {
    const out = renderPrompt(prompt, { name: 'Ana', count: 1, vip: true, items: ['kettle'], note: '' });
    expect(out[0]?.content).toBe('You help customers. This one is a VIP.');
    expect(out[1]?.content).toBe("Hi, I'm Ana. Order A1 has 1 item(s): kettle;");
  });

  it('parses strings (CSV cells) for number, boolean, object and array variables', () => {
    const out = renderPrompt(prompt, { count: '3', vip: 'true', order: '{"id":"Z9"}', items: '["a","b"]' });
    expect(out[1]?.content).toBe("Hi, I'm there. Order Z9 has 3 item(s): a;b;");
  });

  it('does not render variable values as templates', () => {
    const out = renderPrompt(prompt, { name: '{{ count }}{% if true %}x{% endif %}', count: 1 });
    expect(out[1]?.content).toContain("I'm {{ count }}{% if true %}x{% endif %}.");
  });

  it('names the prompt, the case and the variable when one is missing or of the wrong type', () => {
    const source = { caseId: 'refund', file: 'suites/s.yaml', line: 12, field: 'cases[3].vars' };
    try {
      renderPrompt(prompt, { cont: 2 }, source);
      expect.unreachable();
    } catch (e) {
      const err = e as ConfigError;
      expect(err).toBeInstanceOf(ConfigError);
      expect(err.message).toContain(
        "case 'refund' does not set variable 'count' required by prompt 'p' (prompts/p.prompt.md)",
      );
      expect(err.info).toMatchObject({
        file: 'suites/s.yaml',
        line: 12,
        field: 'cases[3].vars.count',
        expected: 'a number',
      });
      expect(err.info.hint).toContain("the case sets 'cont'");
    }
    expect(() => renderPrompt(prompt, { count: 'many' }, source)).toThrow(
      /gives variable 'count' .* a string \("many"\); expected a number/,
    );
    expect(() => resolveVariables(prompt, { count: 1, name: 42 })).toThrow(/quote the value/);
    expect(() => resolveVariables(prompt, { count: 1, items: { a: 1 } })).toThrow(/expected an array/);
  });

  it('reports a missing nested property at render time with the template line', () => {
    const p = parsePrompt('---\nvariables:\n  o: object\n---\n# user\nx\n{{ o.a.b }}', 'q.prompt.md');
    try {
      renderPrompt(p, { o: {} }, { caseId: 'c1' });
      expect.unreachable();
    } catch (e) {
      expect((e as ConfigError).message).toContain("cannot render for case 'c1'");
      expect((e as ConfigError).info).toMatchObject({ file: 'q.prompt.md', line: 7 });
    }
  });

  it('parses templates once and renders prompts built by hand', () => {
    const handmade: PromptSpec = { ...prompt, messages: [{ role: 'user', content: 'n={{ count }}' }] };
    expect(renderPrompt(handmade, { count: 5 })).toEqual([{ role: 'user', content: 'n=5' }]);
    expect(renderPrompt(handmade, { count: 6 })).toEqual([{ role: 'user', content: 'n=6' }]);
  });
});

describe('renderCase', () => {
  it("inserts the case's prior turns before the prompt's last message", () => {
    const testCase: CaseSpec = {
      id: 'multi',
      vars: { count: 1 },
      checks: [],
      tags: [],
      messages: [
        { role: 'user', content: 'earlier question' },
        { role: 'assistant', content: 'earlier answer' },
      ],
    };
    expect(renderCase(prompt, testCase).map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'user']);
    expect(renderCase(prompt, testCase)[1]?.content).toBe('earlier question');
  });
});
