import type { CheckDefinition, Verdict } from '../core/checks/check-definition.ts';
import type { SpecReader } from '../core/checks/spec-reader.ts';
import type { CaseSpec, ChatMessage, CheckContext, CheckOutput } from '../core/types.ts';
import type { JudgeSpec } from './judge-file.ts';
import { buildJudgePrompt } from './judge-prompt.ts';
import { type JudgeVerdict, parseVerdict } from './parse-verdict.ts';
import { probabilityScore } from './probability-score.ts';

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

/** Top alternatives asked for per token when a judge scores by probability (OpenAI's maximum). */
export const PROBABILITY_TOP_LOGPROBS = 20;

const JUDGE_EXPECTED = 'a judge file path relative to the file that names it, e.g. judges/tone.judge.md';

/**
 * The judge a check field names, as the project loader left it: a parsed, pointwise judge. A path that
 * was not loaded, anything else, or a pairwise judge is a config error at `key` (`judge`, `judges[1]`).
 */
export function readJudge(spec: SpecReader, key: string, value: unknown): JudgeSpec {
  if (typeof value === 'string')
    spec.fail(
      key,
      `judge file '${value}' was not loaded`,
      JUDGE_EXPECTED,
      'judge files are read by the project loader (assay eval, gate); the library compileCheck needs the parsed judge',
    );
  const judge: JudgeSpec = isJudgeSpec(value) ? value : spec.fail(key, 'invalid value', JUDGE_EXPECTED);
  if (judge.kind === 'pairwise')
    spec.fail(
      key,
      `judge '${judge.name}' is pairwise: it compares two outputs and cannot grade one output as a check`,
      "a judge of kind 'rubric', 'reference' or 'checklist'",
    );
  return judge;
}

/** One judge's grade of one output: the parsed verdict and the check result it makes. */
export interface JudgeGrade extends Verdict {
  verdict: JudgeVerdict;
  details: Record<string, unknown>;
}

/**
 * Asks one pointwise judge to grade `output` (through `ctx.services`: cached, costed, budgeted). A reply
 * that cannot be parsed throws `judge 'NAME': …`, so the check is an error, never a pass.
 */
export async function gradeWithJudge(
  judge: JudgeSpec,
  output: CheckOutput,
  testCase: CaseSpec,
  ctx: CheckContext,
): Promise<JudgeGrade> {
  if (!ctx.services)
    throw new Error(`judge '${judge.name}' needs a model: run it through the engine (assay eval)`);
  const request = lastUserMessage(ctx.messages);
  const prompt = buildJudgePrompt(judge, {
    output: output.text,
    ...(request !== undefined ? { request } : {}),
    ...(testCase.expected !== undefined ? { expected: testCase.expected } : {}),
    ...(testCase.context !== undefined ? { context: testCase.context } : {}),
    ...(output.trajectory !== undefined ? { trajectory: output.trajectory } : {}),
  });
  const probability = judge.scoring === 'probability';
  const reply = await ctx.services.generate(judge.model, {
    messages: prompt.messages,
    settings: judge.settings,
    ...(probability ? { topLogprobs: PROBABILITY_TOP_LOGPROBS } : {}),
  });
  let verdict: JudgeVerdict;
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
  let pass = verdict.pass;
  let score = verdict.score;
  let grade = '';
  if (verdict.rawScore !== undefined) grade = ` (${verdict.rawScore}/5)`;
  else if (verdict.score !== undefined) grade = ` (${Math.round(verdict.score * 100)}% of points)`;
  if (probability && verdict.rawScore !== undefined) {
    const p = probabilityScore(reply.text, reply.logprobs);
    details.probabilityWeighted = p.ok;
    if (p.ok) {
      const threshold = judge.passThreshold ?? 4;
      pass = p.weighted >= threshold - 1e-12;
      score = (p.weighted - 1) / 4;
      details.weightedScore = p.weighted;
      details.distribution = p.distribution;
      grade = ` (${p.weighted.toFixed(2)}/5 probability-weighted; sampled ${verdict.rawScore})`;
      verdict = { ...verdict, pass, score };
    } else {
      details.probabilityNote = p.why;
      grade = ` (${verdict.rawScore}/5; sampled score, not probability-weighted: ${p.why})`;
    }
  }
  const reason = `${judge.name}: ${pass ? 'pass' : 'fail'}${grade}: ${verdict.reasoning}`;
  return { pass, ...(score !== undefined ? { score } : {}), reason, details, verdict };
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
    if (!spec.has('judge')) spec.fail('judge', "missing for check 'judge'", JUDGE_EXPECTED);
    const judge = readJudge(spec, 'judge', spec.get('judge'));
    return async (output, testCase, ctx) => {
      const { verdict: _verdict, ...result } = await gradeWithJudge(judge, output, testCase, ctx);
      return result;
    };
  },
};
