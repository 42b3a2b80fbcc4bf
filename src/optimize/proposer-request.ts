import type { ChatMessage } from '../core/types.ts';
import { editCatalog, editKinds } from './prompt-edit.ts';

/** A dev case as the proposer sees it: what went in, what came out, why it failed. */
export interface ShownCase {
  caseId: string;
  input: string;
  outputs: string[];
  reasons: string[];
  expected?: string;
}

export interface TriedHypothesis {
  hypothesis: string;
  edit: string;
  verdict: string;
  why: string;
}

export interface ProposerRequestInput {
  /** The edited message of the incumbent prompt (numbered for reference). */
  prompt: string;
  signature: string;
  failing: ShownCase[];
  /** Passing cases near the cluster: what the prompt already gets right. */
  passing: ShownCase[];
  tried: TriedHypothesis[];
}

const clip = (s: string, n = 600) => (s.length > n ? `${s.slice(0, n)}…` : s);

/**
 * The diagnosis request for one failure cluster: the prompt with line numbers, the cluster's failing dev
 * cases (inputs, outputs, check reasons), a few passing contrast cases, the hypotheses already tried and
 * the catalog of typed edits; the answer is one JSON object (see `parseProposal`).
 */
export function proposerMessages(o: ProposerRequestInput): ChatMessage[] {
  const system = [
    'You are a careful prompt engineer improving a prompt one change at a time.',
    'Diagnose why the failing cases fail, quoting the failing outputs or the prompt as evidence (quotes must',
    'be copied exactly), state a testable hypothesis, and propose exactly one edit of these kinds:',
    ...editKinds.map((k) => `- ${editCatalog[k]}`),
    'Write general instructions: never copy a test input or an expected answer into the prompt.',
    'Answer with one JSON object and nothing else:',
    '{"diagnosis": "...", "evidence": ["exact quote", ...], "hypothesis": "...",',
    ' "edit": {...}, "predictedFixes": ["case id", ...]}',
  ].join('\n');
  const numbered = o.prompt
    .split('\n')
    .map((l, i) => `${String(i + 1).padStart(3)} | ${l}`)
    .join('\n');
  const show = (c: ShownCase) =>
    [
      `### case ${c.caseId}`,
      `input: ${clip(c.input)}`,
      ...c.outputs.slice(0, 2).map((x) => `output: ${clip(x)}`),
      ...(c.reasons.length ? [`failed checks: ${c.reasons.join('; ')}`] : []),
      ...(c.expected !== undefined ? [`expected: ${clip(c.expected, 300)}`] : []),
    ].join('\n');
  const user = [
    '## Prompt (the message being optimized)',
    numbered,
    '',
    `## Failure cluster: ${o.signature}`,
    ...o.failing.map(show),
    '',
    '## Passing cases for contrast',
    ...(o.passing.length ? o.passing.map(show) : ['(none)']),
    '',
    '## Hypotheses already tried',
    ...(o.tried.length
      ? o.tried.map((t) => `- ${t.hypothesis} [${t.edit}] → ${t.verdict}: ${t.why}`)
      : ['(none)']),
  ].join('\n');
  return [
    { role: 'system', content: system },
    { role: 'user', content: user },
  ];
}
