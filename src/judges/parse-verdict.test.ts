import { describe, expect, it } from 'vitest';
import { parseJudgeFile } from './judge-file.ts';
import { parsePairwiseVerdict, parseVerdict } from './parse-verdict.ts';

const passFail = parseJudgeFile('---\nmodel: fake:j\n---\nRubric.\n', 'pf.judge.md');
const fivePoint = parseJudgeFile('---\nmodel: fake:j\nscale: 1-5\n---\nRubric.\n', 'five.judge.md');
const checklist = parseJudgeFile(
  '---\nmodel: fake:j\nscale: checklist\npassThreshold: 0.6\ncriteria:\n  - { text: a, points: 3 }\n  - { text: b }\n  - { text: c }\n---\nRubric.\n',
  'list.judge.md',
);

describe('parseVerdict', () => {
  it('pass-fail: the whole reply or one fenced json block', () => {
    expect(parseVerdict('{"reasoning": "ok", "verdict": "pass"}', passFail)).toEqual({
      reasoning: 'ok',
      pass: true,
    });
    expect(parseVerdict(' ```json\n{"reasoning": "no", "verdict": "fail"}\n``` ', passFail)).toEqual({
      reasoning: 'no',
      pass: false,
    });
    expect(parseVerdict('```\n{"reasoning": "", "verdict": "pass"}\n```', passFail).pass).toBe(true);
  });

  it('1-5: integer scores, scaled, pass at the threshold (default 4)', () => {
    expect(parseVerdict('{"reasoning": "r", "score": 4}', fivePoint)).toEqual({
      reasoning: 'r',
      pass: true,
      score: 0.75,
      rawScore: 4,
    });
    expect(parseVerdict('{"reasoning": "r", "score": 3}', fivePoint).pass).toBe(false);
  });

  it('checklist: share of points met', () => {
    expect(parseVerdict('{"reasoning": "r", "criteria": [true, false, false]}', checklist)).toEqual({
      reasoning: 'r',
      pass: true,
      score: 0.6,
      criteria: [true, false, false],
    });
    expect(parseVerdict('{"reasoning": "r", "criteria": [false, true, true]}', checklist).pass).toBe(false);
  });

  const bad: [string, string, ReturnType<typeof parseJudgeFile>][] = [
    ['prose', 'PASS', passFail],
    ['prose around JSON', 'Here: {"reasoning": "ok", "verdict": "pass"}', passFail],
    ['two fenced blocks', '```json\n{}\n```\n```json\n{}\n```', passFail],
    ['a list', '[]', passFail],
    ['verdict before reasoning', '{"verdict": "pass", "reasoning": "ok"}', passFail],
    ['no reasoning', '{"verdict": "pass"}', passFail],
    ['reasoning not a string', '{"reasoning": 1, "verdict": "pass"}', passFail],
    ['unknown verdict', '{"reasoning": "ok", "verdict": "PASS"}', passFail],
    ['extra key', '{"reasoning": "ok", "verdict": "pass", "score": 5}', passFail],
    ['wrong answer key', '{"reasoning": "ok", "score": 5}', passFail],
    ['score 0', '{"reasoning": "ok", "score": 0}', fivePoint],
    ['score 6', '{"reasoning": "ok", "score": 6}', fivePoint],
    ['score 4.5', '{"reasoning": "ok", "score": 4.5}', fivePoint],
    ['score as text', '{"reasoning": "ok", "score": "5"}', fivePoint],
    ['too few criteria', '{"reasoning": "ok", "criteria": [true, true]}', checklist],
    ['criteria not booleans', '{"reasoning": "ok", "criteria": [1, 0, 1]}', checklist],
  ];
  for (const [name, text, judge] of bad)
    it(`throws on ${name}`, () => {
      expect(() => parseVerdict(text, judge)).toThrow();
    });
});

describe('parsePairwiseVerdict', () => {
  it('A, B or tie, reasoning first', () => {
    expect(parsePairwiseVerdict('{"reasoning": "r", "winner": "B"}')).toEqual({
      reasoning: 'r',
      winner: 'B',
    });
    expect(() => parsePairwiseVerdict('{"reasoning": "r", "winner": "C"}')).toThrow(/not "A", "B" or "tie"/);
    expect(() => parsePairwiseVerdict('{"winner": "A", "reasoning": "r"}')).toThrow(/before 'reasoning'/);
  });
});
