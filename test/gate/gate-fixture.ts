import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { scratchProject, writeFiles } from '../cli/cli-harness.ts';

/**
 * A 30-case project (c01…c30, c01 and c02 protected) whose `fake:bot` answers by the prompt version: the
 * prompt's user message is `MARKER cNN`, and the script keys on the marker, so each version regresses
 * (answers BAD, failing the `contains: OK` check) or errors on known cases:
 *   BASE   c30 fails                       (the baseline of most scenarios)
 *   WORSE  c03–c12 and c30 fail            (10 regressions: significantly worse)
 *   SWAP   c03 fails, c30 passes           (1 regression, 1 improvement: no detectable difference)
 *   PROT   c01 (protected) and c30 fail    (1 protected regression)
 *   PERR   c01 (protected) errors          (a protected case errored)
 *   ERR    c03, c04 error                  (errors: 2/30)
 *   TWO    c03, c04 and c30 fail           (2 regressions)
 *   ALLERR every case errors               (nothing scored)
 *   PROTERR c01 (protected) and c30 fail, c03 errors (a protected regression and an error)
 */
export const botScript = `rules:
  - match: "^SWAP c30$"
    reply: OK
  - match: "^SWAP c03$"
    reply: BAD
  - match: "^ALLERR "
    error: { kind: client, message: scripted failure }
  - match: "^PERR c01$"
    error: { kind: client, message: scripted failure }
  - match: "^ERR c0[34]$"
    error: { kind: client, message: scripted failure }
  - match: "^PROTERR c03$"
    error: { kind: client, message: scripted failure }
  - match: "c30$"
    reply: BAD
  - match: "^WORSE c(0[3-9]|1[0-2])$"
    reply: BAD
  - match: "^PROT(ERR)? c01$"
    reply: BAD
  - match: "^TWO c0[34]$"
    reply: BAD
default: OK
`;

export function gateProject() {
  const p = scratchProject(false);
  const cases = Array.from({ length: 30 }, (_, i) => {
    const id = `c${String(i + 1).padStart(2, '0')}`;
    return JSON.stringify({ id, vars: { q: id }, ...(i < 2 ? { protected: true } : {}) });
  }).join('\n');
  writeFiles(p.dir, {
    'assay.yaml': [
      'name: gate-test',
      'prompts: [prompts/*.prompt.md]',
      'suites: [cases.jsonl]',
      'models:',
      '  - id: fake:bot',
      '    script: bot.yaml',
      'defaults:',
      '  maxRetries: 0',
      '  checks:',
      '    - contains: "OK"',
    ].join('\n'),
    'bot.yaml': botScript,
    'cases.jsonl': `${cases}\n`,
  });
  setVersion(p.dir, 'BASE');
  return p;
}

/** Rewrites the prompt so its user message is `MARKER {{ q }}`: a new prompt version. */
export function setVersion(dir: string, marker: string): void {
  mkdirSync(join(dir, 'prompts'), { recursive: true });
  writeFileSync(
    join(dir, 'prompts/qa.prompt.md'),
    `---\nname: qa\nvariables:\n  q: string\n---\n${marker} {{ q }}\n`,
  );
}
