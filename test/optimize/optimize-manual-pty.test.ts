import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readExperimentLog } from '../../src/app/optimize.ts';
import type { StepRecord } from '../../src/optimize/experiment-log.ts';
import { startPty } from '../annotations/pty-session.ts';
import { assayBin, cleanEnv } from '../cli/cli-harness.ts';
import { writeSupportProject } from './support-scenario.ts';

const project = writeSupportProject();
afterAll(() => project.cleanup());

describe('assay optimize --manual (driven through a pseudo-terminal)', () => {
  it("measures and logs a person's edit and hypothesis, then stops when asked", async () => {
    const env = cleanEnv();
    delete env.EDITOR;
    delete env.VISUAL;
    const s = startPty(
      [
        process.execPath,
        assayBin,
        'optimize',
        'support',
        '--manual',
        '--model',
        'fake:support-bot',
        '-C',
        project.dir,
      ],
      { cwd: project.dir, env },
    );
    try {
      await s.waitFor('Press Enter to measure the edit');
      // The diagnosis: the cluster, its failing cases with their outputs and why they failed.
      expect(s.screen()).toContain("expected to contain 'N days' (missing)");
      expect(s.screen()).toContain('case refund-1');
      expect(s.screen()).toContain('We can help with your refund.');
      expect(s.screen()).not.toContain('refund-t1'); // held-out cases are never shown
      const file = join(project.dir, 'prompts/support.prompt.md');
      const edited = readFileSync(file, 'utf8').replace(
        '- Be polite and answer the question asked.',
        '- Be polite and answer the question asked.\n- Always give the refund window when asked about refunds.',
      );
      writeFileSync(file, edited);
      s.send('\r');
      await s.waitFor('Hypothesis (what should this edit fix, and why?):');
      s.send('Naming the refund window makes refund answers state the 30 days\r');
      await s.waitFor('Cases it should fix');
      s.send('\r');
      await s.waitFor('Press Enter to measure the edit');
      expect(s.screen()).toMatch(/measured: accepted: deterministic target/);
      s.send('q\r');
      expect(await s.exited).toBe(0);
      expect(s.screen()).toContain('1 of 1 hypothesis(es) accepted; stopped: stopped by the person');
    } finally {
      s.child.kill();
    }
    const log = await readExperimentLog(join(project.dir, '.assay/optimize/support/experiment-log.jsonl'));
    const steps = log.filter((r): r is StepRecord => r.type === 'step');
    expect(steps).toHaveLength(1);
    expect(steps[0]).toMatchObject({
      proposer: 'person',
      hypothesis: 'Naming the refund window makes refund answers state the 30 days',
      verdict: 'accepted',
      predicted: ['refund-1', 'refund-2', 'refund-3'],
    });
    expect(steps[0]?.measured?.fixed).toEqual(['refund-1', 'refund-2', 'refund-3']);
    expect(steps[0]?.diff).toEqual(['+ - Always give the refund window when asked about refunds.']);
    expect(log.some((r) => r.type === 'proposer-request')).toBe(false);
    expect(readFileSync(join(project.dir, 'prompts/support.prompt.md'), 'utf8')).toContain('refund window');
  }, 60_000);

  it('opens $EDITOR on the prompt file (an editor command with arguments, run without a shell)', async () => {
    const p = writeSupportProject();
    try {
      // A non-interactive "editor" that adds one rule; `$EDITOR` may carry arguments (here `--wait`).
      const wrapper = join(p.dir, 'editor.sh');
      writeFileSync(
        wrapper,
        `#!/bin/sh\nsed -i 's/^- Be polite and answer the question asked\\.$/&\\n- Always give the refund window when asked about refunds./' "$2"\n`,
        { mode: 0o755 },
      );
      const env: NodeJS.ProcessEnv = { ...cleanEnv(), EDITOR: `/bin/sh ${wrapper} --wait` };
      delete env.VISUAL;
      const s = startPty(
        [
          process.execPath,
          assayBin,
          'optimize',
          'support',
          '--manual',
          '-m',
          'fake:support-bot',
          '-C',
          p.dir,
        ],
        { cwd: p.dir, env },
      );
      try {
        await s.waitFor('Press Enter to measure the edit');
        expect(s.screen()).toContain(
          `opening /bin/sh ${wrapper} --wait on ${join(p.dir, 'prompts/support.prompt.md')}`,
        );
        s.send('\r');
        await s.waitFor('Hypothesis');
        s.send('The refund window rule makes refund answers name the 30 days\r');
        await s.waitFor('Cases it should fix');
        s.send('refund-1, refund-2\r');
        await s.waitFor('Press Enter to measure the edit');
        expect(s.screen()).toContain('measured: accepted');
        s.send('q\r');
        expect(await s.exited).toBe(0);
      } finally {
        s.child.kill();
      }
      const log = await readExperimentLog(join(p.dir, '.assay/optimize/support/experiment-log.jsonl'));
      const step = log.find((r): r is StepRecord => r.type === 'step');
      expect(step?.predicted).toEqual(['refund-1', 'refund-2']);
      expect(step?.measured?.fixed).toEqual(['refund-1', 'refund-2']);
    } finally {
      p.cleanup();
    }
  }, 60_000);
});
