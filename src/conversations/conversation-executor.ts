import { setTimeout as sleep } from 'node:timers/promises';
import { runChecks } from '../core/checks/run-checks.ts';
import type { BoundCheck } from '../core/config/project.ts';
import { renderTurnText } from '../core/suite/render-turn-text.ts';
import type {
  ChatMessage,
  CheckResult,
  ErrorKind,
  SimulatedUserSpec,
  Termination,
  TrajectoryStep,
  Usage,
} from '../core/types.ts';
import {
  addCost,
  type ExecutionResult,
  type ExecutorContext,
  type ItemExecutor,
  type StepAnswer,
} from '../engine/item-executor.ts';
import { ModelCallError } from '../models/model-port.ts';
import { conversationChecksOf } from './conversation-checks.ts';
import { type Exchange, simulatedUserMessages } from './simulated-user-messages.ts';

/**
 * Runs conversation cases (docs/conversations.md): a scripted one (`turns`) sends the user turns one by
 * one, a simulated one (`simulatedUser`) lets a model write each next user message until it writes its
 * stop marker or the turn cap is hit. Each reply is checked right away by its turn's checks and
 * `everyTurn`; the case's own checks then judge the last reply with the whole trajectory.
 */
export const conversationExecutor: ItemExecutor = {
  name: 'conversation',
  handles: (item) => item.testCase.turns !== undefined || item.testCase.simulatedUser !== undefined,
  run: (ctx) => new Conversation(ctx).run(),
};

/** Retries of a simulator call that failed transiently, waiting 250 ms, 500 ms, 1 s (or Retry-After). */
const SIMULATOR_RETRIES = 3;
const SIMULATOR_BACKOFF_MS = 250;

/** Thrown inside a conversation to end it; turned into the executor's result. */
class Ended {
  readonly result: ExecutionResult;
  constructor(result: ExecutionResult) {
    this.result = result;
  }
}

class Conversation {
  private readonly ctx: ExecutorContext;
  private readonly checks: ReturnType<typeof conversationChecksOf>;
  /** Everything sent to the target so far (the next step's request). */
  private readonly messages: ChatMessage[];
  /** The conversation from the user's first message on, as the simulated user sees it. */
  private readonly exchanges: Exchange[] = [];
  private readonly steps: TrajectoryStep[] = [];
  private readonly stepChecks: CheckResult[] = [];
  private last: StepAnswer | undefined;
  private usage: Usage = {};
  private latencyMs = 0;
  private cost: number | null = 0;
  private callCost: number | null = 0;
  private cached = true;
  private attempts = 0;

  constructor(ctx: ExecutorContext) {
    this.ctx = ctx;
    this.checks = conversationChecksOf(ctx.item.testCase);
    this.messages = ctx.messages.map((m) => ({ ...m }));
  }

  async run(): Promise<ExecutionResult> {
    const tc = this.ctx.item.testCase;
    try {
      const termination = tc.turns
        ? await this.scripted()
        : await this.simulated(tc.simulatedUser as SimulatedUserSpec);
      return this.finish(termination);
    } catch (e) {
      if (e instanceof Ended) return e.result;
      throw e;
    }
  }

  private async scripted(): Promise<Termination> {
    const tc = this.ctx.item.testCase;
    const turns = tc.turns ?? [];
    for (const [i, turn] of turns.entries()) {
      if (turn.user !== undefined) this.say(renderTurnText(turn.user, tc.vars), i);
      else this.promptOpening(i);
      await this.reply(i);
    }
    return 'turns-done';
  }

  private async simulated(spec: SimulatedUserSpec): Promise<Termination> {
    const vars = this.ctx.item.testCase.vars;
    if (!this.promptOpening(0)) {
      if (spec.firstMessage !== undefined) this.say(renderTurnText(spec.firstMessage, vars), 0);
      else {
        const opening = await this.simulate(spec, 0);
        if (opening.includes(spec.stop))
          this.fail(
            'bad-response',
            `the simulated user wrote its stop marker ${spec.stop} before any message`,
          );
        this.say(opening, 0, true);
      }
    }
    for (let turn = 0; ; turn++) {
      await this.reply(turn);
      // Asked even after the last allowed reply: that reply may be the one that reached the goal.
      const next = await this.simulate(spec, turn + 1);
      if (next.includes(spec.stop)) {
        this.steps.push({ ...this.simStep, turn: turn + 1, text: next });
        return 'user-stop';
      }
      if (turn + 1 >= spec.maxTurns) return 'max-turns';
      this.say(next, turn + 1, true);
    }
  }

  /** Turn 1 is the prompt's own last message when it is a user message: record it as the user's. */
  private promptOpening(turn: number): boolean {
    const last = this.messages.at(-1);
    if (last?.role !== 'user') return false;
    this.steps.push({ type: 'user', turn, text: last.content });
    this.exchanges.push({ from: 'user', text: last.content });
    return true;
  }

  /** The simulator's call details, kept for the step that records its message. */
  private simStep: Omit<TrajectoryStep, 'turn'> = { type: 'user' };

  private say(text: string, turn: number, simulated = false): void {
    this.messages.push({ role: 'user', content: text });
    this.exchanges.push({ from: 'user', text });
    this.steps.push(simulated ? { ...this.simStep, turn, text } : { type: 'user', turn, text });
  }

