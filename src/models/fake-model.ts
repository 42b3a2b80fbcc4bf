import { createHash } from 'node:crypto';
import { isAbsolute, resolve } from 'node:path';
import type { ModelConfig } from '../core/config/project.ts';
import { ConfigError } from '../core/errors.ts';
import type { ChatMessage, ErrorKind, ToolCall, Usage } from '../core/types.ts';
import { assertInsideProject } from '../project/inside-project.ts';
import { mapModelError } from './map-model-error.ts';
import {
  ModelCallError,
  type ModelPort,
  type ModelRequest,
  type ModelResponse,
  type TokenLogprob,
} from './model-port.ts';
import { readDataFile } from './read-data-file.ts';

/**
 * The scripted `fake:NAME` model: deterministic answers from a script (YAML/JSON file, `script:` in the
 * model config) or a `respond` function (library API). Without either it echoes the last user message.
 * See docs/models.md for the script format.
 */

export type FakeErrorKind = Exclude<ErrorKind, 'check' | 'budget'>;

export interface FakeRule {
  /** Regular expression tested on the last user message. */
  match?: string;
  /** Substring the last user message must contain. */
  contains?: string;
  /** Agent loops: the step within the turn, 0-based (assistant messages since the last user message). */
  step?: number;
  /** Agent loops: the tool results just returned (tool messages since the last assistant message) include this tool's. */
  afterTool?: string;
  /** Agent loops: regular expression tested on the tool results just returned (joined by newlines). */
  toolResult?: string;
  /** Regular expression tested on the system message(s): lets one script tell prompt versions apart. */
  system?: string;
  /** Only for this sample (the run's repeat index, 0-based): lets repeats differ (pass^k, flaky cases). */
  sample?: number;
  /**
   * Regular expression tested on the messages before the last user message, system messages left out
   * (few-shot examples, earlier turns; joined by newlines): lets one script tell technique variants apart.
   */
  history?: string;
  /** Answer text; `{{last_user}}` is replaced by the last user message. */
  reply?: string;
  toolCalls?: { name: string; arguments?: unknown }[];
  /** Wait this long before answering (aborts and timeouts apply). */
  delayMs?: number;
  /** Fail instead of answering. */
  error?: { kind: FakeErrorKind; message: string; status?: number; retryAfterMs?: number };
  /** Reported usage; otherwise estimated at ⌈chars / 4⌉. */
  usage?: { inputTokens?: number; outputTokens?: number };
  /** Apply this rule only to its first N matching calls (e.g. fail once, then answer). */
  times?: number;
  /**
   * The reply as tokens with log-probabilities, returned when a call asks for top log-probabilities.
   * The tokens must spell the reply exactly; `top` maps alternative tokens to their log-probabilities
   * (the sampled token's own defaults to its `top` entry, else 0).
   */
  logprobs?: FakeLogprob[];
}

export interface FakeLogprob {
  token: string;
  logprob?: number;
  top?: Record<string, number>;
}

export interface FakeScript {
  rules: FakeRule[];
  /** Answer when no rule matches (may use `{{last_user}}`); default: the last user message. */
  default?: string;
}

const errorKinds: readonly FakeErrorKind[] = [
  'rate-limit',
  'server',
  'timeout',
  'network',
  'bad-response',
  'client',
];
const ruleKeys = new Set([
  'match',
  'contains',
  'step',
  'afterTool',
  'toolResult',
  'system',
  'sample',
  'history',
  'reply',
  'toolCalls',
  'delayMs',
  'error',
  'usage',
  'times',
  'logprobs',
]);

