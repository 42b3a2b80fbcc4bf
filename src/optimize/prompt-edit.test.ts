import { describe, expect, it } from 'vitest';
import { parsePrompt } from '../core/prompt/parse-prompt.ts';
import { parsePromptDocument, renderPromptDocument } from './prompt-document.ts';
import { applyEdit, EditError, parseEdit } from './prompt-edit.ts';

const text = `---
name: t
variables:
  message:
    type: string
---
# system
You are a helpful assistant.

## Rules
- Be polite.
- Answer briefly.

## Examples
Input: hi
Output: hello

## Output format
Plain text.

# user
{{ message }}
`;

describe('applyEdit', () => {
  it('round-trips an unedited prompt byte for byte', () => {
    expect(renderPromptDocument(parsePromptDocument(text))).toBe(text);
  });

  it('appends a constraint to the rules section in its bullet style, leaving the rest untouched', () => {
    const out = applyEdit(text, { kind: 'add-constraint', text: 'Name the refund window.' });
    expect(out).toContain('- Answer briefly.\n- Name the refund window.\n\n## Examples');
    expect(out.replace('- Name the refund window.\n', '')).toBe(text);
    expect(parsePrompt(out, 't.prompt.md').messages[1]?.content).toBe('{{ message }}');
  });

  it('creates a named section when it does not exist, at the end of the system message', () => {
    const out = applyEdit(text, {
      kind: 'add-constraint',
      section: 'Safety',
      text: 'Never give medical advice.',
    });
    expect(out).toContain('Plain text.\n\n## Safety\n- Never give medical advice.\n\n# user');
  });

  it('adds and replaces few-shot examples', () => {
    const added = applyEdit(text, { kind: 'add-example', input: 'bye', output: 'goodbye' });
    expect(added).toContain('Input: hi\nOutput: hello\n\nInput: bye\nOutput: goodbye\n\n## Output format');
    const replaced = applyEdit(added, {
      kind: 'replace-example',
      index: 1,
      input: 'hey',
      output: 'hi there',
    });
    expect(replaced).toContain('Input: hey\nOutput: hi there\n\nInput: bye');
    expect(() => applyEdit(text, { kind: 'replace-example', index: 3, input: 'a', output: 'b' })).toThrow(
      /no example 3/,
    );
  });

  it('sharpens, scopes and removes one rule found by a unique substring', () => {
    expect(
      applyEdit(text, {
        kind: 'sharpen-constraint',
        find: 'briefly',
        text: 'Answer in at most two sentences.',
      }),
    ).toContain('- Answer in at most two sentences.\n');
    expect(
      applyEdit(text, { kind: 'scope-rule', find: 'briefly', condition: 'when the question is a greeting' }),
    ).toContain('- When the question is a greeting: answer briefly.');
    const removed = applyEdit(text, { kind: 'remove-instruction', find: 'Be polite' });
    expect(removed).not.toContain('Be polite');
    expect(() => applyEdit(text, { kind: 'remove-instruction', find: 'e' })).toThrow(EditError);
    expect(() => applyEdit(text, { kind: 'remove-instruction', find: 'absent words' })).toThrow(/no line/);
  });

  it('moves a section and adds a reasoning step and a format sentence', () => {
    const moved = applyEdit(text, { kind: 'reorder-sections', section: 'Output format', position: 'first' });
    expect(moved).toContain('You are a helpful assistant.\n\n## Output format\nPlain text.\n\n## Rules');
    expect(moved).toContain('Output: hello\n\n# user');
    expect(() => applyEdit(text, { kind: 'reorder-sections', section: 'Rules', position: 'first' })).toThrow(
      /already/,
    );
    expect(applyEdit(text, { kind: 'clarify-format', text: 'Use JSON.' })).toContain(
      'Plain text.\nUse JSON.\n',
    );
    expect(applyEdit(text, { kind: 'add-reasoning-step', text: 'First find the order id.' })).toContain(
      '## Reasoning\n- First find the order id.\n\n# user',
    );
  });

  it('validates untrusted edits', () => {
    expect(() => parseEdit({ kind: 'rewrite-everything' })).toThrow(/not one of/);
    expect(() => parseEdit({ kind: 'add-constraint', text: '' })).toThrow(/non-empty/);
    expect(() => parseEdit({ kind: 'add-constraint', text: 'a\nb' })).toThrow(/one line/);
    expect(parseEdit({ kind: 'reorder-sections', section: 'Rules', position: 2 })).toEqual({
      kind: 'reorder-sections',
      section: 'Rules',
      position: 2,
    });
  });
});
