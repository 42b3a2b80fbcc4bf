import { describe, expect, it } from 'vitest';
import type { JudgeSpec } from './judge-file.ts';
import { judgeRefs, replaceJudgeRefs } from './judges-in-check.ts';

const NESTED = {
  type: 'weighted',
  threshold: 0.5,
  checks: [
    { type: 'contains', value: 'x' },
    {
      type: 'all',
      checks: [
        { type: 'judge', judge: 'a.judge.md' },
        { type: 'any', checks: [{ type: 'jury', mode: 'mean', judges: ['b.judge.md', 'c.judge.md'] }] },
      ],
    },
  ],
};

describe('judgeRefs', () => {
  it('finds judges at any depth of all/any/weighted and every jury member, with their fields', () => {
    expect(judgeRefs(NESTED)).toEqual([
      { value: 'a.judge.md', field: 'checks[1].checks[0].judge' },
      { value: 'b.judge.md', field: 'checks[1].checks[1].checks[0].judges[0]' },
      { value: 'c.judge.md', field: 'checks[1].checks[1].checks[0].judges[1]' },
    ]);
    expect(judgeRefs({ type: 'judge', judge: 'x' })).toEqual([{ value: 'x', field: 'judge' }]);
    expect(judgeRefs({ type: 'contains', value: 'x', checks: [{ type: 'judge', judge: 'y' }] })).toEqual([]);
  });
});

describe('replaceJudgeRefs', () => {
  it('loads every path, keeps what names no judge as the same object', async () => {
    const seen: string[] = [];
    const load = async (path: string, field: string) => {
      seen.push(`${field}=${path}`);
      return { name: path } as unknown as JudgeSpec;
    };
    const out = await replaceJudgeRefs(NESTED, load);
    expect(judgeRefs(out).map((r) => (r.value as JudgeSpec).name)).toEqual([
      'a.judge.md',
      'b.judge.md',
      'c.judge.md',
    ]);
    expect(seen.sort()).toEqual([
      'checks[1].checks[0].judge=a.judge.md',
      'checks[1].checks[1].checks[0].judges[0]=b.judge.md',
      'checks[1].checks[1].checks[0].judges[1]=c.judge.md',
    ]);
    expect((out.checks as unknown[])[0]).toBe(NESTED.checks[0]);
    expect(NESTED.checks[1]?.checks?.[0]).toEqual({ type: 'judge', judge: 'a.judge.md' });
    const plain = { type: 'all', checks: [{ type: 'contains', value: 'x' }] };
    expect(await replaceJudgeRefs(plain, load)).toBe(plain);
  });
});