  /** One call to the target, then this turn's checks on its reply. */
  private async reply(turn: number): Promise<void> {
    const sent = this.messages.map((m) => ({ ...m }));
    const outcome = await this.ctx.step({ messages: sent });
    if (outcome.kind === 'stopped') throw new Ended({ kind: 'stopped' });
    this.attempts += outcome.attempts;
    if (outcome.kind === 'error') {
      this.steps.push({ type: 'llm', turn, error: outcome.error.message });
      this.fail(outcome.error.kind, outcome.error.message);
    }
    const { answer } = outcome;
    this.last = answer;
    this.usage = addUsage(this.usage, answer.usage);
    this.latencyMs += answer.latencyMs;
    this.cost = addCost(this.cost, outcome.cost);
    this.callCost = addCost(this.callCost, outcome.callCost);
    this.cached &&= outcome.cached;
    this.steps.push({
      type: 'llm',
      turn,
      text: answer.text,
      ...(answer.toolCalls.length > 0 ? { toolCalls: answer.toolCalls } : {}),
      latencyMs: answer.latencyMs,
      usage: answer.usage,
      cost: outcome.callCost,
      cached: outcome.cached,
    });
    // Tool calls are recorded, not run: the next user turn follows the reply's text.
    this.messages.push({ role: 'assistant', content: answer.text });
    this.exchanges.push({ from: 'assistant', text: answer.text });

    const checks: BoundCheck[] = [...(this.checks.turns[turn] ?? []), ...this.checks.everyTurn];
    if (checks.length === 0) return;
    const { item, services } = this.ctx;
    const results = await runChecks(
      checks,
      {
        text: answer.text,
        toolCalls: answer.toolCalls,
        latencyMs: answer.latencyMs,
        usage: answer.usage,
        cost: outcome.callCost,
      },
      item.testCase,
      { prompt: item.prompt, messages: sent, modelId: item.model.id, services },
    );
    for (const r of results)
      this.stepChecks.push({ ...r, name: `turn ${turn + 1}: ${r.name ?? r.type}`, turn });
  }

  /** The simulated user's next message, through the run's services (cached and budgeted like judges). */
  private async simulate(spec: SimulatedUserSpec, turn: number): Promise<string> {
    if (this.ctx.signal.aborted) throw new Ended({ kind: 'stopped' });
    let response: Awaited<ReturnType<ExecutorContext['services']['generate']>>;
    for (let retry = 0; ; retry++) {
      try {
        response = await this.ctx.services.generate(spec.model, {
          messages: simulatedUserMessages(spec, this.exchanges),
          settings: spec.settings ?? {},
        });
        break;
      } catch (e) {
        if (this.ctx.signal.aborted) throw new Ended({ kind: 'stopped' });
        // The services do not retry (a judge's call fails its check); a conversation would lose every
        // turn so far, so transient failures (429, 5xx, timeouts, resets) are retried here.
        if (retry < SIMULATOR_RETRIES && e instanceof ModelCallError && e.retryable) {
          const wait = Math.min(e.retryAfterMs ?? SIMULATOR_BACKOFF_MS * 2 ** retry, 30_000);
          await sleep(wait, undefined, { signal: this.ctx.signal }).catch(() => {
            throw new Ended({ kind: 'stopped' });
          });
          continue;
        }
        const message = e instanceof Error ? e.message : String(e);
        this.steps.push({ type: 'user', turn, error: message });
        return this.fail(errorKindOf(e, message), `simulated user (${spec.model}): ${message}`);
      }
    }
    this.cached &&= response.cached;
    this.simStep = { type: 'user', usage: response.usage, cost: response.cost, cached: response.cached };
    const text = response.text.trim();
    if (text === '') {
      this.steps.push({ ...this.simStep, turn, error: 'empty message' });
      this.fail('bad-response', `simulated user (${spec.model}) wrote an empty message`);
    }
    return text;
  }

  private fail(kind: ErrorKind, message: string): never {
    throw new Ended({
      kind: 'error',
      error: { kind, message },
      attempts: this.attempts,
      cost: this.cost,
      trajectory: { steps: this.steps, termination: 'error', messages: this.messages },
    });
  }

  private finish(termination: Termination): ExecutionResult {
    const last = this.last;
    if (!last) return this.fail('bad-response', 'the conversation ended before any reply');
    return {
      kind: 'ok',
      answer: { ...last, usage: this.usage, latencyMs: this.latencyMs },
      trajectory: { steps: this.steps, termination, messages: this.messages },
      cost: this.cost,
      callCost: this.callCost,
      cached: this.cached,
      attempts: this.attempts,
      stepChecks: this.stepChecks,
    };
  }
}

function addUsage(a: Usage, b: Usage): Usage {
  const out: Usage = {};
  for (const k of ['inputTokens', 'outputTokens', 'totalTokens'] as const)
    if (a[k] !== undefined || b[k] !== undefined) out[k] = (a[k] ?? 0) + (b[k] ?? 0);
  return out;
}

const ERROR_KINDS: readonly ErrorKind[] = [
  'rate-limit',
  'server',
  'timeout',
  'network',
  'bad-response',
  'client',
  'budget',
];

function errorKindOf(e: unknown, message: string): ErrorKind {
  const kind = (e as { kind?: unknown } | null)?.kind;
  if (typeof kind === 'string' && (ERROR_KINDS as readonly string[]).includes(kind)) return kind as ErrorKind;
  return /^over budget/.test(message) ? 'budget' : 'client';
}
