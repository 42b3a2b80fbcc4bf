import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wilsonInterval } from '../../src/core/stats/wilson.ts';
import { runCli, scratchProject, writeFiles } from './cli-harness.ts';

/**
 * The structured-output funnel and paraphrase consistency end to end with the scripted fake model, in the
 * terminal summary, `--json`, `-o report.json`, `runs show` and the HTML / Markdown reports.
 *
 * Suite `extract` (prompt with an output schema), one case per funnel outcome:
 *   c-err     the call fails (an error: outside the funnel)
 *   c-refuse  a prose refusal                                          → refused
 *   c-bad     prose, not JSON                                          → invalid JSON
 *   c-trunc   JSON cut off (replayed later with finish reason `length`) → invalid JSON, then truncated
 *   c-schema  `age` missing                                            → schema: required
 *   c-type    `age` a string                                           → schema: type
 *   c-wrong   schema-valid, `name` wrong                               → fields 1/2
 *   c-ok1     schema-valid, name differs only in case                  → exact
 *   c-ok2     fenced JSON, tags in another order                       → exact
 * Funnel: responses 8 → refused 1 → truncated 0 → JSON 5 of 7 → schema 3 of 5 → fields 6/7 micro,
 * (1 + 2/3 + 1)/3 macro, exact 2 of 3.
 *
 * Suite `para` (no schema): clusters capital (pass, pass), boiling (pass, fail), moon (fail × 3):
 * agreement 2/3, 1 flipped pair of 5, mean spread 1/3.
 */
const project = scratchProject(false);
const recordings = join(project.dir, 'rec');
const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
const ci = (k: number, n: number) => {
  const w = wilsonInterval(k, n);
  return `${pct(w.estimate)} [${(100 * w.lower).toFixed(1)}, ${(100 * w.upper).toFixed(1)}]`;
};

beforeAll(() => {
  writeFiles(project.dir, {
    'assay.yaml': [
      'name: structured',
      'prompts: [prompts/*.prompt.md]',
      'suites:',
      '  - file: suites/extract.yaml',
      '    prompts: [extract]',
      '  - file: suites/para.yaml',
      '    prompts: [qa]',
      'models:',
      '  - id: fake:bot',
      '    script: bot.yaml',
      '',
    ].join('\n'),
    'prompts/extract.prompt.md': [
      '---',
      'variables:',
      '  text: string',
      'outputSchema:',
      '  type: object',
      '  required: [name, age]',
      '  properties:',
      '    name: { type: string }',
      '    age: { type: integer }',
      '    tags: { type: array, items: { type: string } }',
      '  additionalProperties: false',
      '---',
      '# user',
      'Extract the person as JSON: {{ text }}',
      '',
    ].join('\n'),
    'prompts/qa.prompt.md': '---\nvariables:\n  q: string\n---\n# user\n{{ q }}\n',
    'bot.yaml': `rules:
  - contains: c-err
    error: { kind: client, message: refused by the provider }
  - contains: c-refuse
    reply: "I'm sorry, but I can't help with that."
  - contains: c-bad
    reply: "Sure! The name is Ada."
  - contains: c-trunc
    reply: '{"name": "Dee", "ag'
  - contains: c-schema
    reply: '{"name": "Ada"}'
  - contains: c-type
    reply: '{"name": "Ada", "age": "forty"}'
  - contains: c-wrong
    reply: '{"name": "Bob", "age": 40}'
  - contains: c-ok1
    reply: '{"name": "ada", "age": 36}'
  - contains: c-ok2
    reply: "\`\`\`json\\n{\\"name\\": \\"Cy\\", \\"age\\": 7, \\"tags\\": [\\"x\\", \\"y\\"]}\\n\`\`\`"
  - contains: "[good]"
    reply: ok
default: bad
`,
    'suites/extract.yaml': `name: extract
defaults:
  checks:
    - json-schema: {}
cases:
  - { id: c-err, vars: { text: c-err } }
  - { id: c-refuse, vars: { text: c-refuse }, expected: { name: Ada, age: 1 } }
  - { id: c-bad, vars: { text: c-bad } }
  - { id: c-trunc, vars: { text: c-trunc }, expected: { name: Dee, age: 2 } }
  - { id: c-schema, vars: { text: c-schema } }
  - { id: c-type, vars: { text: c-type } }
  - { id: c-wrong, vars: { text: c-wrong }, expected: { name: Ada, age: 40 } }
  - { id: c-ok1, vars: { text: c-ok1 }, expected: { name: Ada, age: 36 } }
  - { id: c-ok2, vars: { text: c-ok2 }, expected: { name: Cy, age: 7, tags: [y, x] } }
`,
    'suites/para.yaml': `name: para
defaults:
  checks:
    - equals: ok
cases:
  - { id: q1a, cluster: capital, vars: { q: "[good] capital of France?" } }
  - { id: q1b, cluster: capital, vars: { q: "[good] France's capital city?" } }
  - { id: q2a, cluster: boiling, vars: { q: "[good] boiling point of water?" } }
  - { id: q2b, cluster: boiling, vars: { q: "At what temperature does water boil?" } }
  - { id: q3a, cluster: moon, vars: { q: "distance to the moon?" } }
  - { id: q3b, cluster: moon, vars: { q: "how far is the moon?" } }
  - { id: q3c, cluster: moon, vars: { q: "moon distance in km?" } }
`,
  });
});
afterAll(() => project.cleanup());

