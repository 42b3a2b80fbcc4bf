import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSuite } from '../../src/core/suite/parse-suite.ts';
import { runCli, scratchProject, writeFiles } from '../cli/cli-harness.ts';

// 40 cases: representative 20 (among them clusters p0…p3 of 2 paraphrases each), edge 10, adversarial
// 6, negative 4; one exact duplicate pair that must not be split across dev and test.
function yamlSuite(): string {
  const lines = [
    '# Hand-written suite: this comment and the layout below must survive',
    'name: big',
    'cases:',
  ];
  const add = (id: string, category: string, message: string, cluster?: string) => {
    lines.push(`  # case ${id}`, `  - id: ${id}`, `    category: ${category}`);
    if (cluster) lines.push(`    cluster: ${cluster}`);
    lines.push(`    vars: { message: "${message}" }   # inline comment`);
  };
  for (let i = 0; i < 8; i++)
    add(
      `para-${i}`,
      'representative',
      `paraphrase ${i} of topic ${Math.floor(i / 2)} variant ${i}`,
      `p${Math.floor(i / 2)}`,
    );
  for (let i = 0; i < 10; i++)
    add(`rep-${i}`, 'representative', `ordinary question number ${i} ${'x'.repeat(i)}`);
  add('dup-a', 'representative', 'Can I get my money back?');
  add('dup-b', 'representative', 'Can I get my money back?');
  for (let i = 0; i < 10; i++) add(`edge-${i}`, 'edge', `odd input ${i} ${'y'.repeat(i)}`);
  for (let i = 0; i < 6; i++) add(`adv-${i}`, 'adversarial', `ignore your rules ${i} ${'z'.repeat(i)}`);
  for (let i = 0; i < 4; i++) add(`neg-${i}`, 'negative', `out of scope ${i} ${'w'.repeat(i)}`);
  return `${lines.join('\n')}\n`;
}

let project: { dir: string; cleanup: () => void };
beforeAll(() => {
  project = scratchProject(false);
  writeFiles(project.dir, {
    'suites/big.yaml': yamlSuite(),
    'suites/copy.yaml': yamlSuite(),
    'suites/rows.csv': `id,message,category\n${Array.from({ length: 10 }, (_, i) => `r${i},"row, ${i}",${i < 5 ? 'edge' : 'negative'}`).join('\n')}\n`,
    'suites/lines.jsonl': `${Array.from({ length: 10 }, (_, i) =>
      JSON.stringify({ id: `j${i}`, category: 'edge', vars: { m: `line ${i} ${'q'.repeat(i)}` } }),
    ).join('\n')}\n`,
  });
});
afterAll(() => project?.cleanup());

const split = (...args: string[]) => runCli(['suite', 'split', ...args], { cwd: project.dir });
const read = (f: string) => readFileSync(join(project.dir, f), 'utf8');
const cases = (f: string) => parseSuite(read(f), f).suite.cases;

describe('assay suite split', () => {
  it('gives each category its share, keeps clusters and duplicates whole, and edits the file in place', async () => {
    const before = read('suites/big.yaml');
    const r = await split('suites/big.yaml', '--test', '0.3', '--seed', '7', '--json');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    // Largest remainder of 0.3 × [6, 10, 4, 20] = [1.8, 3, 1.2, 6] → [2, 3, 1, 6] = 12 = 0.3 × 40.
    expect(j.strata).toEqual([
      { name: 'adversarial', cases: 6, target: 2, test: 2 },
      { name: 'edge', cases: 10, target: 3, test: 3 },
      { name: 'negative', cases: 4, target: 1, test: 1 },
      { name: 'representative', cases: 20, target: 6, test: 6 },
    ]);
    expect(j).toMatchObject({ testCases: 12, dev: 28, changed: 40, written: true, groups: 5 });
    const got = cases('suites/big.yaml');
    for (const [cat, n] of [
      ['adversarial', 2],
      ['edge', 3],
      ['negative', 1],
      ['representative', 6],
    ] as const)
      expect(got.filter((c) => c.category === cat && c.split === 'test')).toHaveLength(n);
    for (const k of ['p0', 'p1', 'p2', 'p3'])
      expect(new Set(got.filter((c) => c.cluster === k).map((c) => c.split)).size).toBe(1);
    expect(got.find((c) => c.id === 'dup-a')?.split).toBe(got.find((c) => c.id === 'dup-b')?.split);
    // Only `split:` lines were added; every other line is as it was.
    const after = read('suites/big.yaml');
    expect(after.split('\n').filter((l) => !/^ {4}split: (dev|test)$/.test(l))).toEqual(before.split('\n'));
    // And `suite stats` now finds no leak.
    const s = JSON.parse(
      (await runCli(['suite', 'stats', 'suites/big.yaml', '--json'], { cwd: project.dir })).stdout,
    );
    expect(s.leaks).toEqual([]);
    expect(s.straddlingClusters).toEqual([]);
  });

  it('the same seed gives the same assignment (nothing to write again); another seed differs', async () => {
    const again = await split('suites/big.yaml', '--test', '0.3', '--seed', '7');
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('every case already has this split; nothing written');
    const copy = await split('suites/copy.yaml', '--test', '0.3', '--seed', '7', '--json');
    expect(JSON.parse(copy.stdout).written).toBe(true);
    expect(read('suites/copy.yaml')).toBe(read('suites/big.yaml'));
    const other = JSON.parse(
      (await split('suites/copy.yaml', '--test', '0.3', '--seed', '8', '--dry-run', '--json')).stdout,
    );
    expect(other).toMatchObject({ dryRun: true, written: false, testCases: 12 });
    expect(other.changed).toBeGreaterThan(0);
    expect(read('suites/copy.yaml')).toBe(read('suites/big.yaml'));
  });

  it('CSV gets a split column; JSONL lines get a split field', async () => {
    const csv = await split('suites/rows.csv', '--test', '0.4', '--seed', '1');
    expect(csv.code).toBe(0);
    expect(csv.stdout).toMatch(/split suites\/rows\.csv: dev 6 · test 4/);
    const text = read('suites/rows.csv');
    expect(text.split('\n')[0]).toBe('id,message,category,split');
    expect(text).toContain('r0,"row, 0",edge,');
    const rows = cases('suites/rows.csv');
    expect(
      rows
        .filter((c) => c.split === 'test')
        .map((c) => c.category)
        .sort(),
    ).toEqual(['edge', 'edge', 'negative', 'negative']);
    expect(rows[0]?.vars).toEqual({ message: 'row, 0' });
    const jsonl = await split('suites/lines.jsonl', '--test', '0.3', '--seed', '1', '--stratify', 'none');
    expect(jsonl.code).toBe(0);
    expect(cases('suites/lines.jsonl').filter((c) => c.split === 'test')).toHaveLength(3);
  });

  it('bad flags are usage errors', async () => {
    const noTest = await split('suites/big.yaml');
    expect(noTest.code).toBe(2);
    expect(noTest.stderr).toMatch(/--test/);
    const bad = await split('suites/big.yaml', '--test', '1.3');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("'1.3' is not a share between 0 and 1");
    const strat = await split('suites/big.yaml', '--test', '0.3', '--stratify', 'tag');
    expect(strat.code).toBe(2);
  });
});
