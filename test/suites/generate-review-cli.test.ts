import { chmodSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSuite } from '../../src/core/suite/parse-suite.ts';
import { startPty } from '../annotations/pty-session.ts';
import { assayBin, cleanEnv, runCli, scratchProject, writeFiles } from '../cli/cli-harness.ts';

// `assay generate` with a scripted drafter (fake model). Its reply for edge cases holds 8 drafts:
//   1 an exact copy of suite case `refund`        2 a near copy of it (0.83 ≥ 0.8)
//   3 new: the blue parcel                         4 a near copy of draft 3 (same words, other punctuation)
//   5 an exact copy of draft 3                     6 invalid: sets `msg`, not the required `message`
//   7 new: German, with lang                       8 new: an emoji-only message
// Kept: 3, 7, 8 — appended as review: unreviewed, tagged generated. Then `assay suite review` in a
// pseudo-terminal accepts one, edits one (a scripted $EDITOR) and accepts it, and rejects the last.
const drafts = [
  { vars: { message: 'Can I get my money back?' }, why: 'exact copy' },
  { vars: { message: 'can I get my money back please' }, why: 'near copy' },
  {
    vars: { message: 'My order arrived in 37 pieces, all of them blue' },
    expected: 'apologise',
    why: 'odd damage',
  },
  { vars: { message: 'my order arrived in 37 pieces all of them blue!!' }, why: 'near copy of 3' },
  { vars: { message: 'My order arrived in 37 pieces, all of them blue' }, why: 'exact copy of 3' },
  { vars: { msg: 'wrong variable' }, why: 'invalid' },
  { vars: { message: 'Ich möchte mein Geld zurück', lang: 'de' }, why: 'another language' },
  { vars: { message: '🔥🔥🔥 \u001b[31mhelp' }, why: 'emoji only' },
];

let project: { dir: string; cleanup: () => void };
const env = cleanEnv();
const suiteText = `# Support cases — this comment stays
cases:
  - id: refund
    category: representative
    vars: { message: "Can I get my money back?" }
  - id: smoke
    category: edge
    vars: { message: "There is smoke coming out of the blender" }
`;

beforeAll(() => {
  project = scratchProject(false);
  writeFiles(project.dir, {
    'assay.yaml': [
      'name: gen',
      'prompts: [prompts/*.prompt.md]',
      'suites:',
      '  - file: suites/support.yaml',
      'models:',
      '  - id: fake:drafter',
      '    script: models/drafter.yaml',
      '  - id: fake:pricey',
      '    script: models/drafter.yaml',
      'prices: prices.yaml',
      '',
    ].join('\n'),
    'prompts/support.prompt.md':
      '---\nname: support\nvariables:\n  message:\n    type: string\n  lang:\n    type: string\n    default: en\n---\n# system\nYou are a support bot.\n\n# user\n{{ message }}\n',
    'suites/support.yaml': suiteText,
    'prices.yaml': '"fake:pricey": { input: 1000, output: 1000 }\n',
    'models/drafter.yaml': JSON.stringify({
      rules: [
        {
          contains: 'category "edge"',
          reply: `Here you go:\n\`\`\`json\n${JSON.stringify(drafts, null, 1)}\n\`\`\``,
        },
      ],
      default: 'I only write edge cases.',
    }),
    // An $EDITOR that rewrites the case's message (the case file is its last argument).
    'editor.mjs': [
      '#!/usr/bin/env node',
      "import { readFileSync, writeFileSync } from 'node:fs';",
      'const f = process.argv.at(-1);',
      "writeFileSync(f, readFileSync(f, 'utf8').replace(/message: .*/, 'message: Mein Paket ist nicht angekommen'));",
      '',
    ].join('\n'),
  });
  chmodSync(join(project.dir, 'editor.mjs'), 0o755);
});
afterAll(() => project?.cleanup());

const generate = (...args: string[]) =>
  runCli(['generate', 'support', '--category', 'edge', '--count', '8', '--model', 'fake:drafter', ...args], {
    cwd: project.dir,
    env,
  });
const suiteCases = () => {
  const text = readFileSync(join(project.dir, 'suites/support.yaml'), 'utf8');
  return { text, cases: parseSuite(text, 'suites/support.yaml').suite.cases };
};

