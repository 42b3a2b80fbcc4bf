import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot, runCli, startCli, waitCli } from '../cli/cli-harness.ts';
import { writeSupportProject } from './support-scenario.ts';

const project = writeSupportProject();
afterAll(() => project.cleanup());

describe('assay optimize (CLI)', () => {
  it('runs the loop and prints the result as JSON', async () => {
    const r = await runCli([
      'optimize',
      'support',
      '-C',
      project.dir,
      '-m',
      'fake:support-bot',
      '--proposer',
      'fake:proposer',
      '--json',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as {
      accepted: number;
      final: { verdict: string };
      story: { html: string };
    };
    expect(out.accepted).toBe(2);
    expect(out.final.verdict).toBe('kept');
    expect(existsSync(out.story.html)).toBe(true);
    expect(readFileSync(join(project.dir, 'prompts/support.prompt.md'), 'utf8')).toContain('refund window');
  });

  it('bad input is a clear error with exit 2, never a stack trace', async () => {
    const cases: [string[], RegExp][] = [
      [['optimize', 'nope', '--proposer', 'fake:proposer'], /no prompt named 'nope'.*one of: support/s],
      [['optimize', 'support', '-m', 'fake:support-bot'], /no proposer model.*--manual/s],
      [['optimize', 'support', '--alpha', '2', '--proposer', 'fake:proposer'], /strictly between 0 and 1/],
      [
        ['optimize', 'support', '--proposer', 'fake:proposer'],
        /--model: several models are configured; expected the target model/,
      ],
      [
        [
          'optimize',
          'support',
          '-m',
          'fake:support-bot',
          '--proposer',
          'fake:proposer',
          '--resume',
          '--out',
          'x',
        ],
        /nothing to resume/,
      ],
    ];
    for (const [args, message] of cases) {
      const r = await runCli([...args, '-C', project.dir]);
      expect(r.code, `${args.join(' ')}\n${r.stderr}`).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });
});

describe('assay optimize interrupted and resumed (CLI)', () => {
  it('Ctrl-C mid-step exits 130; --resume redoes that step and ends where an uninterrupted run ends', async () => {
    const p = writeSupportProject();
    try {
      // Slow target answers, so that the signal lands inside a measurement.
      const target = join(p.dir, 'models/target.yaml');
      writeFileSync(
        target,
        readFileSync(target, 'utf8').replace(/\n {4}reply: /g, '\n    delayMs: 60\n    reply: '),
      );
      const args = [
        'optimize',
        'support',
        '-C',
        p.dir,
        '-m',
        'fake:support-bot',
        '--proposer',
        'fake:proposer',
      ];
      const child = startCli(args);
      let stderr = '';
      child.stderr?.on('data', (d) => {
        stderr += d;
        if (/step 2:/.test(stderr) && !child.killed) child.kill('SIGINT');
      });
      const first = await waitCli(child);
      expect(first.code, first.stderr).toBe(130);
      expect(first.stdout).toContain('final: unfinished (resume with --resume)');
      const resumed = await runCli([...args, '--resume', '--json']);
      expect(resumed.code, resumed.stderr).toBe(0);
      const out = JSON.parse(resumed.stdout) as {
        accepted: number;
        tried: number;
        finalVersion: string;
        log: string;
      };
      expect(out).toMatchObject({ accepted: 2, tried: 3 });
      const log = readFileSync(out.log, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
      const steps = log
        .filter((r) => r.type === 'step' && r.verdict !== 'stopped')
        .map((r) => [r.step, r.verdict]);
      expect(steps).toEqual([
        [1, 'accepted'],
        [2, 'regressed'],
        [3, 'accepted'],
      ]);
      expect(log.filter((r) => r.type === 'step' && r.verdict === 'stopped').map((r) => r.why)).toEqual([
        'interrupted',
      ]);
      // The same final prompt as the committed sample story, which ran without interruption.
      expect(readFileSync(join(repoRoot, 'examples/optimize/story/story.md'), 'utf8')).toContain(
        out.finalVersion,
      );
    } finally {
      p.cleanup();
    }
  }, 60_000);
});
