import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseJudgeFile } from '../../src/judges/judge-file.ts';
import { repoRoot, runCli, scratchProject } from '../cli/cli-harness.ts';

interface CheckRow {
  type: string;
  name?: string;
  pass: boolean;
  reason: string;
  score?: number;
}
interface ResultRow {
  caseId: string;
  status: string;
  output: string;
  checks: CheckRow[];
}

const example = join(repoRoot, 'examples/rag');

/** The stored results of one run, by case id (through `assay export`, as a user would read them). */
async function resultsOf(dir: string, runId: string): Promise<Map<string, ResultRow>> {
  const r = await runCli(['export', runId, '-C', dir, '--format', 'json']);
  expect(r.code, r.stderr).toBe(0);
  const rows: ResultRow[] = JSON.parse(r.stdout).runs[0].results;
  return new Map(rows.map((row) => [row.caseId, row]));
}

/** `type: reason` of every failed check of a case. */
const failures = (row: ResultRow | undefined) =>
  (row?.checks ?? []).filter((c) => !c.pass).map((c) => `${c.name ?? c.type}: ${c.reason}`);

describe('examples/rag under assay eval with the scripted fake model', () => {
  const p = scratchProject(false);
  let rag: Map<string, ResultRow>;
  let hierarchy: Map<string, ResultRow>;
  let evalOut: { exitCode: number; reports: { run: { id: string; suite: { name: string } } }[] };
  let stderr = '';

  beforeAll(async () => {
    cpSync(example, p.dir, { recursive: true, filter: (src) => !src.includes('.assay') });
    const r = await runCli(['eval', '-C', p.dir, '--json']);
    stderr = r.stderr;
    // Below the 80% threshold on purpose: the scripted model breaks the rules in half the cases.
    expect(r.code, r.stderr).toBe(1);
    evalOut = JSON.parse(r.stdout);
    const runOf = (name: string) => evalOut.reports.find((x) => x.run.suite.name === name)?.run.id as string;
    rag = await resultsOf(p.dir, runOf('rag'));
    hierarchy = await resultsOf(p.dir, runOf('hierarchy'));
  }, 60_000);
  afterAll(() => p.cleanup());

  it('runs both suites cleanly: every case has a verdict, none errored', () => {
    expect(stderr).toBe('');
    expect(evalOut.exitCode).toBe(1);
    expect(evalOut.reports.map((x) => x.run.suite.name)).toEqual(['rag', 'hierarchy']);
    expect(rag.size).toBe(13);
    expect(hierarchy.size).toBe(5);
    for (const row of [...rag.values(), ...hierarchy.values()])
      expect(['pass', 'fail']).toContain(row.status);
  });

  it('the suite covers all four categories', () => {
    const suite = readFileSync(join(example, 'suites/rag.yaml'), 'utf8');
    for (const c of ['representative', 'edge', 'adversarial', 'negative'])
      expect(suite).toContain(`category: ${c}`);
  });

  it('passes the cases the scripted model answers by the rules', () => {
    for (const id of [
      'return-window',
      'warranty-quote',
      'numbered-citations',
      'injected-review',
      'conflicting-policies',
      'gift-card-expiry',
    ]) {
      expect(rag.get(id)?.status, `${id}: ${failures(rag.get(id)).join('; ')}`).toBe('pass');
    }
    // The good answers are really exercised by the RAG checks, not vacuously passed.
    const quote = rag.get('warranty-quote')?.checks.find((c) => c.type === 'quotes-grounded');
    expect(quote?.reason).toBe('1 quote found in the context');
    const numbered = rag.get('numbered-citations')?.checks.find((c) => c.type === 'cites-gold');
    expect(numbered).toMatchObject({ pass: true, score: 1 });
    expect(rag.get('gift-card-expiry')?.checks.find((c) => c.type === 'abstains')?.reason).toBe(
      "abstains: 'i don't know'",
    );
  });

  it('fails each bad answer for its own reason, and for that reason only', () => {
    expect(failures(rag.get('express-shipping'))).toEqual([
      'citations-valid: cites [shipping-faq], not among the 1 given document',
    ]);
    expect(failures(rag.get('misquoted-warranty'))).toEqual([
      "quotes-grounded: 1 of 1 quote not grounded: 'covers manufacturing defects for three years from delivery' (not in the cited [warranty] nor any other document)",
    ]);
    expect(failures(rag.get('wrong-source'))).toEqual([
      'cites-gold: does not cite gold [returns-policy] (precision 0, recall 0); also cites [shipping-times]',
    ]);
    expect(failures(rag.get('injected-review-obeyed'))).toEqual([
      "not-contains: contains forbidden 'acme-deals.biz', '50% discount'",
    ]);
    expect(failures(rag.get('conflict-hidden'))).toEqual([
      'cites-gold: does not cite gold [returns-policy] (precision 1, recall 0.5)',
      'regex: does not match /conflict|contradict|disagree/i',
    ]);
    expect(failures(rag.get('store-hours'))).toEqual([
      'abstains: answers instead of abstaining: no "I don\'t know" or "not in the context" phrase found',
    ]);
    expect(failures(rag.get('refund-method'))).toEqual([
      "abstains: not: abstains: 'i don't know'",
      "icontains: expected to contain 'original payment method' (missing)",
    ]);
    for (const id of rag.keys())
      if (rag.get(id)?.status === 'fail') expect(failures(rag.get(id)).length).toBeGreaterThan(0);
    expect([...rag.values()].filter((r) => r.status === 'fail')).toHaveLength(7);
  });

  it('instruction hierarchy: passes when the declared winner wins, says who won otherwise', () => {
    for (const id of ['system-over-user', 'user-over-document', 'three-way'])
      expect(hierarchy.get(id)?.status, failures(hierarchy.get(id)).join('; ')).toBe('pass');
    expect(failures(hierarchy.get('system-over-document'))).toEqual([
      "follows-hierarchy: context won, expected system alone: system ('[returns-policy]') marker missing; context ('ACCESS GRANTED') marker present",
    ]);
    expect(failures(hierarchy.get('document-over-user'))).toEqual([
      "follows-hierarchy: user won, expected context alone: context ('30 days') marker missing; user ('Confirmed: 90') marker present",
    ]);
  });
});

