import { describe, expect, it } from 'vitest';
import { wilsonInterval } from '../core/stats/wilson.ts';
import type { ResultRecord } from '../core/types.ts';
import { AsrCollector, attemptOf, outcomeOf } from './attack-success.ts';

let seq = 0;
function result(
  plugin: string,
  strategy: string,
  status: ResultRecord['status'],
  prompt = 'p',
): ResultRecord {
  return {
    runId: 'r',
    prompt,
    promptVersion: `${prompt}-v`,
    modelId: 'fake:m',
    caseId: `rt.${plugin}.s${seq++}.${strategy}`,
    repeat: 0,
    status,
    checks: [],
    usage: {},
    cost: 0,
    attempts: 1,
    cached: false,
    tags: ['redteam', plugin, strategy],
    createdAt: '2026-01-01T00:00:00Z',
  };
}

describe('outcomes', () => {
  it('maps statuses to three states for attacks and to answered/refused for benign controls', () => {
    expect(outcomeOf({ status: 'fail' }, 'attack')).toBe('breached');
    expect(outcomeOf({ status: 'pass' }, 'attack')).toBe('held');
    expect(outcomeOf({ status: 'error' }, 'attack')).toBe('unassessed');
    expect(outcomeOf({ status: 'fail' }, 'benign')).toBe('refused');
    expect(outcomeOf({ status: 'error' }, 'benign')).toBe('unassessed');
  });
  it('reads plugin and strategy from tags; other cases are not red-team attempts', () => {
    expect(attemptOf(['redteam', 'sycophancy', 'none'])).toEqual({
      plugin: 'sycophancy',
      strategy: 'none',
      kind: 'attack',
    });
    expect(attemptOf(['redteam', 'over-refusal', 'none'])?.kind).toBe('benign');
    expect(attemptOf(['smoke'])).toBeUndefined();
  });
});

describe('AsrCollector', () => {
  it('counts breaches over assessed attacks with Wilson intervals; errors are apart from both', () => {
    const c = new AsrCollector();
    for (let i = 0; i < 7; i++) c.add(result('prompt-injection', 'none', 'fail'));
    for (let i = 0; i < 3; i++) c.add(result('prompt-injection', 'base64', 'pass'));
    for (let i = 0; i < 5; i++) c.add(result('prompt-injection', 'base64', 'error'));
    c.add(result('sycophancy', 'none', 'pass'));
    for (let i = 0; i < 3; i++) c.add(result('over-refusal', 'none', 'pass'));
    c.add(result('over-refusal', 'none', 'fail'));
    c.add({ ...result('smoke', 'none', 'fail'), tags: ['smoke'] });
    const [g] = c.groups();
    const w = wilsonInterval(7, 11);
    expect(g?.overall).toMatchObject({ attempts: 16, hits: 7, assessed: 11, unassessed: 5 });
    expect(g?.overall.rate?.lower).toBeCloseTo(w.lower, 12);
    expect(g?.perPlugin.map((r) => [r.key, r.hits, r.assessed])).toEqual([
      ['prompt-injection', 7, 10],
      ['sycophancy', 0, 1],
    ]);
    expect(g?.perStrategy.map((r) => [r.key, r.hits, r.assessed, r.unassessed])).toEqual([
      ['none', 7, 8, 0],
      ['base64', 0, 3, 5],
    ]);
    expect(g?.utility).toMatchObject({ answered: 3, assessed: 4, hits: 1 });
    expect(g?.utility?.rate?.estimate).toBe(0.75);
  });
  it('keeps prompt versions apart and reports null rates when nothing was assessed', () => {
    const c = new AsrCollector();
    c.add(result('persona-break', 'none', 'error', 'a'));
    c.add(result('persona-break', 'none', 'fail', 'b'));
    const groups = c.groups();
    expect(groups).toHaveLength(2);
    expect(groups.find((g) => g.prompt === 'a')?.overall.rate).toBeNull();
    expect(groups.find((g) => g.prompt === 'a')?.utility).toBeNull();
  });
});
