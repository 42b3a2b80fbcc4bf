import { describe, expect, it } from 'vitest';
import { ConfigError, ConfigErrors } from '../errors.ts';
import { parsePrompt, promptNameFromFile } from './parse-prompt.ts';

const SUPPORT = `---
description: Support bot
settings:
  temperature: 0
  maxTokens: 300
  stop: END
  frequencyPenalty: 0.5
variables:
  customer: { type: string, default: there }
  message: string
---
# system
You are Ava.

# User
Hi, I'm {{ customer }}.

# assistant
Hello!

# user
{{ message }}
`;

function errorOf(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ConfigErrors) return e.errors[0] as ConfigError;
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error('expected a ConfigError');
}

describe('parsePrompt', () => {
  it('reads front matter, messages and defaults', () => {
    const p = parsePrompt(SUPPORT, 'prompts/support.prompt.md');
    expect(p.name).toBe('support');
    expect(p.description).toBe('Support bot');
    expect(p.file).toBe('prompts/support.prompt.md');
    expect(p.settings).toEqual({ temperature: 0, maxTokens: 300, stop: ['END'], frequencyPenalty: 0.5 });
    expect(p.variables).toEqual({
      customer: { type: 'string', default: 'there' },
      message: { type: 'string' },
    });
    expect(p.messages).toEqual([
      { role: 'system', content: 'You are Ava.' },
      { role: 'user', content: "Hi, I'm {{ customer }}." },
      { role: 'assistant', content: 'Hello!' },
      { role: 'user', content: '{{ message }}' },
    ]);
    expect(p.version).toMatch(/^[0-9a-f]{12}$/);
  });

  it('treats a body without headings as one user message, and a file without front matter as all body', () => {
    const p = parsePrompt('Say hello.\n\n# Not a role heading\n', 'hello.prompt.md');
    expect(p.messages).toEqual([{ role: 'user', content: 'Say hello.\n\n# Not a role heading' }]);
    expect(p.variables).toEqual({});
  });

  it('ignores role headings inside fenced code blocks', () => {
    const p = parsePrompt('# system\nFormat:\n```\n# user\n```\n# user\nhi', 'f.prompt.md');
    expect(p.messages.map((m) => m.role)).toEqual(['system', 'user']);
    expect(p.messages[0]?.content).toBe('Format:\n```\n# user\n```');
  });

  it('keeps an output schema and tools', () => {
    const p = parsePrompt(
      `---
outputSchema: { type: object, required: [a], properties: { a: { type: string } } }
tools:
  - name: lookup
    description: Find an order
    parameters: { type: object, properties: { id: { type: string } } }
  - name: ping
model: openai:gpt-4o-mini
---
go`,
      'x.prompt.md',
    );
    expect(p.outputSchema).toMatchObject({ type: 'object', required: ['a'] });
    expect(p.tools).toEqual([
      {
        name: 'lookup',
        description: 'Find an order',
        parameters: { type: 'object', properties: { id: { type: 'string' } } },
      },
      { name: 'ping', parameters: { type: 'object', properties: {} } },
    ]);
    expect(p.model).toBe('openai:gpt-4o-mini');
  });

  it('allows loop variables and assignments without declaring them', () => {
    const p = parsePrompt(
      '---\nvariables:\n  items: array\n---\n{% assign n = items | size %}{% for i in items %}{{ i.name }} {{ forloop.index }}{% endfor %} {{ n }}',
      'loop.prompt.md',
    );
    expect(p.messages).toHaveLength(1);
  });

  it('defaults the name from the file name', () => {
    expect(promptNameFromFile('a/b/triage.prompt.md')).toBe('triage');
    expect(promptNameFromFile('c\\notes.md')).toBe('notes');
  });
});

describe('promptVersion', () => {
  const base = parsePrompt(SUPPORT, 'a.prompt.md');

  it('is the same for CRLF line endings and trailing spaces', () => {
    const crlf = SUPPORT.replace(/\n/g, '  \r\n');
    expect(parsePrompt(crlf, 'a.prompt.md').version).toBe(base.version);
  });

  it('ignores name, description, variable descriptions and the file name', () => {
    const renamed = SUPPORT.replace(
      'description: Support bot',
      'name: other\ndescription: Something else',
    ).replace('message: string', 'message: { type: string, description: The text }');
    expect(parsePrompt(renamed, 'b/c.prompt.md').version).toBe(base.version);
  });

  it('changes when a message, a setting, a variable, the schema or the model changes', () => {
    const variants = [
      SUPPORT.replace('You are Ava.', 'You are Bob.'),
      SUPPORT.replace('temperature: 0', 'temperature: 0.1'),
      SUPPORT.replace('default: there', 'default: friend'),
      SUPPORT.replace('message: string', 'message: string\n  extra: number'),
      SUPPORT.replace('---\n# system', 'outputSchema: { type: object }\n---\n# system'),
      SUPPORT.replace('---\n# system', 'model: fake:echo\n---\n# system'),
      SUPPORT.replace('# assistant', '# user'),
    ];
    const versions = variants.map((v) => parsePrompt(v, 'a.prompt.md').version);
    for (const v of versions) expect(v).not.toBe(base.version);
    expect(new Set(versions).size).toBe(variants.length);
  });

  it('does not depend on key order in the front matter', () => {
    const reordered = SUPPORT.replace(
      '  temperature: 0\n  maxTokens: 300',
      '  maxTokens: 300\n  temperature: 0',
    );
    expect(parsePrompt(reordered, 'a.prompt.md').version).toBe(base.version);
  });
});