interface CompiledRule extends FakeRule {
  regex?: RegExp;
  toolResultRegex?: RegExp;
  systemRegex?: RegExp;
  historyRegex?: RegExp;
  used: number;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Checks a parsed script; a ConfigError names `file` and the offending field. */
export function validateFakeScript(data: unknown, file?: string): FakeScript {
  const fail = (field: string, problem: string, expected?: string): never => {
    throw new ConfigError(problem, { file, field, expected });
  };
  if (!isObject(data))
    return fail('(root)', 'the fake model script must be a mapping', '{ rules: [...], default?: "..." }');
  for (const k of Object.keys(data))
    if (k !== 'rules' && k !== 'default') fail(k, `unknown field '${k}'`, 'rules or default');
  if (data.default !== undefined && typeof data.default !== 'string')
    fail('default', 'must be a string', 'a string');
  const rawRules = data.rules ?? [];
  if (!Array.isArray(rawRules)) return fail('rules', 'must be a list', 'a list of rules');
  const rules: FakeRule[] = rawRules.map((r: unknown, i: number): FakeRule => {
    const at = `rules[${i}]`;
    if (!isObject(r)) return fail(at, 'must be a mapping', '{ match?, contains?, reply, ... }');
    for (const k of Object.keys(r)) {
      if (!ruleKeys.has(k)) fail(`${at}.${k}`, `unknown field '${k}'`, [...ruleKeys].join(', '));
    }
    for (const k of ['match', 'contains', 'reply', 'afterTool', 'toolResult', 'system', 'history'] as const)
      if (r[k] !== undefined && typeof r[k] !== 'string') fail(`${at}.${k}`, 'must be a string', 'a string');
    for (const k of ['match', 'toolResult', 'system', 'history'] as const) {
      if (typeof r[k] !== 'string') continue;
      try {
        new RegExp(r[k] as string);
      } catch (e) {
        fail(`${at}.${k}`, `invalid regular expression: ${(e as Error).message}`);
      }
    }
    for (const k of ['step', 'sample'] as const) {
      const v = r[k];
      if (v !== undefined && !(typeof v === 'number' && Number.isInteger(v) && v >= 0))
        fail(
          `${at}.${k}`,
          'must be an integer >= 0',
          k === 'step' ? 'the step within the turn, 0 for the first call' : 'a repeat index, 0 for the first',
        );
    }
    for (const k of ['delayMs', 'times'] as const) {
      const v = r[k];
      if (v !== undefined && (typeof v !== 'number' || !Number.isFinite(v) || v < 0))
        fail(`${at}.${k}`, 'must be a number >= 0', 'a number >= 0');
    }
    if (r.toolCalls !== undefined) {
      if (!Array.isArray(r.toolCalls))
        fail(`${at}.toolCalls`, 'must be a list', 'a list of { name, arguments }');
      (r.toolCalls as unknown[]).forEach((t, j) => {
        if (!isObject(t) || typeof t.name !== 'string' || t.name === '')
          fail(`${at}.toolCalls[${j}]`, 'needs a name', '{ name: string, arguments?: object }');
      });
    }
    if (r.error !== undefined) {
      const e = r.error;
      if (!isObject(e)) return fail(`${at}.error`, 'must be a mapping', '{ kind, message, status? }');
      if (typeof e.kind !== 'string' || !errorKinds.includes(e.kind as FakeErrorKind))
        fail(
          `${at}.error.kind`,
          `unknown error kind '${String(e.kind)}'`,
          `one of: ${errorKinds.join(', ')}`,
        );
      if (typeof e.message !== 'string') fail(`${at}.error.message`, 'must be a string', 'a string');
      for (const k of ['status', 'retryAfterMs'] as const)
        if (e[k] !== undefined && typeof e[k] !== 'number')
          fail(`${at}.error.${k}`, 'must be a number', 'a number');
    }
    if (r.usage !== undefined) {
      if (!isObject(r.usage)) fail(`${at}.usage`, 'must be a mapping', '{ inputTokens?, outputTokens? }');
      for (const [k, v] of Object.entries(r.usage as Record<string, unknown>)) {
        if (k !== 'inputTokens' && k !== 'outputTokens')
          fail(`${at}.usage.${k}`, `unknown field '${k}'`, 'inputTokens or outputTokens');
        if (typeof v !== 'number' || v < 0)
          fail(`${at}.usage.${k}`, 'must be a number >= 0', 'a number >= 0');
      }
    }
    if (r.logprobs !== undefined) validateLogprobs(r.logprobs, r.reply, `${at}.logprobs`, fail);
    if (r.reply === undefined && r.toolCalls === undefined && r.error === undefined)
      fail(at, 'a rule needs reply, toolCalls or error');
    return r as FakeRule;
  });
  return { rules, ...(typeof data.default === 'string' ? { default: data.default } : {}) };
}

const LOGPROBS_EXPECTED = 'a list of { token, logprob?, top?: { TOKEN: LOGPROB } } spelling the reply';

function validateLogprobs(
  value: unknown,
  reply: unknown,
  at: string,
  fail: (field: string, problem: string, expected?: string) => never,
): void {
  if (!Array.isArray(value) || value.length === 0) fail(at, 'must be a non-empty list', LOGPROBS_EXPECTED);
  const isLogprob = (v: unknown) => typeof v === 'number' && Number.isFinite(v) && v <= 0;
  (value as unknown[]).forEach((t, j) => {
    if (!isObject(t) || typeof t.token !== 'string' || t.token === '')
      fail(`${at}[${j}].token`, 'must be a non-empty string', LOGPROBS_EXPECTED);
    for (const k of Object.keys(t as object))
      if (k !== 'token' && k !== 'logprob' && k !== 'top')
        fail(`${at}[${j}].${k}`, `unknown field '${k}'`, 'token, logprob or top');
    const o = t as Record<string, unknown>;
    if (o.logprob !== undefined && !isLogprob(o.logprob))
      fail(`${at}[${j}].logprob`, 'must be a number <= 0', 'a natural-log probability, e.g. -0.1');
    if (o.top !== undefined) {
      if (!isObject(o.top)) fail(`${at}[${j}].top`, 'must be a mapping', '{ "4": -0.2, "5": -1.7 }');
      for (const [tok, lp] of Object.entries(o.top as Record<string, unknown>))
        if (!isLogprob(lp))
          fail(`${at}[${j}].top.${tok}`, 'must be a number <= 0', 'a natural-log probability, e.g. -0.1');
    }
  });
  // A reply that depends on the request is checked when it is made.
  if (typeof reply === 'string' && !reply.includes('{{last_user}}')) {
    const spelled = (value as FakeLogprob[]).map((t) => t.token).join('');
    if (spelled !== reply)
      fail(at, `the tokens spell ${JSON.stringify(spelled)}, not the reply`, LOGPROBS_EXPECTED);
  }
}

/** The scripted tokens as a response's logprobs, alternatives sorted by likelihood, at most `n` each. */
function scriptedLogprobs(tokens: FakeLogprob[], n: number): TokenLogprob[] {
  return tokens.map((t) => {
    const top = Object.entries(t.top ?? {})
      .map(([token, logprob]) => ({ token, logprob }))
      .sort((a, b) => b.logprob - a.logprob)
      .slice(0, n);
    return { token: t.token, logprob: t.logprob ?? t.top?.[t.token] ?? 0, top };
  });
}

/** Reads and checks a script file (path relative to `root`). */
export function loadFakeScript(file: string, root: string): FakeScript {
  const abs = isAbsolute(file) ? file : resolve(root, file);
  assertInsideProject(root, abs, 'fake model script', file, { field: 'models[].script' });
  return validateFakeScript(readDataFile(abs, file), file);
}

function lastUser(messages: ChatMessage[]): string {
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i];
    if (m?.role === 'user') return m.content;
  }
  return '';
}