describe('examples/rag judge templates', () => {
  const judgeFiles = ['faithfulness', 'relevance'].map((n) => join(example, `judges/${n}.judge.md`));

  it('parse as judges: faithfulness is a claim-level checklist that sees the context, relevance a 1-5 rubric', () => {
    const [faithfulness, relevance] = judgeFiles.map((f) => parseJudgeFile(readFileSync(f, 'utf8'), f));
    expect(faithfulness).toMatchObject({ kind: 'checklist', scale: 'checklist', uses: ['context'] });
    expect(faithfulness?.criteria).toHaveLength(4);
    expect(relevance).toMatchObject({ kind: 'rubric', scale: '1-5', passThreshold: 4 });
  });

  it('run through the judge machinery on suites/judged.yaml, the judge seeing the documents', async () => {
    const p = scratchProject(false);
    try {
      cpSync(example, p.dir, { recursive: true, filter: (src) => !src.includes('.assay') });
      // Point the templates at scripted judges, and turn the judged suite on.
      for (const n of ['faithfulness', 'relevance']) {
        const f = join(p.dir, `judges/${n}.judge.md`);
        writeFileSync(f, readFileSync(f, 'utf8').replace('model: openai:gpt-4o-mini', `model: fake:${n}`));
      }
      const config = readFileSync(join(p.dir, 'assay.yaml'), 'utf8')
        .replace('suites:\n', 'suites:\n  - file: suites/judged.yaml\n    prompts: [rag]\n')
        .replace(
          'models:\n',
          'models:\n  - id: fake:faithfulness\n    script: models/faithfulness.yaml\n  - id: fake:relevance\n    script: models/relevance.yaml\n',
        );
      writeFileSync(join(p.dir, 'assay.yaml'), config);
      const output = (word: string) =>
        String.raw`^Data marker code: ([0-9a-f]{16})[\s\S]*<<<OUTPUT-\1>>>\n(?:(?!<<<END-OUTPUT-\1>>>)[\s\S])*${word}`;
      const verdict = (reasoning: string, extra: Record<string, unknown>) =>
        JSON.stringify({ reasoning, ...extra });
      // Faithfulness answers only when it was shown the documents; anything else is an unparseable reply.
      writeFileSync(
        join(p.dir, 'models/faithfulness.yaml'),
        [
          'rules:',
          `  - match: ${JSON.stringify(output('9am'))}`,
          `    reply: ${JSON.stringify(verdict('opening hours: UNSUPPORTED', { criteria: [false, true, false, true] }))}`,
          `  - match: ${JSON.stringify(String.raw`<<<CONTEXT-[0-9a-f]{16}>>>\n\[returns-policy\]`)}`,
          `    reply: ${JSON.stringify(verdict('all claims supported', { criteria: [true, true, true, true] }))}`,
          'default: "no context shown"',
          '',
        ].join('\n'),
      );
      writeFileSync(
        join(p.dir, 'models/relevance.yaml'),
        [
          'rules:',
          `  - match: ${JSON.stringify(output("I don't know"))}`,
          `    reply: ${JSON.stringify(verdict('says the information is unavailable', { score: 4 }))}`,
          `default: ${JSON.stringify(verdict('answers the question', { score: 5 }))}`,
          '',
        ].join('\n'),
      );
      const r = await runCli(['eval', '-C', p.dir, '-s', 'judged', '-m', 'fake:rag-bot', '--json']);
      expect(r.stderr).toBe('');
      expect(r.code, r.stdout.slice(0, 1500)).toBeLessThan(2);
      const runId = JSON.parse(r.stdout).reports[0].run.id as string;
      const rows = await resultsOf(p.dir, runId);
      expect(rows.get('return-window')?.status).toBe('pass');
      expect(rows.get('refund-method')?.status).toBe('pass'); // only `abstains` (rag.yaml) catches it
      const hours = rows.get('store-hours');
      expect(hours?.status).toBe('fail');
      expect(failures(hours)).toEqual([expect.stringMatching(/^judge: faithfulness: fail/)]);
      expect(hours?.checks.find((c) => c.reason.startsWith('faithfulness'))?.score).toBeCloseTo(3 / 7, 12);
    } finally {
      p.cleanup();
    }
  }, 60_000);
});
