import { canonicalJson } from '../canonical-json.ts';
import { ConfigError } from '../errors.ts';
import { createRandom, randomIndex } from '../stats/random.ts';
import type { CaseSpec, ChatMessage, PromptSpec } from '../types.ts';
import type { PoolExample } from './parse-example-pool.ts';
import { promptLiquid } from './prompt-liquid.ts';
import { cachePromptTemplates, type MessageTemplate, promptTemplates } from './prompt-templates.ts';
import { canonicalPrompt, promptVersion } from './prompt-version.ts';
import { resolveVariables } from './resolve-variables.ts';

/** The separator of a derived prompt's name: `support~few-shot-3`. Prompt names cannot contain it. */
export const VARIANT_SEPARATOR = '~';

export interface VariantInputs {
  /** The few-shot pool, parsed, with its project-relative path (required when `fewShot` is set). */
  pool?: { file: string; examples: PoolExample[] };
  /** The cases the prompt runs on, for the leak guard. */
  cases: readonly { suiteFile: string; testCase: CaseSpec }[];
}

export interface VariantExpansion {
  /** The derived prompts, in table order: zero-shot (if generated), few-shot by k, chain-of-thought. */
  prompts: PromptSpec[];
  /** Pool examples skipped by the leak guard, one each. */
  warnings: { file: string; line?: number; message: string }[];
}

/**
 * Generates the technique variants of a prompt from its `variants:` (docs/techniques.md). Pure.
 *
 * - The zero-shot form is the prompt itself, or — when it already has examples (an assistant message before
 *   its last message) — its system messages and last message only, as `NAME~zero-shot`.
 * - `fewShot`: the pool is shuffled once with the seed and `NAME~few-shot-K` takes the first K examples, so
 *   the smaller draws are nested in the larger ones; the examples go, as user/assistant turns, just before
 *   the last user message. An example whose input equals a case's input (the rendered last user message,
 *   or the same variable values) is skipped with a warning: it would hand the model the answer.
 * - `chainOfThought`: `NAME~cot` appends the instruction to the last user message and carries `extract`.
 *
 * Every derived prompt has its own version (its messages differ); examples and the instruction are literal
 * text, never Liquid. Throws ConfigError for an unusable spec (last message not a user message, K larger
 * than the usable pool, a pool example that does not render).
 */
