import { appendFileSync, cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * The optimizer's example project (examples/optimize/project), copied to a scratch folder: a support bot
 * whose `fake:` target answers by the rules its system prompt holds ("refund window" fixes the refund
 * cases; "under 10 words" fixes the status cases but cuts the protected warranty answer; an "order
 * status" rule fixes the status cases alone) and a `fake:proposer` scripted per failure cluster.
 */
export const exampleProject = resolve(import.meta.dirname, '../../examples/optimize/project');

/** A proposal that copies the held-out test case's words into the prompt. */
export const copyingProposal = {
  diagnosis: 'The refund answers are vague.',
  evidence: ['We can help with your refund.'],
  hypothesis: 'Spelling out the exact customer request lets the model recognise it.',
  edit: {
    kind: 'add-constraint',
    text: 'If a customer says the lamp arrived broken and I want my money back, mention the refund window.',
  },
  predictedFixes: ['refund-1'],
};

/** Bad proposals, one per attempt: each must be stopped before any target call. */
export const badProposals = {
  refund: [
    // Evidence that no output or prompt line contains.
    {
      ...copyingProposal,
      evidence: ['The model said refunds are impossible.'],
      edit: { kind: 'add-constraint', text: 'Mention refunds.' },
    },
    // A new template variable (undeclared): the prompt no longer parses and its expressions changed.
    {
      ...copyingProposal,
      edit: { kind: 'add-constraint', text: 'Address the customer as {{ customer_name }}.' },
    },
  ],
  status: [
    {
      ...copyingProposal,
      evidence: ['it is on its way to you'],
      edit: { kind: 'rewrite-everything', text: 'x' },
    },
  ],
};

export function writeSupportProject(
  opts: { copyFirst?: boolean; badOnly?: boolean; extraConfig?: string } = {},
): {
  dir: string;
  cleanup: () => void;
} {
  const dir = mkdtempSync(join(tmpdir(), 'assay-opt-'));
  cpSync(exampleProject, dir, { recursive: true, filter: (src) => !src.includes('.assay') });
  if (opts.copyFirst) {
    // Answered once, before the scripted refund proposal.
    const file = join(dir, 'models/proposer.yaml');
    const rule = `  - contains: "'N days'"\n    times: 1\n    reply: ${JSON.stringify(JSON.stringify(copyingProposal))}\n`;
    writeFileSync(file, readFileSync(file, 'utf8').replace('rules:\n', `rules:\n${rule}`));
  }
  if (opts.badOnly) {
    const once = (contains: string, reply: string) =>
      `  - contains: ${JSON.stringify(contains)}\n    times: 1\n    reply: ${JSON.stringify(reply)}\n`;
    const rules = [
      ...badProposals.refund.map((b) => once("'N days'", JSON.stringify(b))),
      ...badProposals.status.map((b) => once("'order shipped'", JSON.stringify(b))),
      once("'order shipped'", 'I would rewrite the whole prompt to be friendlier.'),
    ];
    writeFileSync(join(dir, 'models/proposer.yaml'), `rules:\n${rules.join('')}default: "{}"\n`);
  }
  if (opts.extraConfig) appendFileSync(join(dir, 'assay.yaml'), opts.extraConfig);
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
