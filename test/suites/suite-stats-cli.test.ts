import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, scratchProject, writeFiles } from '../cli/cli-harness.ts';

// A suite with planted problems: `refund-please` is a near-duplicate of `refund` (5 of 6 word bigrams
// shared: 0.83) and sits in test while `refund` is in dev; `refund-copy` repeats `refund` exactly; the
// `fire` cluster has a case in each split. No adversarial and no negative case.
const planted = `# planted problems
name: planted
cases:
  - id: refund
    category: representative
    split: dev
    vars: { message: "Can I get my money back?" }
  - id: refund-please
    category: representative
    split: test
    vars: { message: "can I get my money back please" }
  - id: refund-copy
    category: representative
    split: dev
    vars: { message: "Can I get my money back?" }
  - id: smoke
    category: edge
    cluster: fire
    split: dev
    tags: [safety]
    vars: { message: "There is smoke coming out of the blender" }
  - id: kettle
    category: edge
    cluster: fire
    split: test
    tags: [safety, kettle]
    vars: { message: "My kettle caught fire" }
  - id: hours
    category: representative
    split: dev
    vars: { message: "When are you open on Sundays" }
`;

let project: { dir: string; cleanup: () => void };
beforeAll(() => {
  project = scratchProject(false);
  const balanced = ['representative', 'edge', 'adversarial', 'negative']
    .flatMap((cat) =>
      [0, 1, 2, 3, 4].map((i) =>
        JSON.stringify({
          id: `${cat}-${i}`,
          category: cat,
          vars: { q: `${cat} question ${i} about topic ${i * 7}` },
        }),
      ),
    )
    .join('\n');
  writeFiles(project.dir, {
    'suites/planted.yaml': planted,
    'suites/balanced.jsonl': `${balanced}\n`,
    'suites/leaky.csv':
      'id,message,split,category\na,Where is my parcel,dev,edge\nb,where is my parcel?,test,edge\n',
    'prompts/p.prompt.md': '---\nname: p\nvariables:\n  message: string\n---\n# user\n{{ message }}\n',
    'assay.yaml':
      'name: p\nprompts: [prompts/p.prompt.md]\nsuites:\n  - file: suites/planted.yaml\nmodels: [fake:echo]\n',
  });
});
afterAll(() => project?.cleanup());

const stats = (...args: string[]) => runCli(['suite', 'stats', ...args], { cwd: project.dir });

describe('assay suite stats', () => {
  it('finds the planted duplicates, split leaks and the straddling cluster (--json)', async () => {
    const r = await stats('suites/planted.yaml', '--json');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j).toMatchObject({
      suite: 'planted',
      cases: 6,
      bySplit: { dev: 4, test: 2, none: 0 },
      byTag: [
        { name: 'safety', count: 2 },
        { name: 'kettle', count: 1 },
      ],
    });
    expect(j.byCategory.slice(0, 4)).toEqual([
      { name: 'representative', count: 4 },
      { name: 'edge', count: 2 },
      { name: 'adversarial', count: 0 },
      { name: 'negative', count: 0 },
    ]);
    expect(
      j.duplicates.map((d: { a: string; b: string; kind: string }) => `${d.kind} ${d.a}~${d.b}`),
    ).toEqual(['exact refund~refund-copy', 'near refund~refund-please', 'near refund-please~refund-copy']);
    expect(j.duplicates[1].similarity).toBeCloseTo(5 / 6, 12);
    expect(j.leaks.map((d: { a: string; b: string }) => `${d.a}~${d.b}`)).toEqual([
      'refund~refund-please',
      'refund-please~refund-copy',
    ]);
    expect(j.straddlingClusters).toEqual([{ cluster: 'fire', dev: ['smoke'], test: ['kettle'] }]);
    expect(j.warnings.map((w: { code: string }) => w.code)).toEqual([
      'missing-category',
      'missing-category',
      'tiny-category',
      'tiny-category',
      'duplicate',
      'near-duplicate',
      'split-leak',
      'cluster-straddles',
    ]);
  });

  it('its MDE is the number `assay plan` gives, for the suite and each split', async () => {
    const j = JSON.parse((await stats('suites/planted.yaml', '--json', '--baseline-rate', '0.8')).stdout);
    expect(j.mde.rows.map((r: { scope: string; n: number }) => [r.scope, r.n])).toEqual([
      ['all', 6],
      ['dev', 4],
      ['test', 2],
    ]);
    for (const row of j.mde.rows) {
      const p = await runCli([...row.plan.split(' ').slice(1), '--json'], { cwd: project.dir });
      expect(p.code).toBe(0);
      expect(JSON.parse(p.stdout).mde).toBe(row.mde);
    }
    expect(j.mde.rows[0].plan).toBe('assay plan --n 6 --baseline-rate 0.8 --paired');
  });

  it('prints the pairs, the leaks and the warnings as text; a suite can be named', async () => {
    const r = await stats('planted');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('near   refund ↔ refund-please  0.83  dev/test  LEAK');
    expect(r.stdout).toContain('fire: dev smoke · test kettle');
    expect(r.stdout).toMatch(
      /all cases \(6\): \d+\.\d pts {3}= assay plan --n 6 --baseline-rate 0\.5 --paired/,
    );
    expect(r.stdout).toContain('no adversarial cases');
    expect(r.stdout).toContain('`assay generate planted --category negative`');
  });

  it('a balanced JSONL suite has no warnings; --strict exits 1 only with warnings', async () => {
    const ok = await stats('suites/balanced.jsonl', '--strict');
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('no warnings');
    const leaky = await stats('suites/leaky.csv', '--strict', '--json');
    expect(leaky.code).toBe(1);
    expect(JSON.parse(leaky.stdout).leaks).toEqual([
      { a: 'a', b: 'b', kind: 'near', similarity: 1, splitA: 'dev', splitB: 'test' },
    ]);
  });

  it('--similarity moves the near-duplicate threshold', async () => {
    const j = JSON.parse((await stats('suites/planted.yaml', '--json', '--similarity', '0.9')).stdout);
    expect(j.duplicates.map((d: { kind: string }) => d.kind)).toEqual(['exact']);
  });

  it('bad input is a clear error with exit 2', async () => {
    const missing = await stats('suites/nope.yaml');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(
      /no suite file or suite named 'suites\/nope\.yaml'; the project's suites: planted/,
    );
    const badSim = await stats('suites/planted.yaml', '--similarity', '1.5');
    expect(badSim.code).toBe(2);
    expect(badSim.stderr).toContain("'1.5' is not a number in (0, 1]");
    writeFiles(project.dir, { 'suites/broken.yaml': 'cases:\n  - id: a\n    catgory: edge\n' });
    const broken = await stats('suites/broken.yaml');
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(/suites\/broken\.yaml:3.*did you mean 'category'/);
    expect(broken.stderr).not.toMatch(/internal error|\n\s+at /);
  });
});
