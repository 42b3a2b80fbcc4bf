import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TechniqueTable } from '../../src/core/compare/technique-table.ts';
import { runCli, scratchProject, writeFiles } from './cli-harness.ts';

// Prompting techniques end to end (docs/techniques.md): one prompt with few-shot and chain-of-thought
// variants, a `fake:` model scripted so that, over 40 cases answered "OK" when right,
//   zero-shot passes items 01–12, few-shot (any drawn example in the history) 01–24,
//   chain-of-thought 01–36 ("Answer: OK" after its reasoning; 37–39 "Answer: NO"; 40 gives no answer).
const script = `rules:
  - contains: "Think step by step"
    match: "item 40"
    reply: "Hmm, this one is hard to say."
  - contains: "Think step by step"
    match: "item (0[1-9]|[12][0-9]|3[0-6])\\\\b"
    reply: "Step 1: read the item. Step 2: it looks fine.\\nAnswer: OK"
  - contains: "Think step by step"
    reply: "Step 1: read the item.\\nAnswer: NO"
  - history: "example"
    match: "^Q: item (0[1-9]|1[0-9]|2[0-4])$"
    reply: OK
  - match: "^Q: item (0[1-9]|1[0-2])$"
    reply: OK
default: "NO"
`;
const ids = Array.from({ length: 40 }, (_, i) => String(i + 1).padStart(2, '0'));
const suite = `defaults:\n  checks:\n    - equals: OK\ncases:\n${ids.map((n) => `  - id: q${n}\n    vars: { question: item ${n} }\n`).join('')}`;
const prompt = `---
name: qa
variables:
  question: string
variants:
  fewShot: { k: [1, 2], pool: examples.yaml, seed: 7 }
  chainOfThought: true
---
# system
Say OK or NO.

# user
Q: {{ question }}
`;
// The third example repeats a case's input: the leak guard skips it.
const pool = `- { vars: { question: example one }, output: OK }
- { user: "Q: example two", assistant: NO }
- { vars: { question: item 05 }, output: OK }
- { user: "Q: example <b>three</b>", assistant: OK }
`;

let project: { dir: string; cleanup: () => void };
let table: TechniqueTable;
let terminal: string;
let jsonWarnings: string[];

beforeAll(async () => {
  project = scratchProject(false);
  writeFiles(project.dir, {
    'assay.yaml': [
      'name: techniques-test',
      'prompts: [prompts/*.prompt.md]',
      'suites: [suites/qa.yaml]',
      'models:',
      '  - id: fake:bot',
      '    script: bot.yaml',
      'defaults:',
      '  maxRetries: 0',
    ].join('\n'),
    'bot.yaml': script,
    'suites/qa.yaml': suite,
    'prompts/qa.prompt.md': prompt,
    'prompts/examples.yaml': pool,
    'out/.keep': '',
  });
  const text = await runCli(['eval', '-C', project.dir]);
  expect(text.stderr).toBe('');
  expect(text.code).toBe(0);
  terminal = text.stdout;
  const json = await runCli(['eval', '-C', project.dir, '--json', '--no-cache']);
  expect(json.code).toBe(0);
  const report = JSON.parse(json.stdout).reports[0];
  expect(report.techniques).toHaveLength(1);
  table = report.techniques[0];
  jsonWarnings = report.warnings;
}, 120_000);

afterAll(() => project?.cleanup());

