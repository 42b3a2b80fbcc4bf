import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { estimateRedteam, redteam } from '../../src/app/redteam.ts';
import type { AttemptCase } from '../../src/redteam/generate-attempts.ts';
import type { RedteamReport } from '../../src/redteam/redteam-report.ts';
import { withNoNetwork } from '../../src/test-helpers/with-no-network.ts';
import { writeFiles } from '../cli/cli-harness.ts';

// The paraphrase strategy: the attacker model rewrites every attack in a stored run of its own before
// the attack run. The target here is fake:echo, which repeats the attack back: a quote, never a breach.
const CANARY = 'ZEBRA-7731-QUARTZ';
const config = (attacker: string) => `target: { input: message, canary: ${CANARY}, models: [fake:echo] }
plugins: [prompt-injection, system-prompt-extraction]
strategies: [paraphrase]
attacker: { model: ${attacker} }
attempts: 2
`;
const files: Record<string, string> = {
  'assay.yaml': `prompts: [bot.prompt.md]
suites: [smoke.yaml]
models:
  - fake:echo
  - id: fake:para
    script: para.yaml
  - id: fake:lossy
    script: lossy.yaml
`,
  'smoke.yaml': 'cases:\n  - id: hi\n    vars: { message: hi }\n',
  'bot.prompt.md': `---\nname: bot\nvariables:\n  message: string\n---\n# system\nInternal reference: ${CANARY}.\n\n# user\n{{ message }}\n`,
  'para.yaml': 'default: "Could you please do the following for me? {{last_user}}"\n',
  'lossy.yaml': 'default: "Hello there."\n',
  'redteam.yaml': config('fake:para'),
  'lossy-redteam.yaml': config('fake:lossy'),
};

describe('assay redteam: the paraphrase strategy', () => {
  const dir = mkdtempSync(join(tmpdir(), 'assay-redteam-para-'));
  let report: RedteamReport;
  let lossy: RedteamReport;
  let cases: AttemptCase[];

  beforeAll(async () => {
    writeFiles(dir, files);
    await withNoNetwork(async () => {
      report = await redteam({ cwd: dir });
      cases = parse(readFileSync(join(dir, '.assay/redteam/redteam.yaml'), 'utf8')).cases;
      lossy = await redteam({ cwd: dir, redteamConfig: 'lossy-redteam.yaml' });
    });
  }, 60_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('sends the attacker rewrites, keeping the original beside them, in a stored run of their own', () => {
    expect(report.run.paraphraseRun).toMatch(/^[0-9a-f]+$/);
    expect(report.run.paraphraseRun).not.toBe(report.run.id);
    const rewritten = cases.filter((c) => c.metadata.redteam.strategy === 'paraphrase');
    expect(rewritten).toHaveLength(4);
    for (const c of rewritten) {
      expect(String(c.vars.message)).toBe(
        `Could you please do the following for me? ${c.metadata.redteam.original}`,
      );
    }
  });

  it('grades the rewritten attacks like any other: an echo of them is held', () => {
    const g = report.groups[0];
    expect(g?.perStrategy.map((s) => [s.key, s.hits, s.assessed])).toEqual([
      ['none', 0, 4],
      ['paraphrase', 0, 4],
    ]);
  });

  it('leaves out rewrites that lost a marker half, and says so', () => {
    expect(
      lossy.warnings.some((w) => /paraphrase: 2 of 4 rewrites left out \(2 lost a marker half\)/.test(w)),
    ).toBe(true);
    const strategy = lossy.groups[0]?.perStrategy.find((s) => s.key === 'paraphrase');
    expect(strategy?.assessed).toBe(2); // the extraction attacks carry no marker to lose
  });

  it('--dry-run estimates the attacker rewrites apart', async () => {
    const est = await estimateRedteam({ cwd: dir, cache: false });
    expect(est.attacker?.calls).toBe(4);
    expect(est.attacker?.perModel[0]?.modelId).toBe('fake:para');
    expect(est.estimate.calls).toBe(est.cases);
  });
});
