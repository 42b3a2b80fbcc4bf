import type { JudgeSpec } from './judge-file.ts';

/** A pointwise judge's parsed answer, with the pass decision and a score in [0, 1] where the scale has one. */
export interface JudgeVerdict {
  reasoning: string;
  pass: boolean;
  /** 1-5: (score − 1) / 4; checklist: share of points met. Absent for pass-fail. */
  score?: number;
  /** 1-5: the raw score the judge gave. */
  rawScore?: number;
  /** Checklist: one answer per criterion, in order. */
  criteria?: boolean[];
}

export type PairwiseWinner = 'A' | 'B' | 'tie';

export interface PairwiseVerdict {
  reasoning: string;
  winner: PairwiseWinner;
}

const FENCED = /^```(?:json)?[ \t]*\n([\s\S]*?)\n[ \t]*```$/;

/**
 * The judge's answer as a JSON object: the whole reply, or the whole reply as one fenced ```json block.
 * Anything else throws: prose around the JSON is not guessed at.
 */
function parseObject(text: string): Record<string, unknown> {
  const trimmed = text.trim();
  const fenced = FENCED.exec(trimmed);
  const body = fenced ? (fenced[1] as string) : trimmed;
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    throw new Error(`judge reply is not a JSON object: ${preview(trimmed)}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new Error(`judge reply is not a JSON object: ${preview(trimmed)}`);
  return value as Record<string, unknown>;
}

function preview(text: string): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > 80 ? `'${flat.slice(0, 80)}…'` : `'${flat}'`;
}

/** Exactly `reasoning` (a string, first) and the one answer key. */
function checkKeys(obj: Record<string, unknown>, answerKey: string): string {
  const keys = Object.keys(obj);
  const extra = keys.filter((k) => k !== 'reasoning' && k !== answerKey);
  if (extra.length > 0) throw new Error(`judge reply has unexpected key(s): ${extra.join(', ')}`);
  if (typeof obj.reasoning !== 'string') throw new Error("judge reply has no 'reasoning' string");
  if (!(answerKey in obj)) throw new Error(`judge reply has no '${answerKey}'`);
  if (keys[0] !== 'reasoning') throw new Error(`judge reply gives '${answerKey}' before 'reasoning'`);
  return obj.reasoning;
}

/**
 * Strictly parses a pointwise judge's reply for its scale. Unparseable, missing or out-of-scale answers
 * throw, so the check becomes an `error` (never a pass).
 */
export function parseVerdict(text: string, judge: JudgeSpec): JudgeVerdict {
  const obj = parseObject(text);
  if (judge.kind === 'pairwise') throw new Error('a pairwise judge reply has no pointwise verdict');
  if (judge.scale === 'pass-fail') {
    const reasoning = checkKeys(obj, 'verdict');
    if (obj.verdict !== 'pass' && obj.verdict !== 'fail')
      throw new Error(`judge verdict ${JSON.stringify(obj.verdict)} is not "pass" or "fail"`);
    return { reasoning, pass: obj.verdict === 'pass' };
  }
  if (judge.scale === '1-5') {
    const reasoning = checkKeys(obj, 'score');
    const s = obj.score;
    if (typeof s !== 'number' || !Number.isInteger(s) || s < 1 || s > 5)
      throw new Error(`judge score ${JSON.stringify(s)} is not an integer from 1 to 5`);
    const threshold = judge.passThreshold ?? 4;
    return { reasoning, pass: s >= threshold, score: (s - 1) / 4, rawScore: s };
  }
  const reasoning = checkKeys(obj, 'criteria');
  const answers = obj.criteria;
  const n = judge.criteria.length;
  if (!Array.isArray(answers) || answers.length !== n || !answers.every((a) => typeof a === 'boolean'))
    throw new Error(`judge 'criteria' must be a list of ${n} booleans, got ${JSON.stringify(answers)}`);
  let total = 0;
  let met = 0;
  judge.criteria.forEach((c, i) => {
    total += c.points;
    if (answers[i]) met += c.points;
  });
  const score = total > 0 ? met / total : 0;
  const threshold = judge.passThreshold ?? 1;
  return { reasoning, pass: score >= threshold - 1e-12, score, criteria: answers as boolean[] };
}

/** Strictly parses a pairwise judge's reply: `{ "reasoning": …, "winner": "A" | "B" | "tie" }`. */
export function parsePairwiseVerdict(text: string): PairwiseVerdict {
  const obj = parseObject(text);
  const reasoning = checkKeys(obj, 'winner');
  const w = obj.winner;
  if (w !== 'A' && w !== 'B' && w !== 'tie')
    throw new Error(`judge winner ${JSON.stringify(w)} is not "A", "B" or "tie"`);
  return { reasoning, winner: w };
}
