import { canonicalJson } from '../core/canonical-json.ts';
import type { ChatMessage, Termination, ToolCall, TrajectoryStep, Usage } from '../core/types.ts';
import {
  addCost,
  type ExecutionResult,
  type ItemExecutor,
  type StepAnswer,
} from '../engine/item-executor.ts';
import { ToolRunner } from './tool-runner.ts';

/** The same call (tool and arguments) made this many times is a loop: the run stops before making it. */
export const LOOP_REPEATS = 3;

function addUsage(a: Usage, b: Usage): Usage {
  const out: Usage = {};
  for (const k of ['inputTokens', 'outputTokens', 'totalTokens'] as const)
    if (a[k] !== undefined || b[k] !== undefined) out[k] = (a[k] ?? 0) + (b[k] ?? 0);
  return out;
}

/**
 * Runs an agent case (one with `agent:`): step → run the tool calls → step … until the model answers
 * without a tool call (`final-answer`), or `maxSteps` model calls (`max-steps`), `maxToolErrors` tool errors
 * (`max-errors`), or the same call a third time (`loop`). See docs/agents.md.
 */
export const agentExecutor: ItemExecutor = {
  name: 'agent',
  handles: (item) => item.testCase.agent !== undefined,
  async run(ctx): Promise<ExecutionResult> {
    const { item } = ctx;
    const spec = item.testCase.agent;
    if (!spec) throw new Error('agent executor: the case has no agent spec');
    let tools: ToolRunner;
    try {
      tools = await ToolRunner.create(spec, item.prompt.tools ?? [], item.testCase);
    } catch (e) {
      return {
        kind: 'error',
        error: { kind: 'client', message: (e as Error).message },
        attempts: 0,
        cost: 0,
      };
    }
    const messages: ChatMessage[] = [...ctx.messages];
    const steps: TrajectoryStep[] = [];
    const seen = new Map<string, number>();
    const usedIds = new Set<string>();
    let cost: number | null = 0;
    let callCost: number | null = 0;
    let cached = true;
    let attempts = 0;
    let usage: Usage = {};
    let latencyMs = 0;
    let toolErrors = 0;
    let llmSteps = 0;
    let last: StepAnswer | undefined;
    let termination: Termination | undefined;

    const trajectory = (end: Termination) => {
      let state: unknown;
      try {
        state = tools.state();
      } catch (e) {
        return { error: `the environment's state() failed: ${(e as Error).message}` };
      }
      return { steps, termination: end, messages, ...(state !== undefined ? { state } : {}) };
    };

    while (termination === undefined) {
      const outcome = await ctx.step({ messages: [...messages] });
      if (outcome.kind === 'stopped') return outcome;
      attempts += outcome.attempts;
      llmSteps++;
      if (outcome.kind === 'error') {
        steps.push({ type: 'llm', turn: 0, error: outcome.error.message });
        const t = trajectory('error');
        return {
          kind: 'error',
          error: outcome.error,
          attempts,
          cost,
          ...('steps' in t ? { trajectory: t } : {}),
        };
      }
      const answer = outcome.answer;
      last = answer;
      cost = addCost(cost, outcome.cost);
      callCost = addCost(callCost, outcome.callCost);
      cached &&= outcome.cached;
      usage = addUsage(usage, answer.usage);
      latencyMs += answer.latencyMs;
      // Providers may omit ids (and a scripted model repeats them): tool messages must answer their call.
      const calls: ToolCall[] = answer.toolCalls.map((c, i) => {
        const id = c.id && !usedIds.has(c.id) ? c.id : `call_${llmSteps}_${i}`;
        usedIds.add(id);
        return { ...c, id };
      });
      steps.push({
        type: 'llm',
        turn: 0,
        text: answer.text,
        ...(calls.length > 0 ? { toolCalls: calls } : {}),
        latencyMs: answer.latencyMs,
        usage: answer.usage,
        cost: outcome.callCost,
        cached: outcome.cached,
      });
      messages.push({
        role: 'assistant',
        content: answer.text,
        ...(calls.length > 0 ? { toolCalls: calls } : {}),
      });
      if (calls.length === 0) {
        termination = 'final-answer';
        break;
      }
      for (const call of calls) {
        const key = `${call.name}\u0000${typeof call.arguments === 'string' ? call.arguments : canonicalJson(call.arguments)}`;
        const times = (seen.get(key) ?? 0) + 1;
        seen.set(key, times);
        if (times >= LOOP_REPEATS) {
          steps.push({
            type: 'tool',
            turn: 0,
            name: call.name,
            args: call.arguments,
            callId: call.id as string,
            error: `not run: the same call for the ${LOOP_REPEATS}rd time (loop)`,
          });
          termination = 'loop';
          break;
        }
        const started = performance.now();
        const result = await tools.run(call.name, call.arguments);
        const took = performance.now() - started;
        latencyMs += took;
        steps.push({
          type: 'tool',
          turn: 0,
          name: call.name,
          args: call.arguments,
          callId: call.id as string,
          text: result.content,
          ...(result.ok ? {} : { error: result.error }),
          latencyMs: took,
        });
        messages.push({
          role: 'tool',
          content: result.content,
          toolCallId: call.id as string,
          name: call.name,
        });
        if (!result.ok) toolErrors++;
      }
      if (termination !== undefined) break;
      if (toolErrors >= spec.maxToolErrors) termination = 'max-errors';
      else if (llmSteps >= spec.maxSteps) termination = 'max-steps';
    }
    const t = trajectory(termination);
    if (!('steps' in t))
      return { kind: 'error', error: { kind: 'client', message: t.error }, attempts, cost };
    const final = last as StepAnswer;
    return {
      kind: 'ok',
      answer: {
        text: final.text,
        toolCalls: final.toolCalls,
        usage,
        latencyMs,
        ...(final.finishReason !== undefined ? { finishReason: final.finishReason } : {}),
      },
      trajectory: t,
      cost,
      callCost,
      cached,
      attempts,
    };
  },
};