describe('structured-output funnel and paraphrase consistency (CLI)', () => {
  it('reports the exact funnel and consistency in --json, -o report.json, the terminal and runs show', async () => {
    const r = await runCli([
      'eval',
      '-C',
      project.dir,
      '--json',
      '--max-error-rate',
      '0.5',
      '--record',
      recordings,
      '-o',
      'out.json',
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const [extract, para] = JSON.parse(r.stdout).reports;
    expect(extract.structured).toHaveLength(1);
    const f = extract.structured[0];
    expect(f).toMatchObject({
      prompt: 'extract',
      modelId: 'fake:bot',
      errors: 1,
      responses: 8,
      refused: { count: 1 },
      truncated: { count: 0 },
      json: { count: 5, ofPrevious: wilsonInterval(5, 7), ofResponses: wilsonInterval(5, 8) },
      schema: { count: 3, ofPrevious: wilsonInterval(3, 5) },
      schemaErrors: { required: 1, type: 1 },
      withoutExpected: 0,
    });
    expect(f.fields).toMatchObject({
      outputs: 3,
      fields: 7,
      exact: { count: 2, ofPrevious: wilsonInterval(2, 3) },
    });
    expect(f.fields.micro.estimate).toBeCloseTo(6 / 7, 12);
    expect(f.fields.macro).toBeCloseTo((1 + 2 / 3 + 1) / 3, 12);
    expect(extract.consistency).toBeUndefined();
    expect(para.structured).toBeUndefined();
    expect(para.consistency).toHaveLength(1);
    expect(para.consistency[0]).toMatchObject({
      prompt: 'qa',
      clusters: 3,
      cases: 7,
      agreeing: 2,
      pairs: 5,
      flippedPairs: 1,
      disagreeing: [{ cluster: 'boiling', cases: 2, passRate: 0.5, spread: 1 }],
    });
    expect(para.consistency[0].agreement.lower).toBeCloseTo(0.20766, 5);
    expect(para.consistency[0].flipRate).toBeCloseTo(0.2, 12);
    expect(para.consistency[0].meanSpread).toBeCloseTo(1 / 3, 12);

    // -o report.json carries the same report objects
    const exported = JSON.parse(readFileSync(join(project.dir, 'out.json'), 'utf8'));
    expect(JSON.stringify(exported)).toContain('"structured"');
    expect(JSON.stringify(exported)).toContain('"consistency"');

    // the terminal summary of the stored run, with its field accuracy (the suite is unchanged)
    const shown = await runCli(['runs', 'show', 'latest~1', '-C', project.dir]);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain(
      `responses 8 → refused 1 → truncated 0 → JSON 5 (${ci(5, 7)}) → schema 3 (${ci(3, 5)}) → fields 85.7% micro / 88.9% macro, exact ${ci(2, 3)} (3 compared)`,
    );
    expect(shown.stdout).toContain('JSON 5 (71.4% [35.9, 91.8])'); // Wilson 5/7 by hand
    expect(shown.stdout).toContain('schema errors (outputs with each keyword): required 1, type 1');
    expect(shown.stdout).toContain('1 errored result outside the funnel');
    const showPara = await runCli(['runs', 'show', 'latest', '-C', project.dir]);
    expect(showPara.stdout).toContain(
      'agreement 2/3 clusters (66.7% [20.8, 93.9] Wilson) · flip rate 20.0% of 5 pairs · mean spread 0.33 · 7 cases',
    );
    expect(showPara.stdout).toContain('disagree  boiling (2 cases, 50.0% pass)');
  });

  it('counts a response cut by the token limit as truncated (finish reason stored with the result)', async () => {
    // Replay the recorded exchanges, with the c-trunc answer now reported as stopped by the token limit.
    let edited = 0;
    for (const name of readdirSync(recordings).filter((n) => n.endsWith('.json'))) {
      const file = join(recordings, name);
      const rec = JSON.parse(readFileSync(file, 'utf8'));
      if (!rec.response || !String(rec.response.text).includes('"Dee"')) continue;
      rec.response.finishReason = 'length';
      writeFileSync(file, JSON.stringify(rec));
      edited++;
    }
    expect(edited).toBe(1);
    const r = await runCli([
      'eval',
      '-C',
      project.dir,
      '--suite',
      'extract',
      '--replay',
      recordings,
      '--max-error-rate',
      '0.5',
    ]);
    // The errored call was never recorded: replay says so, and it stays an error outside the funnel.
    expect(r.stderr).toMatch(/replay: 1 call\(s\) errored/);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      `responses 8 → refused 1 → truncated 1 → JSON 5 (${ci(5, 6)}) → schema 3 (${ci(3, 5)}) → fields 85.7% micro`,
    );
    const json = JSON.parse((await runCli(['runs', 'show', 'latest', '-C', project.dir, '--json'])).stdout);
    expect(json.report.structured[0]).toMatchObject({
      truncated: { count: 1, ofPrevious: wilsonInterval(1, 7) },
    });
  });

  it('keeps the finish reason on fresh and cached results', async () => {
    const fresh = await runCli(['eval', '-C', project.dir, '--suite', 'para', '--no-cache']);
    expect(fresh.code).toBe(0);
    const cached = await runCli(['eval', '-C', project.dir, '--suite', 'para']);
    expect(cached.code).toBe(0);
    const shown = JSON.parse((await runCli(['runs', 'show', 'latest', '-C', project.dir, '--json'])).stdout);
    expect(shown.failures.length).toBeGreaterThan(0);
    for (const f of shown.failures) expect(f).toMatchObject({ cached: true, finishReason: 'stop' });
  });

  it('puts the funnel chart and the consistency table in the HTML report, escaped, and in Markdown', async () => {
    const html = await runCli(['report', 'latest~2', '-C', project.dir, '-o', join(project.dir, 'r.html')]);
    expect(html.stderr).toBe('');
    expect(html.code).toBe(0);
    const page = readFileSync(join(project.dir, 'r.html'), 'utf8');
    expect(page).toContain('<section id="structured">');
    expect(page).toContain('<svg xmlns="http://www.w3.org/2000/svg" class="chart funnel"');
    expect(page).toMatch(/<td>truncated<\/td><td class="num">1<\/td>/);
    expect(page).toContain('<code>/name</code>');
    expect(page).not.toMatch(/<script src|https?:\/\/(?!www\.w3\.org)/);
    const md = await runCli(['report', 'latest', '-C', project.dir, '-o', join(project.dir, 'r.md')]);
    expect(md.code).toBe(0);
    const text = readFileSync(join(project.dir, 'r.md'), 'utf8');
    expect(text).toContain('## Consistency across paraphrases');
    expect(text).toContain('| 2 / 3 | 66.7% [20.8%, 93.9%] | 20.0% of 5 pairs | 0.33 |');
  });
});