describe('assay generate', () => {
  it('--dry-run estimates the one call and writes nothing', async () => {
    const r = await generate('--dry-run', '--json');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      dryRun: true,
      calls: 1,
      cached: false,
      cost: 0,
      examples: 1,
    });
    expect(suiteCases().text).toBe(suiteText);
  });

  it('keeps neither exact nor near-duplicates (of the suite or of each other); the rest are appended unreviewed', async () => {
    const r = await generate('--json');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.drafts.map((d: { dropped?: string }) => d.dropped ?? 'kept')).toEqual([
      'duplicate',
      'near-duplicate',
      'kept',
      'near-duplicate',
      'duplicate',
      'invalid',
      'kept',
      'kept',
    ]);
    expect(j.added).toHaveLength(3);
    const { text, cases } = suiteCases();
    expect(text.startsWith(suiteText)).toBe(true);
    const added = cases.slice(2);
    expect(added.map((c) => c.id)).toEqual(j.added);
    for (const c of added)
      expect(c).toMatchObject({ category: 'edge', tags: ['generated'], review: 'unreviewed' });
    expect(added[0]).toMatchObject({
      vars: { message: 'My order arrived in 37 pieces, all of them blue' },
      expected: 'apologise',
      metadata: { why: 'odd damage', generatedBy: 'fake:drafter' },
    });
    expect(added[1]?.vars).toEqual({ message: 'Ich möchte mein Geld zurück', lang: 'de' });
  });

  it('the text report escapes model output', async () => {
    // Same request as before → the cached reply; every draft is now a duplicate of a suite case.
    const r = await generate();
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('answer from the cache');
    expect(r.stdout).toContain('kept 0');
    expect(r.stdout).toContain('--no-cache asks the model afresh');
    expect(r.stdout).not.toContain('\u001b');
    expect(suiteCases().cases).toHaveLength(5);
  });

  it('--max-cost: the estimate is priced, and a call the cap cannot cover is not made (exit 3)', async () => {
    const pricey = (...args: string[]) => generate('--model', 'fake:pricey', ...args);
    const dry = JSON.parse((await pricey('--dry-run', '--json')).stdout);
    // ~tokens × $1000 per million tokens: well above a cent.
    expect(dry.cost).toBeCloseTo(((dry.inputTokens + dry.outputTokens) * 1000) / 1e6, 10);
    const before = suiteCases().text;
    const capped = await pricey('--max-cost', '0.01');
    expect(capped.code).toBe(3);
    expect(capped.stderr).toContain('--max-cost $0.01 does not cover the drafting call; nothing was sent');
    expect(suiteCases().text).toBe(before);
  });

  it('--from shows the cases of another file as seed examples', async () => {
    writeFiles(project.dir, {
      'seeds.jsonl':
        '{"id": "s1", "vars": {"message": "seed one"}}\n{"id": "s2", "vars": {"message": "seed two"}}\n',
    });
    const j = JSON.parse((await generate('--from', 'seeds.jsonl', '--dry-run', '--json')).stdout);
    expect(j).toMatchObject({ examples: 2, cached: false });
    const missing = await generate('--from', 'nope.jsonl', '--dry-run');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("examples file 'nope.jsonl' not found");
  });

  it('only --count drafts are screened', async () => {
    const j = JSON.parse((await generate('--count', '2', '--json')).stdout);
    expect(j.drafts).toHaveLength(2);
    expect(j.problems).toEqual(['the reply held 8 drafts; only the first 2 (--count) were screened']);
    expect(j.added).toEqual([]);
  });

  it('`suite stats` counts them unreviewed', async () => {
    const j = JSON.parse(
      (await runCli(['suite', 'stats', 'support', '--json'], { cwd: project.dir, env })).stdout,
    );
    expect(j.byReview).toEqual({ accepted: 0, unreviewed: 3, none: 2 });
    expect(j.warnings.map((w: { message: string }) => w.message)).toContain(
      '3 generated cases are not reviewed yet: `assay suite review support`',
    );
  });

  it('bad input is a usage error, before any call', async () => {
    const typo = await generate('--category', 'adverserial');
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain("did you mean 'adversarial'?");
    const model = await runCli(['generate', 'support', '--category', 'edge', '--model', 'fake:nope'], {
      cwd: project.dir,
      env,
    });
    expect(model.code).toBe(2);
    expect(model.stderr).toMatch(/model fake:nope is not configured/);
    const none = await runCli(['generate', 'support', '--category', 'negative', '--model', 'fake:drafter'], {
      cwd: project.dir,
      env,
    });
    expect(none.code).toBe(3);
    expect(none.stderr).toMatch(/drafted no usable case \(the reply holds no JSON array of cases\)/);
  });
});

describe('assay suite review', () => {
  it('without a terminal it says so (exit 2)', async () => {
    const r = await runCli(['suite', 'review', 'support'], { cwd: project.dir, env });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('assay suite review needs a terminal; 3 cases are unreviewed');
  });

  it('accept, edit then accept, and reject in a terminal', async () => {
    const ids = suiteCases()
      .cases.slice(2)
      .map((c) => c.id);
    const pty = startPty([process.execPath, assayBin, 'suite', 'review', 'support'], {
      cwd: project.dir,
      env: { ...env, EDITOR: join(project.dir, 'editor.mjs') },
    });
    try {
      await pty.waitFor('1/3');
      expect(pty.screen()).toContain(`case ${ids[0]}`);
      pty.send('a');
      await pty.waitFor('2/3');
      pty.send('e');
      await pty.waitFor('edited and saved');
      expect(pty.screen()).toContain('Mein Paket ist nicht angekommen');
      pty.send('a');
      await pty.waitFor('3/3');
      expect(pty.screen()).not.toContain('\u001b[31m');
      pty.send('r');
      await pty.waitFor('left unreviewed');
      expect(await pty.exited).toBe(0);
    } finally {
      pty.child.kill();
    }
    expect(pty.screen()).toContain('2 accepted · 1 rejected · 1 edited · 0 left unreviewed');
    const { text, cases } = suiteCases();
    expect(text.startsWith(suiteText)).toBe(true);
    expect(cases.map((c) => [c.id, c.review])).toEqual([
      ['refund', undefined],
      ['smoke', undefined],
      [ids[0], 'accepted'],
      [ids[1], 'accepted'],
    ]);
    expect(cases[3]?.vars).toEqual({ message: 'Mein Paket ist nicht angekommen', lang: 'de' });
    const again = await runCli(['suite', 'review', 'support'], { cwd: project.dir, env });
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('no case to review');
  }, 30_000);
});