/** What agent rules look at: the step within the turn, the tool results just returned, the system prompt. */
interface TurnView {
  step: number;
  tools: ChatMessage[];
  system: string;
  history: string;
}

function turnView(messages: ChatMessage[]): TurnView {
  let step = 0;
  for (let i = messages.length - 1; i >= 0 && messages[i]?.role !== 'user'; i--)
    if (messages[i]?.role === 'assistant') step++;
  const tools: ChatMessage[] = [];
  for (let i = messages.length - 1; i >= 0 && messages[i]?.role === 'tool'; i--)
    tools.unshift(messages[i] as ChatMessage);
  const system = messages
    .filter((m) => m.role === 'system')
    .map((m) => m.content)
    .join('\n');
  let lastUser = messages.length - 1;
  while (lastUser >= 0 && messages[lastUser]?.role !== 'user') lastUser--;
  const history = messages
    .slice(0, Math.max(0, lastUser))
    .filter((m) => m.role !== 'system')
    .map((m) => m.content)
    .join('\n');
  return { step, tools, system, history };
}

function fill(template: string, last: string): string {
  return template.split('{{last_user}}').join(last);
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export interface FakeModelOptions {
  /** Project root, for a relative `config.script`. */
  root: string;
}

/** Builds the fake model for `config` (id `fake:NAME`). A bad script file throws a ConfigError now. */
export function createFakeModel(config: ModelConfig, opts: FakeModelOptions): ModelPort {
  const id = config.id;
  const name = id.slice(id.indexOf(':') + 1);
  if (config.script !== undefined && config.respond !== undefined)
    throw new ConfigError(`model ${id}: give either script or respond, not both`, { field: 'script' });
  const script = config.script !== undefined ? loadFakeScript(config.script, opts.root) : undefined;
  const rules: CompiledRule[] = (script?.rules ?? []).map((r) => ({
    ...r,
    ...(r.match !== undefined ? { regex: new RegExp(r.match) } : {}),
    ...(r.toolResult !== undefined ? { toolResultRegex: new RegExp(r.toolResult) } : {}),
    ...(r.system !== undefined ? { systemRegex: new RegExp(r.system) } : {}),
    ...(r.history !== undefined ? { historyRegex: new RegExp(r.history) } : {}),
    used: 0,
  }));
  const respond = config.respond;

  function pick(last: string, view: TurnView, sample: number): CompiledRule | undefined {
    for (const r of rules) {
      if (r.sample !== undefined && r.sample !== sample) continue;
      if (r.times !== undefined && r.used >= r.times) continue;
      if (r.regex && !r.regex.test(last)) continue;
      if (r.contains !== undefined && !last.includes(r.contains)) continue;
      if (r.step !== undefined && r.step !== view.step) continue;
      if (r.afterTool !== undefined && !view.tools.some((m) => m.name === r.afterTool)) continue;
      if (
        r.toolResultRegex &&
        (view.tools.length === 0 || !r.toolResultRegex.test(view.tools.map((m) => m.content).join('\n')))
      )
        continue;
      if (r.systemRegex && !r.systemRegex.test(view.system)) continue;
      if (r.historyRegex && !r.historyRegex.test(view.history)) continue;
      r.used++;
      return r;
    }
    return undefined;
  }

  // Editing the script (or the respond function) must not serve the old answers from the cache.
  const identity = createHash('sha256')
    .update(JSON.stringify(script ?? null))
    .update(respond ? String(respond) : '')
    .digest('hex')
    .slice(0, 16);
  return {
    id,
    provider: 'fake',
    modelName: name,
    cacheIdentity: `fake-script:${identity}`,
    async generate(request: ModelRequest): Promise<ModelResponse> {
      const started = performance.now();
      const { signal } = request;
      try {
        if (signal?.aborted) throw signal.reason;
        const last = lastUser(request.messages);
        let text: string;
        let toolCalls: ToolCall[] = [];
        let usage: FakeRule['usage'];
        let logprobs: TokenLogprob[] | undefined;
        if (respond) {
          text = await respond(request.messages.map((m) => ({ role: m.role, content: m.content })));
        } else {
          const view = turnView(request.messages);
          const rule = pick(last, view, request.sample ?? 0);
          if (rule?.delayMs) await sleep(rule.delayMs, signal);
          if (rule?.error) {
            const e = rule.error;
            throw new ModelCallError(`${id}: ${e.message}`, {
              kind: e.kind,
              retryable: e.kind !== 'client',
              status: e.status,
              retryAfterMs: e.retryAfterMs,
            });
          }
          text = rule
            ? fill(rule.reply ?? '', last)
            : script?.default !== undefined
              ? fill(script.default, last)
              : last;
          // Ids unique within the transcript: a tool message answers its call by id.
          const turns = request.messages.filter((m) => m.role === 'assistant').length;
          toolCalls = (rule?.toolCalls ?? []).map((t, i) => ({
            id: turns === 0 ? `call_${i}` : `call_${turns}_${i}`,
            name: t.name,
            arguments: t.arguments ?? {},
          }));
          usage = rule?.usage;
          // Like a provider: log-probabilities only when the call asks for them.
          if (rule?.logprobs && request.topLogprobs !== undefined) {
            if (rule.logprobs.map((t) => t.token).join('') !== text)
              throw new ModelCallError(`${id}: the scripted logprobs tokens do not spell the reply`, {
                kind: 'bad-response',
                retryable: false,
              });
            logprobs = scriptedLogprobs(rule.logprobs, request.topLogprobs);
          }
        }
        if (signal?.aborted) throw signal.reason;
        const inputChars = request.messages.reduce((s, m) => s + m.content.length, 0);
        const outputChars =
          text.length + toolCalls.reduce((s, t) => s + JSON.stringify(t.arguments).length, 0);
        const u: Usage = {
          inputTokens: usage?.inputTokens ?? Math.ceil(inputChars / 4),
          outputTokens: usage?.outputTokens ?? Math.ceil(outputChars / 4),
        };
        u.totalTokens = (u.inputTokens ?? 0) + (u.outputTokens ?? 0);
        return {
          text,
          toolCalls,
          usage: u,
          latencyMs: performance.now() - started,
          finishReason: toolCalls.length > 0 ? 'tool-calls' : 'stop',
          responseModel: name,
          ...(logprobs ? { logprobs } : {}),
        };
      } catch (e) {
        throw mapModelError(e, { signal, modelId: id });
      }
    },
  };
}
