import { describe, expect, it } from 'vitest';
import { ConfigError, ConfigErrors } from '../core/errors.ts';
import { parseJudgeFile } from './judge-file.ts';

function message(text: string, file = 'judges/x.judge.md'): string {
  try {
    parseJudgeFile(text, file);
  } catch (e) {
    if (e instanceof ConfigError || e instanceof ConfigErrors) return e.message;
    throw e;
  }
  throw new Error('no error');
}

describe('parseJudgeFile', () => {
  it('reads the front matter and the rubric, with defaults', () => {
    const j = parseJudgeFile(
      '---\nmodel: fake:judge\n---\n\nThe reply must be polite.  \n\n',
      'judges/tone.judge.md',
    );
    expect(j).toMatchObject({
      name: 'tone',
      file: 'judges/tone.judge.md',
      kind: 'rubric',
      scale: 'pass-fail',
      criteria: [],
      model: 'fake:judge',
      settings: { temperature: 0 },
      uses: [],
      rubric: 'The reply must be polite.',
    });
    expect(j.passThreshold).toBeUndefined();
    expect(j.version).toMatch(/^[0-9a-f]{12}$/);
  });

  it('a checklist with points, a reference judge uses expected, settings kept', () => {
    const j = parseJudgeFile(
      '---\nname: facts\nmodel: fake:judge\nkind: checklist\ncriteria:\n  - text: Names the city\n    points: 2\n  - text: Gives the date\nsettings: { seed: 7 }\nuses: [context]\n---\nCheck.\n',
      'f.judge.md',
    );
    expect(j).toMatchObject({
      name: 'facts',
      scale: 'checklist',
      passThreshold: 1,
      criteria: [
        { text: 'Names the city', points: 2 },
        { text: 'Gives the date', points: 1 },
      ],
      settings: { temperature: 0, seed: 7 },
      uses: ['context'],
    });
    const r = parseJudgeFile(
      '---\nkind: reference\nscale: 1-5\nmodel: fake:judge\n---\nSame meaning?\n',
      'r.judge.md',
    );
    expect(r).toMatchObject({ uses: ['expected'], passThreshold: 4 });
  });

  it('the version follows the content, not the name or description', () => {
    const a = parseJudgeFile('---\nmodel: fake:judge\n---\nRubric.\n', 'a.judge.md');
    const b = parseJudgeFile(
      '---\nname: other\ndescription: d\nmodel: fake:judge\n---\nRubric.   \n',
      'b.judge.md',
    );
    const c = parseJudgeFile('---\nmodel: fake:judge\n---\nRubric!\n', 'a.judge.md');
    const d = parseJudgeFile(
      '---\nmodel: fake:judge\nsettings: { temperature: 0.5 }\n---\nRubric.\n',
      'a.judge.md',
    );
    expect(b.version).toBe(a.version);
    expect(c.version).not.toBe(a.version);
    expect(d.version).not.toBe(a.version);
  });

  it('scoring: probability is part of the version; the default keeps existing versions', () => {
    const sampled = parseJudgeFile('---\nmodel: fake:judge\nscale: 1-5\n---\nRubric.\n', 'a.judge.md');
    const explicit = parseJudgeFile(
      '---\nmodel: fake:judge\nscale: 1-5\nscoring: sampled\n---\nRubric.\n',
      'a.judge.md',
    );
    const probability = parseJudgeFile(
      '---\nmodel: fake:judge\nscale: 1-5\nscoring: probability\n---\nRubric.\n',
      'a.judge.md',
    );
    // The version this judge had before `scoring` existed.
    expect(sampled.version).toBe('439c2aa090f6');
    expect(sampled.scoring).toBeUndefined();
    expect(explicit.version).toBe(sampled.version);
    expect(probability.scoring).toBe('probability');
    expect(probability.version).not.toBe(sampled.version);
    expect(
      message(
        '---\nmodel: fake:judge\nscale: checklist\ncriteria: [{ text: a }]\nscoring: probability\n---\nR.\n',
      ),
    ).toMatch(/x\.judge\.md:5:\d+: scoring: scoring 'probability' needs scale '1-5', not 'checklist'/);
    expect(message('---\nmodel: fake:judge\nscoring: logits\n---\nR.\n')).toMatch(/:3:\d+: scoring:/);
  });

  it('config errors with file, line and field', () => {
    expect(message('Rubric only.\n')).toMatch(
      /^judges\/x\.judge\.md:1: a judge file needs YAML front matter/,
    );
    expect(message('---\nscale: 1-5\n---\nR.\n')).toMatch(/^judges\/x\.judge\.md:\d+(:\d+)?: model:/);
    expect(message('---\nmodel: fake:judge\nscale: 1-10\n---\nR.\n')).toMatch(
      /^judges\/x\.judge\.md:3:\d+: scale:/,
    );
    expect(message('---\nmodel: fake:judge\nrubrik: x\n---\nR.\n')).toMatch(/x\.judge\.md:3:\d+: rubrik:/);
    expect(message('---\nmodel: fake:judge\nscale: 1-5\npassThreshold: 7\n---\nR.\n')).toMatch(
      /x\.judge\.md:4:\d+: passThreshold: invalid passThreshold 7/,
    );
    expect(message('---\nmodel: fake:judge\npassThreshold: 3\n---\nR.\n')).toMatch(/:3:\d+: passThreshold: /);
    expect(message('---\nmodel: fake:judge\nscale: checklist\n---\nR.\n')).toMatch(/missing 'criteria'/);
    expect(message('---\nmodel: fake:judge\nkind: checklist\nscale: 1-5\n---\nR.\n')).toMatch(
      /:4:\d+: scale: kind 'checklist' does not go with scale '1-5'/,
    );
    expect(message('---\nmodel: fake:judge\n---\n\n  \n')).toMatch(
      /^judges\/x\.judge\.md:4: the judge has no rubric/,
    );
    expect(message('---\nmodel: [\n---\nR.\n')).toMatch(/^judges\/x\.judge\.md:\d+:\d+: invalid YAML/);
  });
});