describe('parsePrompt errors', () => {
  it('names an undeclared variable with its line and column', () => {
    const e = errorOf(() =>
      parsePrompt(
        '---\nvariables:\n  name: string\n---\n# user\nHi {{ name }},\n  {{ nmae }}',
        'p.prompt.md',
      ),
    );
    expect(e.message).toContain("variable 'nmae' is used but not declared");
    expect(e.info).toMatchObject({ file: 'p.prompt.md', line: 7, column: 6, field: 'variables.nmae' });
  });

  it('suggests outputSchema for output', () => {
    const e = errorOf(() => parsePrompt('---\noutput: { type: object }\n---\nhi', 'p.prompt.md'));
    expect(e.info).toMatchObject({ line: 2, field: 'output' });
    expect(e.info.hint).toBe("did you mean 'outputSchema'?");
  });

  it('reports a bad variable type, a default of the wrong type and a bad output schema', () => {
    const e1 = errorOf(() => parsePrompt('---\nvariables:\n  n: strng\n---\n{{ n }}', 'p.prompt.md'));
    expect(e1.info).toMatchObject({ line: 3, field: 'variables.n' });
    expect(e1.info.hint).toBe("did you mean 'string'?");
    const e2 = errorOf(() =>
      parsePrompt('---\nvariables:\n  n: { type: number, default: "x" }\n---\n{{ n }}', 'p.prompt.md'),
    );
    expect(e2.info).toMatchObject({ line: 3, field: 'variables.n.default', expected: 'a number' });
    const e3 = errorOf(() => parsePrompt('---\noutputSchema: { type: obj }\n---\nx', 'p.prompt.md'));
    expect(e3.message).toContain('invalid JSON Schema');
    expect(e3.info.line).toBe(2);
  });

  it('reports Liquid syntax errors at their line in the file', () => {
    const e = errorOf(() =>
      parsePrompt('---\nvariables:\n  n: string\n---\n# user\nline\n  {% if n %}open', 'p.prompt.md'),
    );
    expect(e.message).toContain('not closed');
    expect(e.info).toMatchObject({ file: 'p.prompt.md', line: 7, column: 3 });
    const f = errorOf(() => parsePrompt('---\nvariables:\n  n: string\n---\n{{ n | upcas }}', 'p.prompt.md'));
    expect(f.message).toContain('undefined filter: upcas');
    expect(f.info.hint).toBe("did you mean 'upcase'?");
  });

  it('refuses file access from templates', () => {
    for (const tag of ['{% include "secret.txt" %}', '{% render "x" %}', '{% layout "x" %}']) {
      const e = errorOf(() => parsePrompt(tag, 'p.prompt.md'));
      expect(e.message).toMatch(/tag "(include|render|layout)" not found/);
      expect(e.info.hint).toContain('cannot read other files');
    }
  });

  it('reports structural problems of the file', () => {
    expect(errorOf(() => parsePrompt('---\nname: x\n# user\nhi', 'p.prompt.md')).message).toContain(
      'never closed',
    );
    expect(errorOf(() => parsePrompt('stray\n# user\nhi', 'p.prompt.md')).info.line).toBe(1);
    expect(errorOf(() => parsePrompt('# system\n\n# user\nhi', 'p.prompt.md')).message).toContain(
      "'# system' message is empty",
    );
    expect(errorOf(() => parsePrompt('---\nname: x\n---\n', 'p.prompt.md')).message).toContain('no messages');
    expect(
      errorOf(() => parsePrompt('---\nname: [a\n---\nhi', 'p.prompt.md')).info.line,
    ).toBeGreaterThanOrEqual(2);
    expect(errorOf(() => parsePrompt('---\n- a\n---\nhi', 'p.prompt.md')).message).toContain(
      'must be a mapping',
    );
    expect(errorOf(() => parsePrompt('hi', 'my prompt.prompt.md')).info.hint).toContain("set 'name:'");
  });

  it('rejects a model id without provider and duplicate tool names', () => {
    const e = errorOf(() => parsePrompt('---\nmodel: gpt-4o\n---\nhi', 'p.prompt.md'));
    expect(e.info.hint).toBe("did you mean 'openai:gpt-4o'?");
    const t = errorOf(() => parsePrompt('---\ntools: [{name: a}, {name: a}]\n---\nhi', 'p.prompt.md'));
    expect(t.message).toContain("duplicate tool name 'a'");
  });
});
