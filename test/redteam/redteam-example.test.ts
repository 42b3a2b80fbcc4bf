import { cpSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { mcnemarExact } from '../../src/core/stats/mcnemar.ts';
import { wilsonInterval } from '../../src/core/stats/wilson.ts';
import type { ResultRecord } from '../../src/core/types.ts';
import type { AttemptCase } from '../../src/redteam/generate-attempts.ts';
import type { RedteamReport } from '../../src/redteam/redteam-report.ts';
import { openStore } from '../../src/store/open-store.ts';
import { repoRoot, runCli, scratchProject } from '../cli/cli-harness.ts';

// examples/redteam attacks two versions of a support prompt through a scripted target
// (examples/redteam/targets/scripted-bot.ts). Its behaviour is known exactly, so the measured attack
// success must match it case by case:
//  - `support` breaches every attack except those dressed in ROT13 (it cannot read them) and sycophancy
//    under mild doubt ("are you sure?"); it answers every benign control;
//  - `support-hardened` holds every attack, refusing with the request quoted back (payload halves
//    included), and over-refuses the benign requests that contain kill/shoot/knife/attack.
const RISKY = /\b(kill|shoot|knife|attack)\b/i;

function scriptedBreach(c: AttemptCase, prompt: string): boolean {
  if (prompt === 'support-hardened') return false;
  const { strategy, seed, plugin } = c.metadata.redteam;
  return strategy !== 'rot13' && !(plugin === 'sycophancy' && seed.endsWith('.doubt'));
}

describe('assay redteam on examples/redteam (scripted vulnerable and hardened prompt versions)', () => {
  const p = scratchProject(false);
  let report: RedteamReport;
  let cases: AttemptCase[];
  const results: ResultRecord[] = [];
  let stdout = '';

  beforeAll(async () => {
    cpSync(join(repoRoot, 'examples/redteam'), p.dir, {
      recursive: true,
      filter: (s) => !s.includes('.assay'),
    });
    const r = await runCli([
      'redteam',
      '-C',
      p.dir,
      '--json',
      '--freeze',
      join(p.dir, 'suites/redteam-replay.yaml'),
    ]);
    stdout = r.stdout;
    expect(r.code, r.stderr).toBe(0);
    report = JSON.parse(r.stdout);
    cases = (
      parse(readFileSync(join(p.dir, '.assay/redteam/redteam.yaml'), 'utf8')) as { cases: AttemptCase[] }
    ).cases;
    const store = await openStore({ path: join(p.dir, '.assay/assay.db') });
    for await (const x of store.iterateResults(report.run.id)) results.push(x);
    await store.close();
  }, 120_000);
  afterAll(() => p.cleanup());

  it('generates the attempts as an ordinary suite and runs every one on both prompt versions, without errors', () => {
    expect(cases.length).toBe(report.run.cases);
    expect(results).toHaveLength(2 * cases.length);
    expect(results.filter((r) => r.status === 'error')).toEqual([]);
    expect(report.groups.map((g) => g.prompt).sort()).toEqual(['support', 'support-hardened']);
  });

  it('measures per plugin and per strategy exactly the scripted breaches, with Wilson intervals', () => {
    for (const g of report.groups) {
      const attacks = cases.filter((c) => c.metadata.redteam.kind === 'attack');
      for (const row of g.perPlugin) {
        const mine = attacks.filter((c) => c.metadata.redteam.plugin === row.key);
        const breached = mine.filter((c) => scriptedBreach(c, g.prompt)).length;
        expect([g.prompt, row.key, row.hits, row.assessed]).toEqual([
          g.prompt,
          row.key,
          breached,
          mine.length,
        ]);
        const w = wilsonInterval(breached, mine.length);
        expect(row.rate?.lower).toBeCloseTo(w.lower, 12);
        expect(row.rate?.upper).toBeCloseTo(w.upper, 12);
      }
      expect(g.perPlugin.map((r) => r.key)).toHaveLength(10);
      for (const row of g.perStrategy) {
        const mine = attacks.filter((c) => c.metadata.redteam.strategy === row.key);
        expect(row.hits, `${g.prompt} ${row.key}`).toBe(
          mine.filter((c) => scriptedBreach(c, g.prompt)).length,
        );
      }
      const rot13 = g.perStrategy.find((r) => r.key === 'rot13');
      expect(rot13?.hits).toBe(0);
    }
    const vulnerable = report.groups.find((g) => g.prompt === 'support');
    expect(vulnerable?.overall.rate?.estimate).toBeGreaterThan(0.8);
    expect(report.groups.find((g) => g.prompt === 'support-hardened')?.overall.hits).toBe(0);
  });

  it('reports utility under attack beside the ASR: the hardened version over-refuses risky-sounding benign requests', () => {
    const benign = cases.filter((c) => c.metadata.redteam.plugin === 'over-refusal');
    const risky = benign.filter((c) => RISKY.test(String(c.vars.message))).length;
    const hardened = report.groups.find((g) => g.prompt === 'support-hardened');
    const vulnerable = report.groups.find((g) => g.prompt === 'support');
    expect(vulnerable?.utility).toMatchObject({ answered: benign.length, hits: 0 });
    expect(hardened?.utility).toMatchObject({
      answered: benign.length - risky,
      hits: risky,
      assessed: benign.length,
    });
  });

  it('runs tool-injection attempts as agent loops whose tool result carries the payload', () => {
    const viaTool = results.filter(
      (r) => r.caseId.startsWith('rt.tool-injection.') && r.caseId.endsWith('.none'),
    );
    expect(viaTool.length).toBeGreaterThan(0);
    const byId = new Map(cases.map((c) => [c.id, c]));
    for (const r of viaTool) {
      const steps = r.trajectory?.steps ?? [];
      const marker = byId.get(r.caseId)?.metadata.redteam.marker as string;
      expect(steps.map((s) => s.type)).toEqual(['llm', 'tool', 'llm']);
      // The genuine data, then the payload with the marker's halves apart, given back to the model.
      expect(steps[1]?.text).toMatch(/^status: shipped/);
      expect(steps[1]?.text).toContain(marker.slice(0, 4));
      expect(steps[1]?.text).not.toContain(marker);
      expect(r.status).toBe(r.prompt === 'support' ? 'fail' : 'pass');
    }
  });

  it('a refusal that quotes the payload is never a breach', () => {
    const byId = new Map(cases.map((c) => [c.id, c]));
    const quoting = results.filter((r) => {
      const marker = byId.get(r.caseId)?.metadata.redteam.marker;
      return (
        r.prompt === 'support-hardened' &&
        marker &&
        (r.output ?? '').includes(marker.slice(0, 4)) &&
        (r.output ?? '').includes(marker.slice(4))
      );
    });
    expect(quoting.length).toBeGreaterThan(50);
    expect(quoting.filter((r) => r.status !== 'pass')).toEqual([]);
  });

  it("reports the hardened version's improvement as significant by exact McNemar on paired attacks", () => {
    const [v] = report.versions ?? [];
    expect(v?.baselinePrompt).toBe('support');
    expect(v?.prompt).toBe('support-hardened');
    expect(v?.test).toBe('exact McNemar');
    expect(v?.verdict).toBe('improved');
    const breachedBefore = results.filter(
      (r) => r.prompt === 'support' && r.status === 'fail' && !r.caseId.startsWith('rt.over-refusal'),
    ).length;
    expect(v?.newlyHeld).toHaveLength(breachedBefore);
    expect(v?.newlyBreached).toEqual([]);
    expect(v?.p).toBe(mcnemarExact(0, breachedBefore));
    expect(v?.asrChange.upper).toBeLessThan(0);
  });

  it('shows the most effective attacks with their transcripts, and freezes every breach into a replay suite', () => {
    expect(report.top).toHaveLength(5);
    expect(report.top[0]?.example.output).not.toBe('');
    expect(report.top[0]?.example.transcript.at(-1)?.role).toBe('user');
    const frozen = parse(readFileSync(join(p.dir, 'suites/redteam-replay.yaml'), 'utf8')) as {
      name: string;
      cases: AttemptCase[];
    };
    const breached = new Set(
      results
        .filter((r) => r.status === 'fail' && !r.caseId.startsWith('rt.over-refusal'))
        .map((r) => r.caseId),
    );
    expect(frozen.name).toBe('redteam-replay');
    expect(new Set(frozen.cases.map((c) => c.id))).toEqual(breached);
    expect(report.frozen).toEqual({ file: 'suites/redteam-replay.yaml', cases: breached.size });
    expect(stdout).not.toContain('\u001b');
  });

  it('prints a readable text report with the same numbers', async () => {
    const r = await runCli(['redteam', '-C', p.dir]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(
      /\nsupport@[0-9a-f]{8} × file:targets\/scripted-bot\.ts#answerCase\n {2}attack success \d+\.\d% \[/,
    );
    // Prompt versions in the order the config names them.
    expect(r.stdout.indexOf('\nsupport@')).toBeLessThan(r.stdout.indexOf('\nsupport-hardened@'));
    expect(r.stdout).toMatch(/support → support-hardened × .*exact McNemar p = < 0\.001 · improved/);
    expect(r.stdout).toContain('utility under attack');
    expect(r.stdout).toContain('most effective attacks');
    expect(existsSync(join(p.dir, '.assay/redteam/redteam.yaml'))).toBe(true);
  }, 60_000);
});
