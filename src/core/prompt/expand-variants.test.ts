import { describe, expect, it } from 'vitest';
import { ConfigError, ConfigErrors } from '../errors.ts';
import type { CaseSpec, PromptSpec } from '../types.ts';
import { expandVariants, literalTemplate, splitVariantName } from './expand-variants.ts';
import { parseExamplePool } from './parse-example-pool.ts';
import { parsePrompt } from './parse-prompt.ts';
import { promptLiquid } from './prompt-liquid.ts';
import { renderCase } from './render-case.ts';

const PROMPT = `---
variables:
  question: string
  tone: { type: string, default: plain }
variants:
  fewShot: { k: [1, 3], pool: examples.yaml, seed: 7 }
  chainOfThought: true
---
# system
Answer in a {{ tone }} tone.

# user
Q: {{ question }}
`;

const POOL = `- { vars: { question: "2 + 2?" }, output: "4" }
- { vars: { question: "3 + 3?" }, output: "6" }
- { user: "Q: 5 + 5?", assistant: "10" }
- { vars: { question: "7 + 1?" }, output: "8" }
- { vars: { question: "9 - 4?" }, output: "5" }
- { user: "Q: 1 + 1?", assistant: "2" }
`;

function testCase(id: string, vars: Record<string, unknown>): CaseSpec {
  return { id, vars, checks: [], tags: [] };
}

function expand(
  promptText = PROMPT,
  opts: { pool?: string; cases?: CaseSpec[] } = {},
): ReturnType<typeof expandVariants> & { base: PromptSpec } {
  const base = parsePrompt(promptText, 'prompts/qa.prompt.md');
  const pool = {
    file: 'prompts/examples.yaml',
    examples: parseExamplePool(opts.pool ?? POOL, 'prompts/examples.yaml'),
  };
  const cases = (opts.cases ?? [testCase('c1', { question: '12 * 12?' })]).map((testCase) => ({
    suiteFile: 'suites/qa.yaml',
    testCase,
  }));
  return { base, ...expandVariants(base, { pool, cases }) };
}

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

/** The few-shot pairs of a derived prompt, as `user → assistant` strings. */
function shots(p: PromptSpec): string[] {
  const out: string[] = [];
  for (let i = 1; i + 1 < p.messages.length - 1; i += 2)
    out.push(`${p.messages[i]?.content} → ${p.messages[i + 1]?.content}`);
  return out;
}

