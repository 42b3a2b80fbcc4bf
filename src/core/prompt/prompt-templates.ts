import type { Template } from 'liquidjs';
import { closestMatch } from '../did-you-mean.ts';
import { ConfigError } from '../errors.ts';
import type { PromptSpec } from '../types.ts';
import { promptLiquid } from './prompt-liquid.ts';

/** A message's parsed template and where its text starts in the prompt file. */
export interface MessageTemplate {
  templates: Template[];
  /** 1-based file line of the message's first line, when known. */
  line?: number;
  indent: number;
}

const cache = new WeakMap<PromptSpec, MessageTemplate[]>();

/** Parses one message's Liquid template; syntax errors become ConfigErrors at the file position. */
export function parseMessageTemplate(
  content: string,
  file: string,
  line?: number,
  indent = 0,
): MessageTemplate {
  try {
    return { templates: promptLiquid().parse(content, file), line, indent };
  } catch (e) {
    throw liquidError(e, 'template error', { file, line, indent }, { hint: liquidHint(e) });
  }
}

/** Remembers the parsed templates of a prompt, so rendering never parses. */
export function cachePromptTemplates(prompt: PromptSpec, templates: MessageTemplate[]): void {
  cache.set(prompt, templates);
}

/** The prompt's parsed templates (parsed once and cached on first use when the prompt was built by hand). */
export function promptTemplates(prompt: PromptSpec): MessageTemplate[] {
  let t = cache.get(prompt);
  if (!t) {
    t = prompt.messages.map((m) => parseMessageTemplate(m.content, prompt.file));
    cache.set(prompt, t);
  }
  return t;
}

/** Maps a Liquid error (with its template-relative position) to a ConfigError in the prompt file. */
export function liquidError(
  e: unknown,
  what: string,
  at: { file: string; line?: number; indent: number },
  extra: { hint?: string; expected?: string } = {},
): ConfigError {
  if (!(e instanceof Error)) return new ConfigError(`${what}: ${String(e)}`, { file: at.file });
  const token = (e as { token?: { getPosition?: () => [number, number] } }).token;
  const pos = token?.getPosition?.();
  const message = e.message.replace(/, file:.*$/s, '').replace(/, line:\d+, col:\d+$/, '');
  const line = pos && at.line !== undefined ? at.line + pos[0] - 1 : at.line;
  const column = pos && at.line !== undefined ? (pos[0] === 1 ? pos[1] + at.indent : pos[1]) : undefined;
  return new ConfigError(`${what}: ${message}`, { file: at.file, line, column, ...extra });
}

/** A fix for common Liquid syntax errors. */
function liquidHint(e: unknown): string | undefined {
  const message = e instanceof Error ? e.message : '';
  if (/^tag "(include|render|layout)" not found/.test(message))
    return 'prompts cannot read other files; paste the text in, or pass it as a variable';
  const tag = /^tag "([^"]+)" not found/.exec(message)?.[1];
  if (tag) {
    const m = closestMatch(tag, Object.keys(promptLiquid().tags));
    return m ? `did you mean '{% ${m} %}'?` : undefined;
  }
  const filter = /^undefined filter: (\S+)/.exec(message)?.[1];
  if (filter) {
    const m = closestMatch(filter, Object.keys(promptLiquid().filters));
    return m ? `did you mean '${m}'?` : 'see the Liquid filter list in docs/prompts.md';
  }
  if (/not closed/.test(message))
    return "close it: '}}' for output, '%}' for a tag, and {% endif %} / {% endfor %} for blocks";
  return undefined;
}
