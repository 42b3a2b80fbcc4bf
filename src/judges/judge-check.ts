import type { CheckDefinition } from '../core/checks/check-definition.ts';
import type { ChatMessage } from '../core/types.ts';
import type { JudgeSpec } from './judge-file.ts';
import { buildJudgePrompt } from './judge-prompt.ts';
import { parseVerdict } from './parse-verdict.ts';

/** Whether a value is a parsed judge (what the project loader puts in place of `judge: file.judge.md`). */
export function isJudgeSpec(value: unknown): value is JudgeSpec {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.name === 'string' &&
    typeof v.version === 'string' &&
    typeof v.model === 'string' &&
    typeof v.rubric === 'string' &&
    typeof v.kind === 'string' &&
    typeof v.scale === 'string' &&
    Array.isArray(v.criteria) &&
    Array.isArray(v.uses)
  );
}

function lastUserMessage(messages: readonly ChatMessage[]): string | undefined {
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i] as ChatMessage;
    if (m.role === 'user') return m.content;
  }
  return undefined;
}

/**
 * `judge` {judge}: an LLM judge grades the output with the rubric of a `*.judge.md` file. The judge model
 * is called through the engine (`ctx.services`): cached and costed in the run's budget. A reply that
 * cannot be parsed, or is out of scale, makes the check an error, never a pass.
 */
export const judgeCheck: CheckDefinition = {
  type: 'judge',
  keys: ['judge'],
  compile(spec) {
    const expected = 'a judge file path relative to the file that names it, e.g. judges/tone.judge.md';
    if (!spec.has('judge')) spec.fail('judge', "missing for check 'judge'", expected);
    const value = spec.get('judge');
    if (typeof value === 'string')
      spec.fail(
        'judge',
        `judge file '${value}' was not loaded`,
        expected,
        'judge checks are read by the project loader at the top level of a case, suite or config checks list',
      );
    const judge: JudgeSpec = isJudgeSpec(value) ? value : spec.fail('judge', 'invalid value', expected);
    if (judge.kind === 'pairwise')
      spec.fail(
        'judge',
        `judge '${judge.name}' is pairwise: it compares two outputs and cannot grade one output as a check`,
        "a judge of kind 'rubric', 'reference' or 'checklist'",
      );
    return async (output, testCase, ctx) => {
      if (!ctx.services)
        throw new Error(`judge '${judge.name}' needs a model: run it through the engine (assay eval)`);
      const request = lastUserMessage(ctx.messages);
      const prompt = buildJudgePrompt(judge, {
        output: output.text,
        ...(request !== undefined ? { request } : {}),
        ...(testCase.expected !== undefined ? { expected: testCase.expected } : {}),
        ...(testCase.context !== undefined ? { context: testCase.context } : {}),
      });
      const reply = await ctx.services.generate(judge.model, {
        messages: prompt.messages,
        settings: judge.settings,
      });
      let verdict: ReturnType<typeof parseVerdict>;
      try {
        verdict = parseVerdict(reply.text, judge);
      } catch (e) {
        throw new Error(`judge '${judge.name}': ${(e as Error).message}`);
      }
      const details: Record<string, unknown> = {
        judge: judge.name,
        judgeVersion: judge.version,
        judgeModel: judge.model,
        reasoning: verdict.reasoning,
        judgeCost: reply.cost,
        judgeCached: reply.cached,
      };
      if (verdict.rawScore !== undefined) details.rawScore = verdict.rawScore;
      if (verdict.criteria !== undefined) details.criteria = verdict.criteria;
      const reason = `${judge.name}: ${verdict.pass ? 'pass' : 'fail'}${
        verdict.rawScore !== undefined ? ` (${verdict.rawScore}/5)` : ''
      }${verdict.score !== undefined && verdict.rawScore === undefined ? ` (${Math.round(verdict.score * 100)}% of points)` : ''}: ${verdict.reasoning}`;
      return {
        pass: verdict.pass,
        ...(verdict.score !== undefined ? { score: verdict.score } : {}),
        reason,
        details,
      };
    };
  },
};