describe('expandVariants', () => {
  it('generates NAME~few-shot-K and NAME~cot, each with its own version; the base stays the zero-shot baseline', () => {
    const { base, prompts } = expand();
    expect(prompts.map((p) => p.name)).toEqual(['qa~few-shot-1', 'qa~few-shot-3', 'qa~cot']);
    expect(prompts.map((p) => p.variantOf)).toEqual([
      { prompt: 'qa', technique: 'few-shot-1' },
      { prompt: 'qa', technique: 'few-shot-3' },
      { prompt: 'qa', technique: 'cot' },
    ]);
    const versions = new Set([base.version, ...prompts.map((p) => p.version)]);
    expect(versions.size).toBe(4);
    for (const p of prompts) {
      expect(p.version).toMatch(/^[0-9a-f]{12}$/);
      expect(p.file).toBe('prompts/qa.prompt.md');
      // Not recorded in the registry as the file's text (that would re-parse as the base).
      expect(p.raw).toBeUndefined();
    }
    // The base prompt's own version does not depend on its variants.
    const plain = parsePrompt(PROMPT.replace(/variants:\n(.*\n){2}/, ''), 'prompts/qa.prompt.md');
    expect(plain.version).toBe(base.version);
  });

  it('inserts the examples as user/assistant turns before the last user message, rendered from vars', () => {
    const { prompts } = expand();
    const three = prompts[1] as PromptSpec;
    expect(three.messages.map((m) => m.role)).toEqual([
      'system',
      'user',
      'assistant',
      'user',
      'assistant',
      'user',
      'assistant',
      'user',
    ]);
    const sent = renderCase(three, testCase('c1', { question: '12 * 12?', tone: 'warm' }));
    expect(sent[0]).toEqual({ role: 'system', content: 'Answer in a warm tone.' });
    expect(sent.at(-1)).toEqual({ role: 'user', content: 'Q: 12 * 12?' });
    for (const m of sent.slice(1, -1)) expect(m.content).toMatch(m.role === 'user' ? /^Q: .+\?$/ : /^\d+$/);
  });

  it('draws reproducibly with the seed; the k=1 draw is the first example of the k=3 draw', () => {
    const a = expand().prompts;
    const b = expand().prompts;
    expect(a.map((p) => p.version)).toEqual(b.map((p) => p.version));
    const one = shots(a[0] as PromptSpec);
    const three = shots(a[1] as PromptSpec);
    expect(one).toHaveLength(1);
    expect(three).toHaveLength(3);
    expect(three[0]).toBe(one[0]);
    expect(new Set(three).size).toBe(3);
    // Golden, computed independently (mulberry32(7), Fisher–Yates from the end, in Python).
    expect(three).toEqual(['Q: 9 - 4? → 5', 'Q: 3 + 3? → 6', 'Q: 5 + 5? → 10']);
    const other = expand(PROMPT.replace('seed: 7', 'seed: 8')).prompts;
    expect(shots(other[1] as PromptSpec)).not.toEqual(three);
  });

  it('leak guard: skips an example whose input equals a case input, with a warning at the pool line', () => {
    const cases = [
      testCase('same-vars', { question: '3 + 3?' }),
      testCase('same-text', { question: '5 + 5?' }),
      testCase('other', { question: '100 / 4?' }),
    ];
    const { prompts, warnings } = expand(PROMPT, { cases });
    expect(warnings.map((w) => `${w.file}:${w.line}`)).toEqual([
      'prompts/examples.yaml:2',
      'prompts/examples.yaml:3',
    ]);
    expect(warnings[0]?.message).toContain("same input as case 'same-vars' of suites/qa.yaml");
    expect(warnings[1]?.message).toContain("case 'same-text'");
    const drawn = prompts.flatMap((p) => shots(p)).join('\n');
    expect(drawn).not.toContain('3 + 3');
    expect(drawn).not.toContain('5 + 5');
  });

  it('leak guard ignores whitespace differences and variables the last message does not read', () => {
    const cases = [testCase('spaced', { question: ' 2  +  2? ', tone: 'formal' })];
    const pool = '- { user: "Q: 2 + 2?", assistant: "4" }\n- { vars: { question: "6 / 2?" }, output: "3" }\n';
    const text = PROMPT.replace('k: [1, 3]', 'k: 1');
    const { warnings, prompts } = expand(text, { pool, cases });
    expect(warnings).toHaveLength(1);
    expect(shots(prompts[0] as PromptSpec)).toEqual(['Q: 6 / 2? → 3']);
  });

  it('k larger than the usable pool is a load error at variants.fewShot.k', () => {
    const pool =
      '- { vars: { question: "2 + 2?" }, output: "4" }\n- { vars: { question: "3 + 3?" }, output: "6" }\n';
    const e = errorOf(() => expand(PROMPT, { pool, cases: [testCase('c', { question: '3 + 3?' })] }));
    expect(e.info).toMatchObject({ file: 'prompts/qa.prompt.md', line: 6, field: 'variants.fewShot.k' });
    expect(e.message).toContain(
      'few-shot k=3 needs 3 examples, but the pool prompts/examples.yaml has 1 usable (1 skipped by the leak guard)',
    );
  });

  it('examples and the CoT instruction are literal text, never Liquid', () => {
    const pool =
      '- { user: "Show {{ secret }} and {% raw %}x{% endraw %}", assistant: "{% if a %}no{% endif %}" }\n';
    const text = PROMPT.replace('k: [1, 3]', 'k: 1').replace(
      'chainOfThought: true',
      'chainOfThought: { instruction: "Reason, then write {{ Answer }}:" }',
    );
    const { prompts } = expand(text, { pool });
    const sent = renderCase(prompts[0] as PromptSpec, testCase('c1', { question: 'q?' }));
    expect(sent[1]?.content).toBe('Show {{ secret }} and {% raw %}x{% endraw %}');
    expect(sent[2]?.content).toBe('{% if a %}no{% endif %}');
    const cot = renderCase(prompts[1] as PromptSpec, testCase('c1', { question: 'q?' }));
    expect(cot.at(-1)?.content).toBe('Q: q?\n\nReason, then write {{ Answer }}:');
  });

  it('literalTemplate renders any text exactly', () => {
    for (const text of [
      'plain',
      '{{ x }}',
      '{% endraw %}',
      'a {%- endraw -%} b {{',
      '{% raw %}{% endraw %}{{y}}',
    ])
      expect(promptLiquid().renderSync(literalTemplate(text).templates, {})).toBe(text);
  });

  it('chain-of-thought appends the instruction to the last user message and carries the extract pattern', () => {
    const { prompts, base } = expand();
    const cot = prompts[2] as PromptSpec;
    expect(cot.messages.slice(0, -1)).toEqual(base.messages.slice(0, -1));
    expect(cot.messages.at(-1)?.content).toBe(
      "Q: {{ question }}\n\nThink step by step, then give the final answer after 'Answer:'",
    );
    expect(cot.extract).toBe('Answer:\\s*(.*)');
    expect(base.extract).toBeUndefined();
  });

  it('a prompt that already has examples gets NAME~zero-shot (system + last message); variants build on it', () => {
    const text = PROMPT.replace(
      '# user\nQ: {{ question }}',
      '# user\nQ: 1 + 2?\n\n# assistant\n3\n\n# user\nQ: {{ question }}',
    );
    const { prompts } = expand(text);
    expect(prompts.map((p) => p.name)).toEqual(['qa~zero-shot', 'qa~few-shot-1', 'qa~few-shot-3', 'qa~cot']);
    expect(prompts[0]?.messages.map((m) => m.role)).toEqual(['system', 'user']);
    expect(prompts[1]?.messages).toHaveLength(4);
    expect(prompts[3]?.messages.map((m) => m.role)).toEqual(['system', 'user']);
  });

  it('variants need the prompt to end with a user message', () => {
    const text = `${PROMPT}\n# assistant\nSure.\n`;
    const e = errorOf(() => expand(text));
    expect(e.info).toMatchObject({ file: 'prompts/qa.prompt.md', line: 5, field: 'variants' });
  });

  it('a vars example missing a variable the last message needs names the pool file, line and field', () => {
    const pool = '- { vars: { question: "1?" }, output: "1" }\n- { vars: { qestion: "2?" }, output: "2" }\n';
    const e = errorOf(() => expand(PROMPT, { pool }));
    expect(e.info).toMatchObject({ file: 'prompts/examples.yaml', line: 2, field: '[1].vars.question' });
    expect(e.info.hint).toContain("did you mean 'question'");
  });

  it('splitVariantName', () => {
    expect(splitVariantName('qa~few-shot-3')).toEqual({ prompt: 'qa', technique: 'few-shot-3' });
    expect(splitVariantName('qa')).toEqual({ prompt: 'qa' });
  });
});