export function expandVariants(prompt: PromptSpec, inputs: VariantInputs): VariantExpansion {
  const spec = prompt.variants;
  if (!spec) return { prompts: [], warnings: [] };
  const at = { file: prompt.file, line: spec.line, field: 'variants' };
  const last = prompt.messages[prompt.messages.length - 1];
  if (last?.role !== 'user')
    throw new ConfigError('variants need the prompt to end with a user message', {
      ...at,
      expected: 'a last message under `# user` (the examples go before it, the instruction into it)',
    });
  const templates = promptTemplates(prompt);
  const lastIndex = prompt.messages.length - 1;
  // The input is what the last message reads: a system-prompt variable does not make two inputs differ.
  const inputPrompt = lastMessageVariables(prompt, templates[lastIndex]);
  const hasExamples = prompt.messages.slice(0, -1).some((m) => m.role === 'assistant');
  // Indices of the base messages the zero-shot form keeps.
  const keep = prompt.messages
    .map((m, i) => (!hasExamples || m.role === 'system' || i === lastIndex ? i : -1))
    .filter((i) => i >= 0);
  const head: Part[] = keep
    .filter((i) => i !== lastIndex)
    .map((i) => ({ message: prompt.messages[i] as ChatMessage, template: templates[i] }));
  const tail: Part = { message: last, template: templates[lastIndex] };

  const out: PromptSpec[] = [];
  const warnings: VariantExpansion['warnings'] = [];
  if (hasExamples) out.push(derive(prompt, 'zero-shot', [...head, tail]));

  if (spec.fewShot) {
    const pool = inputs.pool;
    if (!pool) throw new Error('expandVariants: fewShot needs the parsed pool');
    const usable: { user: string; assistant: string }[] = [];
    const inputsOf = caseInputs(inputPrompt, templates[lastIndex], inputs.cases);
    for (const example of pool.examples) {
      const turn = exampleTurn(inputPrompt, templates[lastIndex], example, pool.file);
      const leak = inputsOf.find(
        (c) => c.user === normalize(turn.user) || (turn.scope !== undefined && c.scope === turn.scope),
      );
      if (leak) {
        warnings.push({
          file: pool.file,
          line: example.line,
          message: `few-shot example [${example.index}] has the same input as case '${leak.caseId}' of ${leak.suiteFile}: skipped (leak guard), an example must not hand the model a test case's answer`,
        });
        continue;
      }
      usable.push({ user: turn.user, assistant: turn.assistant });
    }
    const random = createRandom(spec.fewShot.seed);
    for (let i = usable.length - 1; i > 0; i--) {
      const j = randomIndex(random, i + 1);
      [usable[i], usable[j]] = [usable[j] as (typeof usable)[number], usable[i] as (typeof usable)[number]];
    }
    for (const k of spec.fewShot.k) {
      if (k > usable.length) {
        const skipped = pool.examples.length - usable.length;
        throw new ConfigError(
          `few-shot k=${k} needs ${k} examples, but the pool ${pool.file} has ${usable.length} usable${skipped ? ` (${skipped} skipped by the leak guard)` : ''}`,
          {
            file: prompt.file,
            line: spec.fewShot.kLine ?? spec.line,
            field: 'variants.fewShot.k',
            expected: `k ≤ ${usable.length}`,
            hint: 'add examples to the pool or lower k',
          },
        );
      }
      const shots = usable
        .slice(0, k)
        .flatMap((e): Part[] => [literal('user', e.user), literal('assistant', e.assistant)]);
      const derived = derive(prompt, `few-shot-${k}`, [...head, ...shots, tail]);
      if (warnings.length > 0 && derived.variantOf)
        derived.variantOf.skipped = warnings.map(
          (w) => `${w.file}${w.line ? `:${w.line}` : ''}: ${w.message}`,
        );
      out.push(derived);
    }
  }

  if (spec.chainOfThought) {
    const { instruction, extract } = spec.chainOfThought;
    const appended = `\n\n${instruction}`;
    const extra = literalTemplate(appended);
    const cot: Part = {
      message: { role: 'user', content: `${last.content}${appended}` },
      template: tail.template
        ? { ...tail.template, templates: [...tail.template.templates, ...extra.templates] }
        : undefined,
    };
    out.push(derive(prompt, 'cot', [...head, cot], extract));
  }
  return { prompts: out, warnings };
}

/** Splits a derived prompt's name: `support~cot` → { prompt: 'support', technique: 'cot' }. */
export function splitVariantName(name: string): { prompt: string; technique?: string } {
  const i = name.indexOf(VARIANT_SEPARATOR);
  return i < 0 ? { prompt: name } : { prompt: name.slice(0, i), technique: name.slice(i + 1) };
}

interface Part {
  message: ChatMessage;
  template: MessageTemplate | undefined;
}

function derive(base: PromptSpec, technique: string, parts: Part[], extract?: string): PromptSpec {
  const messages = parts.map((p) => ({ role: p.message.role, content: p.message.content }));
  const canonical = canonicalPrompt({
    messages,
    settings: base.settings,
    variables: base.variables,
    ...(base.outputSchema !== undefined ? { outputSchema: base.outputSchema } : {}),
    ...(base.tools !== undefined ? { tools: base.tools } : {}),
    ...(base.model !== undefined ? { model: base.model } : {}),
    ...(extract !== undefined ? { extract } : {}),
  });
  // No `raw`: the file's text is the base prompt's, which the registry would re-parse as the base.
  const prompt: PromptSpec = {
    name: `${base.name}${VARIANT_SEPARATOR}${technique}`,
    ...(base.description !== undefined ? { description: base.description } : {}),
    file: base.file,
    version: promptVersion(canonical),
    canonical,
    ...(base.model !== undefined ? { model: base.model } : {}),
    settings: base.settings,
    variables: base.variables,
    ...(base.outputSchema !== undefined ? { outputSchema: base.outputSchema } : {}),
    ...(base.tools !== undefined ? { tools: base.tools } : {}),
    messages,
    variantOf: { prompt: base.name, technique },
    ...(extract !== undefined ? { extract } : {}),
  };
  cachePromptTemplates(
    prompt,
    parts.map((p) => p.template ?? literalTemplate(p.message.content)),
  );
  return prompt;
}

