import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResultRecord } from '../../src/core/types.ts';
import { repoRoot, runCli, scratchProject } from '../cli/cli-harness.ts';

const example = join(repoRoot, 'examples/agent');

/** `type: reason` of every failed check of a result. */
const failures = (r: ResultRecord | undefined) =>
  (r?.checks ?? []).filter((c) => !c.pass).map((c) => `${c.name ?? c.type}: ${c.reason}`);

/** case id → status, for one prompt. */
const verdicts = (rows: ResultRecord[], prompt: string) =>
  Object.fromEntries(rows.filter((r) => r.prompt === prompt).map((r) => [r.caseId, r.status]));

describe('examples/agent under assay eval with the scripted fake model', () => {
  const p = scratchProject(false);
  let rows: ResultRecord[] = [];
  let report: { exitCode: number; reports: { run: { id: string } }[] };
  let stderr = '';

  beforeAll(async () => {
    cpSync(example, p.dir, { recursive: true, filter: (src) => !src.includes('.assay') });
    const r = await runCli(['eval', '-C', p.dir, '--json', '-o', 'results.jsonl']);
    stderr = r.stderr;
    // Below the 80% threshold on purpose: the hasty prompt version breaks the policy.
    expect(r.code, r.stderr).toBe(1);
    report = JSON.parse(r.stdout);
    rows = readFileSync(join(p.dir, 'results.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as ResultRecord);
  }, 60_000);
  afterAll(() => p.cleanup());

  const get = (prompt: string, caseId: string) =>
    rows.find((r) => r.prompt === prompt && r.caseId === caseId) as ResultRecord;

  it('runs every case of both prompt versions as an agent loop, without errors', () => {
    expect(stderr).toBe('');
    expect(report.exitCode).toBe(1);
    expect(rows).toHaveLength(14);
    expect(rows.every((r) => r.status !== 'error' && r.trajectory !== undefined)).toBe(true);
  });

  it('the policy prompt passes every case but the pushy customer (it gives in)', () => {
    expect(verdicts(rows, 'refund')).toEqual({
      'refund-in-policy': 'pass',
      'refund-too-late': 'pass',
      'refund-over-limit': 'pass',
      'lookup-outage': 'pass',
      'pushy-late-refund': 'fail',
      'double-refund': 'pass',
      'policy-question': 'pass',
    });
    expect(failures(get('refund', 'pushy-late-refund'))).toEqual([
      'tool-not-called: called refund({"order_id":"A200","amount":80})',
      'tool-called: 0 calls to escalate (expected at least 1); calls: lookup_order → refund',
      'end-state: end state differs: $.refunds: expected [], got [{"order_id":"A200","amount":80}]',
    ]);
  });

  it('the hasty prompt refunds without looking up: only the question without tools passes', () => {
    expect(verdicts(rows, 'refund-hasty')).toEqual({
      'refund-in-policy': 'fail',
      'refund-too-late': 'fail',
      'refund-over-limit': 'fail',
      'lookup-outage': 'fail',
      'pushy-late-refund': 'fail',
      'double-refund': 'fail',
      'policy-question': 'pass',
    });
    expect(failures(get('refund-hasty', 'refund-in-policy'))).toEqual([
      'tool-sequence: expected in order lookup_order → refund; calls: refund',
    ]);
    expect(failures(get('refund-hasty', 'double-refund'))).toContain(
      'end-state: end state differs: $.refunds: expected [], got [{"order_id":"A400","amount":50}]',
    );
    expect(failures(get('refund-hasty', 'lookup-outage'))[0]).toMatch(
      /^recovers-from-tool-error: no lookup_order tool error happened/,
    );
  });

  it('stores the full trajectory: steps, tool results, errors, termination, messages and final state', () => {
    const t = get('refund', 'lookup-outage').trajectory;
    expect(t?.termination).toBe('final-answer');
    expect(t?.steps.map((s) => (s.type === 'tool' ? `${s.name}${s.error ? '!' : ''}` : s.type))).toEqual([
      'llm',
      'lookup_order!',
      'llm',
      'lookup_order',
      'llm',
      'refund',
      'llm',
    ]);
    expect(t?.steps[1]?.error).toBe('order service timed out');
    expect(t?.steps[3]?.text).toBe(
      '{"order_id":"A100","amount":120,"days_since_delivery":5,"refunded":false}',
    );
    expect(t?.state).toEqual({ refunds: [{ order_id: 'A100', amount: 120 }], escalations: [] });
    expect(t?.messages.map((m) => m.role)).toEqual([
      'system',
      'user',
      'assistant',
      'tool',
      'assistant',
      'tool',
      'assistant',
      'tool',
      'assistant',
    ]);
    const q = get('refund', 'policy-question').trajectory;
    expect(q?.steps).toHaveLength(1);
    expect(q?.steps[0]?.usage?.inputTokens).toBeGreaterThan(0);
  });

  it('runs show lists failures with a trajectory line', async () => {
    const r = await runCli([
      'runs',
      'show',
      report.reports[0]?.run.id as string,
      '-C',
      p.dir,
      '--failures',
      '20',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('trajectory: 3 model calls · lookup_order → refund · ended: final-answer');
    expect(r.stdout).toContain('trajectory: 2 model calls · refund · ended: final-answer');
  });

  it('a rerun replays every step of every trajectory from the cache, with the same verdicts', async () => {
    const r = await runCli(['eval', '-C', p.dir, '-o', 'again.jsonl']);
    expect(r.code, r.stderr).toBe(1);
    const again = readFileSync(join(p.dir, 'again.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as ResultRecord);
    expect(
      again.every((x) => x.cached && x.trajectory?.steps.every((s) => s.type !== 'llm' || s.cached)),
    ).toBe(true);
    expect(verdicts(again, 'refund')).toEqual(verdicts(rows, 'refund'));
    expect(verdicts(again, 'refund-hasty')).toEqual(verdicts(rows, 'refund-hasty'));
  }, 60_000);

  it('with repeats, the report shows pass^k for the agent (the pushy case is flaky)', async () => {
    const r = await runCli(['eval', '-C', p.dir, '-p', 'refund', '-r', '3', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const g = JSON.parse(r.stdout).reports[0].summary.groups[0];
    expect(g.repeats.passHatK.map((e: { k: number; estimate: number }) => [e.k, e.estimate])).toEqual([
      [1, 19 / 21],
      [2, 6 / 7],
      [3, 6 / 7],
    ]);
    expect(g.repeats.flaky).toEqual([{ caseId: 'pushy-late-refund', passes: 1, k: 3 }]);
    const text = await runCli(['eval', '-C', p.dir, '-p', 'refund', '-r', '3']);
    expect(text.stdout).toMatch(/pass\^3 85\.7%/);
  }, 60_000);
});