describe('variants in the front matter', () => {
  const at = (text: string) => errorOf(() => parsePrompt(text, 'p.prompt.md'));

  it('keeps the spec with the lines the loader reports at', () => {
    const p = parsePrompt(PROMPT, 'p.prompt.md');
    expect(p.variants).toEqual({
      line: 5,
      fewShot: { k: [1, 3], pool: 'examples.yaml', seed: 7, line: 6, kLine: 6 },
      chainOfThought: {
        instruction: "Think step by step, then give the final answer after 'Answer:'",
        extract: 'Answer:\\s*(.*)',
        line: 7,
      },
    });
  });

  it('invalid specs are load errors with file, line and field', () => {
    let e = at(PROMPT.replace('chainOfThought: true', 'chainOfThought: { extract: "Answer: (" }'));
    expect(e.info).toMatchObject({ file: 'p.prompt.md', line: 7, field: 'variants.chainOfThought.extract' });
    expect(e.message).toContain('invalid regular expression');
    e = at(PROMPT.replace('k: [1, 3]', 'k: 0'));
    expect(e.info).toMatchObject({ line: 6, field: 'variants.fewShot.k' });
    e = at(PROMPT.replace('fewShot:', 'fewshot:'));
    expect(e.info).toMatchObject({ line: 6, field: 'variants.fewshot' });
    expect(e.info.hint).toContain("did you mean 'fewShot'");
    e = at(PROMPT.replace(/ {2}fewShot.*\n {2}chainOfThought: true\n/, '  {}\n'));
    expect(e.message).toContain('variants needs fewShot or chainOfThought');
    e = at(PROMPT.replace(', pool: examples.yaml', ''));
    expect(e.info).toMatchObject({ field: 'variants.fewShot.pool' });
  });
});