describe('prompting techniques (CLI)', () => {
  it('--json carries one table: zero-shot baseline, few-shot helps, chain-of-thought helps more', () => {
    expect(table.prompt).toBe('qa');
    expect(table.modelId).toBe('fake:bot');
    expect(table.baseline).toBe('qa');
    const rows = table.rows.map((r) => [r.technique, r.prompt, r.passed, r.scored, r.errors]);
    expect(rows).toEqual([
      ['zero-shot', 'qa', 12, 40, 0],
      ['few-shot-1', 'qa~few-shot-1', 24, 40, 0],
      ['few-shot-2', 'qa~few-shot-2', 24, 40, 0],
      ['cot', 'qa~cot', 36, 40, 0],
    ]);
    const [, f1, f2, cot] = table.rows;
    // Paired with the baseline on 40 cases; no case got worse.
    expect(f1?.vsBaseline?.table).toEqual({ bothPass: 12, baselineOnly: 0, candidateOnly: 12, bothFail: 16 });
    expect(cot?.vsBaseline?.table).toEqual({ bothPass: 12, baselineOnly: 0, candidateOnly: 24, bothFail: 4 });
    expect(f1?.vsBaseline?.difference.estimate).toBeCloseTo(0.3, 12);
    expect(cot?.vsBaseline?.difference.estimate).toBeCloseTo(0.6, 12);
    expect(cot?.vsBaseline?.difference.method).toBe('Newcombe paired (method 10)');
    // Exact McNemar: 2 · ½^12 and 2 · ½^24; Holm over 3: cot ×3, then the few-shot pair ×2 (ties, step-down max).
    expect(f1?.vsBaseline?.p).toBeCloseTo(2 / 4096, 15);
    expect(cot?.vsBaseline?.p).toBeCloseTo(2 / 2 ** 24, 15);
    expect(cot?.vsBaseline?.pAdjusted).toBeCloseTo(6 / 2 ** 24, 15);
    expect(f1?.vsBaseline?.pAdjusted).toBeCloseTo(4 / 4096, 15);
    expect(f2?.vsBaseline?.pAdjusted).toBeCloseTo(4 / 4096, 15);
    expect(table.family).toBe(3);
    expect(table.rows.slice(1).map((r) => r.vsBaseline?.verdict)).toEqual(['better', 'better', 'better']);
    // Costs and tokens per case: few-shot sends more input than zero-shot.
    expect(f2?.tokensPerCase?.input ?? 0).toBeGreaterThan(f1?.tokensPerCase?.input ?? 0);
    expect(f1?.tokensPerCase?.input ?? 0).toBeGreaterThan(table.rows[0]?.tokensPerCase?.input ?? 0);
    expect(table.rows.every((r) => r.latencyP50 !== null && r.costPerCase === 0)).toBe(true);
  });

  it('chain-of-thought: checks see the extracted answer; no final answer fails the extract check', async () => {
    const out = join(project.dir, 'out/results.jsonl');
    const r = await runCli(['export', 'latest', '-f', 'jsonl', '-o', out, '-C', project.dir]);
    expect(r.code).toBe(0);
    const results = readFileSync(out, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const cot = (id: string) => results.find((x) => x.prompt === 'qa~cot' && x.caseId === id);
    // The stored output keeps the reasoning; `equals: OK` judged the extracted answer.
    expect(cot('q01').output).toBe('Step 1: read the item. Step 2: it looks fine.\nAnswer: OK');
    expect(cot('q01').status).toBe('pass');
    expect(cot('q01').checks[0]).toMatchObject({ type: 'extract', pass: true, details: { answer: 'OK' } });
    expect(cot('q37').status).toBe('fail');
    expect(cot('q40').status).toBe('fail');
    expect(cot('q40').checks[0]).toMatchObject({ type: 'extract', pass: false });
    // Score: the found answer is not itself scored.
    expect(cot('q01').score).toBe(1);
    expect(cot('q37').score).toBe(0);
    // Few-shot prompts carry the drawn examples, never the leaked one.
    expect(results.some((x) => x.prompt === 'qa~few-shot-2')).toBe(true);
  });

  it('warns about the pool example skipped by the leak guard', () => {
    expect(jsonWarnings.filter((w) => w.includes('leak guard'))).toEqual([
      "prompts/examples.yaml:3: few-shot example [2] has the same input as case 'q05' of suites/qa.yaml: skipped (leak guard), an example must not hand the model a test case's answer",
    ]);
  });

  it('the terminal summary shows the technique table', () => {
    expect(terminal).toContain('techniques · qa × fake:bot');
    const line = (technique: string) => terminal.split('\n').find((l) => l.startsWith(`${technique} `)) ?? '';
    expect(line('zero-shot')).toMatch(
      /^zero-shot\s+qa@[0-9a-f]{12}\s+30\.0% \[18\.1, 45\.4\]\s+12\/40\s+0\s+baseline\s+—/,
    );
    expect(line('few-shot-1')).toMatch(
      /qa~few-shot-1@[0-9a-f]{12}\s+60\.0% \[44\.6, 73\.7\]\s+24\/40\s+0\s+\+30\.0 pts \[/,
    );
    expect(line('cot')).toMatch(
      /qa~cot@[0-9a-f]{12}\s+90\.0% \[76\.9, 96\.0\]\s+36\/40\s+0\s+\+60\.0 pts \[.*<0\.001 \(<0\.001\)\s+better/,
    );
    expect(terminal).toMatch(
      /Δ = technique − qa in pass rate, paired by case \(Newcombe paired \(method 10\); p: exact McNemar\); p in parentheses Holm-adjusted over 3 comparisons/,
    );
  });

  it('the HTML and Markdown reports contain the table, escaped', async () => {
    const html = join(project.dir, 'out/report.html');
    let r = await runCli(['report', 'latest', '-o', html, '-C', project.dir]);
    expect(r.code).toBe(0);
    const page = readFileSync(html, 'utf8');
    expect(page).toContain('<section id="techniques"><h2>Prompting techniques</h2>');
    expect(page).toContain('<h3>techniques · qa × fake:bot</h3>');
    const section = page.slice(
      page.indexOf('<section id="techniques">'),
      page.indexOf('</section>', page.indexOf('<section id="techniques">')),
    );
    expect(section.match(/<tr><td>/g)).toHaveLength(4);
    expect(section).toMatch(/<td>cot<\/td><td>qa~cot@[0-9a-f]{12}<\/td><td>90\.0% \[76\.9, 96\.0\]<\/td>/);
    expect(section).toContain('<td class="good">better</td>');
    const md = join(project.dir, 'out/report.md');
    r = await runCli(['report', 'latest', '-o', md, '-C', project.dir]);
    expect(r.code).toBe(0);
    const text = readFileSync(md, 'utf8');
    expect(text).toContain('## Prompting techniques');
    expect(text).toMatch(/\| cot \| qa\\~cot@[0-9a-f]{12} \| 90\.0% \\\[76\.9, 96\.0\\\] \| 36\/40 \|/);
  });
});
