#!/usr/bin/env node
// Writes an Assay project equivalent to the shared bench suite (../shared/bench/lib/suite.mjs): the same
// prompt, N cases and the same two checks per case. Done before the timed runs, like the harness's own
// prepareSuite for promptfoo.   node bench/make-bench-project.mjs --n 5000 --out DIR
import fs from 'node:fs';
import path from 'node:path';
import { makeSuite } from '../../shared/bench/lib/suite.mjs';

const arg = (name, def) => {
  const i = process.argv.indexOf(`--${name}`);
  return i !== -1 ? process.argv[i + 1] : def;
};
const n = Number(arg('n', '5000'));
const out = path.resolve(arg('out', `.tmp/bench/assay-${n}`));
const suite = makeSuite(n);
fs.mkdirSync(out, { recursive: true });
fs.writeFileSync(
  path.join(out, 'bench.prompt.md'),
  `---\nname: bench\nvariables:\n  id: number\n  topic: string\n---\n${suite.prompt}\n`,
);
const lines = suite.cases.map((c) =>
  JSON.stringify({
    id: c.id,
    vars: c.vars,
    checks: c.assert.map((a) =>
      a.type === 'regex' ? { type: 'regex', pattern: a.value } : { type: a.type, value: a.value },
    ),
  }),
);
fs.writeFileSync(path.join(out, 'cases.jsonl'), `${lines.join('\n')}\n`);
fs.writeFileSync(
  path.join(out, 'assay.yaml'),
  'name: bench\nprompts: [bench.prompt.md]\nsuites: [cases.jsonl]\nmodels: []\ndefaults:\n  maxRetries: 0\n',
);
console.log(out);