function literal(role: 'user' | 'assistant', content: string): Part {
  return { message: { role, content }, template: literalTemplate(content) };
}

/**
 * A template that renders `text` exactly: Liquid's raw block, with any `{% endraw %}` inside the text
 * written out as a string literal (the only sequence a raw block cannot hold).
 */
export function literalTemplate(text: string): MessageTemplate {
  if (!/[{}]/.test(text)) return { templates: promptLiquid().parse(text), indent: 0 };
  const source = text
    .split(/(\{%-?\s*endraw\s*-?%\})/)
    .map((part, i) => (i % 2 === 1 ? `{{ "${part}" }}` : part ? `{% raw %}${part}{% endraw %}` : ''))
    .join('');
  return { templates: promptLiquid().parse(source), indent: 0 };
}

/** The prompt with only the variables its last message reads (for rendering that message alone). */
function lastMessageVariables(prompt: PromptSpec, template: MessageTemplate | undefined): PromptSpec {
  if (!template) return { ...prompt, variables: {} };
  const used = promptLiquid().analyzeSync(template.templates, { partials: false }).globals;
  const variables = Object.fromEntries(Object.entries(prompt.variables).filter(([name]) => name in used));
  return { ...prompt, variables };
}

/** Whitespace-insensitive form of an input, for the leak guard. */
function normalize(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function renderLast(
  prompt: PromptSpec,
  template: MessageTemplate | undefined,
  scope: Record<string, unknown>,
): string {
  if (!template) return prompt.messages[prompt.messages.length - 1]?.content ?? '';
  return String(promptLiquid().renderSync(template.templates, scope));
}

/** Each case's input as the prompt sees it: the rendered last user message and the variable values. */
function caseInputs(
  prompt: PromptSpec,
  template: MessageTemplate | undefined,
  cases: VariantInputs['cases'],
): { caseId: string; suiteFile: string; user?: string; scope?: string }[] {
  return cases.map(({ testCase, suiteFile }) => {
    try {
      const scope = resolveVariables(prompt, testCase.vars);
      return {
        caseId: testCase.id,
        suiteFile,
        user: normalize(renderLast(prompt, template, scope)),
        scope: Object.keys(prompt.variables).length > 0 ? canonicalJson(scope) : undefined,
      };
    } catch {
      // A case that cannot render is reported by the suite's variable check; nothing to compare here.
      return { caseId: testCase.id, suiteFile };
    }
  });
}

/** A pool example as the two turns the model sees; `vars` examples are rendered with the last message. */
function exampleTurn(
  prompt: PromptSpec,
  template: MessageTemplate | undefined,
  example: PoolExample,
  file: string,
): { user: string; assistant: string; scope?: string } {
  if ('user' in example) return { user: example.user, assistant: example.assistant };
  const field = `[${example.index}].vars`;
  const scope = resolveVariables(prompt, example.vars, { file, line: example.line, field });
  try {
    return {
      user: renderLast(prompt, template, scope),
      assistant: example.output,
      ...(Object.keys(prompt.variables).length > 0 ? { scope: canonicalJson(scope) } : {}),
    };
  } catch (e) {
    throw new ConfigError(
      `few-shot example [${example.index}] cannot be rendered with ${prompt.file}: ${(e as Error).message}`,
      {
        file,
        line: example.line,
        field,
        expected: "the variables of the prompt's last message",
      },
    );
  }
}
