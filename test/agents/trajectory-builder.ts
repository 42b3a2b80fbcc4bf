import { compileCheck } from '../../src/core/checks/compile-check.ts';
import type {
  CaseSpec,
  CheckOutput,
  CheckSpec,
  CompiledCheck,
  Termination,
  Trajectory,
  TrajectoryStep,
} from '../../src/core/types.ts';

/** A tool call in a built trajectory: name, arguments, and the error it ended with (if any). */
export type Call = [name: string, args?: unknown, error?: string];

/**
 * A trajectory where each call is its own model step, then (for `final-answer`) a last model step with the
 * answer: the shape the agent executor records.
 */
export function trajectory(
  calls: Call[],
  opts: { termination?: Termination; state?: unknown } = {},
): Trajectory {
  const termination = opts.termination ?? 'final-answer';
  const steps: TrajectoryStep[] = [];
  calls.forEach(([name, args = {}, error], i) => {
    steps.push({ type: 'llm', turn: 0, text: '', toolCalls: [{ id: `c${i}`, name, arguments: args }] });
    steps.push({
      type: 'tool',
      turn: 0,
      name,
      args,
      callId: `c${i}`,
      text: error ? `Error: ${error}` : 'ok',
      ...(error ? { error } : {}),
    });
  });
  if (termination === 'final-answer') steps.push({ type: 'llm', turn: 0, text: 'All done.' });
  return { steps, termination, messages: [], ...(opts.state !== undefined ? { state: opts.state } : {}) };
}

export function outputOf(t: Trajectory | undefined, text = 'All done.'): CheckOutput {
  return { text, toolCalls: [], latencyMs: 1, usage: {}, cost: 0, ...(t ? { trajectory: t } : {}) };
}

const testCase: CaseSpec = { id: 'c', vars: {}, checks: [], tags: [] };

export function compile(spec: CheckSpec, customChecks?: Map<string, CompiledCheck>): CompiledCheck {
  return compileCheck(spec, { where: { file: 'suite.yaml', field: 'cases[0].checks[0]' }, customChecks });
}

/** Compiles `spec` and runs it on an output with trajectory `t`. */
export async function verdict(spec: CheckSpec, t: Trajectory | undefined, text?: string) {
  return compile(spec)(outputOf(t, text), testCase, {
    prompt: { name: 'p', file: 'p', version: 'v', canonical: '', settings: {}, variables: {}, messages: [] },
    messages: [],
    modelId: 'fake:x',
  });
}
