import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { parseAnnotation } from '../../src/annotations/parse-annotation.ts';
import { parseConfig } from '../../src/core/config/parse-config.ts';
import { AssayError } from '../../src/core/errors.ts';
import { parseExamplePool } from '../../src/core/prompt/parse-example-pool.ts';
import { parsePrompt } from '../../src/core/prompt/parse-prompt.ts';
import { renderPrompt } from '../../src/core/prompt/render-prompt.ts';
import { parseSuite } from '../../src/core/suite/parse-suite.ts';
import { parseJudgeFile } from '../../src/judges/judge-file.ts';
import { parseLabels } from '../../src/registry/labels-file.ts';
import { plantSecret } from '../../src/test-helpers/scan-for-secret.ts';
import { cleanEnv, repoRoot, runCli } from '../cli/cli-harness.ts';

/**
 * Hostile input (docs/reliability.md): every parser of a user file, fed random text, random structures
 * of the right shape and mutations of a valid file, either accepts it or throws an AssayError with a
 * message — never a TypeError, a RangeError or a stack trace. Seeded and bounded, so CI stays fast and a
 * failure replays.
 */

const seed = 20261203;
const numRuns = 150;
const read = (path: string) => readFileSync(join(repoRoot, path), 'utf8');

/** The property: parsing ends normally or with an AssayError that says something. */
function cleanly(parse: (text: string) => unknown): (text: string) => boolean {
  return (text) => {
    try {
      parse(text);
      return true;
    } catch (e) {
      if (!(e instanceof AssayError)) throw e;
      if (e.message.trim() === '' || /\n\s+at .*:\d+:\d+/.test(e.message)) throw e;
      return true;
    }
  };
}

/** A valid file with random text spliced in, or cut short. */
function mutationsOf(valid: string): fc.Arbitrary<string> {
  return fc.oneof(
    fc
      .tuple(fc.nat({ max: valid.length }), fc.nat({ max: 40 }), fc.string({ unit: 'binary', maxLength: 24 }))
      .map(([at, drop, insert]) => valid.slice(0, at) + insert + valid.slice(at + drop)),
    fc.nat({ max: valid.length }).map((n) => valid.slice(0, n)),
    fc
      .tuple(
        fc.nat({ max: valid.length }),
        fc.constantFrom(
          '{',
          '[',
          ':',
          '"',
          "'",
          '---',
          '\t',
          '\u0000',
          '{{',
          '{%',
          '- ',
          '\n  ',
          '&a',
          '*a',
          '!!js/function',
        ),
      )
      .map(([at, token]) => valid.slice(0, at) + token + valid.slice(at)),
  );
}

/** YAML documents with the parser's own keys, holding any JSON values. */
function yamlWithKeys(keys: string[]): fc.Arbitrary<string> {
  return fc
    .dictionary(fc.constantFrom(...keys), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 6 })
    .map((o) => stringify(o));
}

function frontMatter(keys: string[], body: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc.tuple(yamlWithKeys(keys), body).map(([fm, b]) => `---\n${fm}---\n${b}`);
}

const samples = {
  config: read('examples/support/assay.yaml'),
  prompt: read('examples/support/prompts/support.prompt.md'),
  suite: read('examples/support/suites/support.yaml'),
  judge: read('examples/rag/judges/faithfulness.judge.md'),
  jsonl: '{"id":"a","vars":{"n":1},"checks":[{"type":"contains","value":"x"}]}\n{"id":"b","vars":{"n":2}}\n',
  csv: 'id,question,expected,category\nc1,"What, exactly?",yes,edge\nc2,plain,no,representative\n',
  labels: 'support: { production: 7c3d709192e4, staging: 7c3d709192e4 }\n',
  pool: '- { vars: { question: "2 + 2?" }, output: "4" }\n- { user: "Q: 10 / 4?", assistant: "2.5" }\n',
};

const parsers: {
  name: string;
  parse: (text: string) => unknown;
  valid: string;
  shaped: fc.Arbitrary<string>;
}[] = [
  {
    name: 'config (assay.yaml)',
    parse: (t) => parseConfig(t, 'assay.yaml'),
    valid: samples.config,
    shaped: yamlWithKeys([
      'prompts',
      'suites',
      'models',
      'defaults',
      'store',
      'prices',
      'checks',
      'name',
      'judges',
    ]),
  },
  {
    name: 'prompt (*.prompt.md)',
    parse: (t) => parsePrompt(t, 'p.prompt.md'),
    valid: samples.prompt,
    shaped: frontMatter(
      ['variables', 'settings', 'output', 'variants', 'name', 'model', 'tools'],
      fc.string({ maxLength: 120 }).map((s) => `# system\n${s}\n# user\n{{ ${s.slice(0, 8)} }}`),
    ),
  },
  {
    name: 'suite (YAML)',
    parse: (t) => parseSuite(t, 's.yaml', 'yaml'),
    valid: samples.suite,
    shaped: yamlWithKeys(['cases', 'defaults', 'name', 'checks', 'prompts']),
  },
  {
    name: 'suite (JSONL)',
    parse: (t) => parseSuite(t, 's.jsonl', 'jsonl'),
    valid: samples.jsonl,
    shaped: fc
      .array(
        fc.dictionary(
          fc.constantFrom(
            'id',
            'vars',
            'checks',
            'expected',
            'category',
            'tags',
            'split',
            'messages',
            'cluster',
          ),
          fc.jsonValue({ maxDepth: 3 }),
        ),
        { maxLength: 4 },
      )
      .map((rows) => rows.map((r) => JSON.stringify(r)).join('\n')),
  },
  {
    name: 'suite (CSV)',
    parse: (t) => parseSuite(t, 's.csv', 'csv'),
    valid: samples.csv,
    shaped: fc
      .array(
        fc.array(
          fc.oneof(
            fc.string({ maxLength: 12 }),
            fc.constantFrom('id', 'vars.n', 'expected', 'category', 'tags', '"', '""'),
          ),
          { maxLength: 5 },
        ),
        { maxLength: 5 },
      )
      .map((rows) => rows.map((r) => r.join(',')).join('\n')),
  },
  {
    name: 'judge (*.judge.md)',
    parse: (t) => parseJudgeFile(t, 'j.judge.md'),
    valid: samples.judge,
    shaped: frontMatter(
      ['model', 'scale', 'checklist', 'settings', 'reference', 'context', 'name', 'threshold'],
      fc.string({ maxLength: 80 }),
    ),
  },
  {
    name: 'labels (labels.yaml)',
    parse: (t) => parseLabels(t, 'labels.yaml'),
    valid: samples.labels,
    shaped: fc
      .dictionary(fc.string({ maxLength: 10 }), fc.jsonValue({ maxDepth: 2 }))
      .map((o) => stringify(o)),
  },
  {
    name: 'few-shot pool',
    parse: (t) => parseExamplePool(t, 'pool.yaml'),
    valid: samples.pool,
    shaped: fc
      .array(
        fc.dictionary(fc.constantFrom('vars', 'output', 'user', 'assistant'), fc.jsonValue({ maxDepth: 2 })),
        { maxLength: 4 },
      )
      .map((a) => stringify(a)),
  },
  {
    name: 'annotation record (annotations/*.jsonl line)',
    parse: (t) => parseAnnotation(JSON.parse(t), { file: 'a.jsonl', line: 1 }),
    valid: '{"key":"k","caseId":"c1","annotator":"ana","verdict":"pass","at":"2025-01-01T00:00:00Z"}',
    shaped: fc
      .dictionary(
        fc.constantFrom('key', 'caseId', 'annotator', 'verdict', 'score', 'at', 'note', 'runId', 'retracted'),
        fc.jsonValue({ maxDepth: 2 }),
      )
      .map((o) => JSON.stringify(o)),
  },
];

describe('fuzzing the parsers: never a crash, always an AssayError with a message', () => {
  for (const p of parsers) {
    it(`${p.name}: random text, shaped documents and mutations of a valid file`, () => {
      if (p.name.startsWith('annotation')) {
        // JSON.parse's own SyntaxError is the line reader's to turn into a ConfigError; fuzz valid JSON here.
        fc.assert(fc.property(p.shaped, cleanly(p.parse)), { seed, numRuns });
        return;
      }
      expect(cleanly(p.parse)(p.valid)).toBe(true);
      fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 300 }), cleanly(p.parse)), {
        seed,
        numRuns,
      });
      fc.assert(fc.property(p.shaped, cleanly(p.parse)), { seed, numRuns });
      fc.assert(fc.property(mutationsOf(p.valid), cleanly(p.parse)), { seed, numRuns });
    });
  }
});

describe('template injection cannot execute code or read secrets', () => {
  const g = globalThis as { __assayPwned?: unknown };
  const secret = plantSecret();

  /** Loads and renders a prompt holding `body`: its text, or the AssayError that refused it. */
  function render(body: string): string | AssayError {
    try {
      const prompt = parsePrompt(`---\nvariables:\n  n: string\n---\n# user\n${body}\n`, 'p.prompt.md');
      return renderPrompt(prompt, { n: 'x' })
        .map((m) => m.content)
        .join('\n');
    } catch (e) {
      if (e instanceof AssayError) return e;
      throw e;
    }
  }

  const attacks = [
    '{{ constructor.constructor("globalThis.__assayPwned = 1")() }}',
    '{{ n.constructor.constructor }}',
    '{{ n.constructor }}',
    '{{ n.__proto__ }}',
    '{{ n.toString }}',
    '{% assign f = n.constructor.prototype %}{{ f }}',
    '{{ process.env.OPENAI_API_KEY }}',
    '{{ global.process.mainModule }}',
    '{% include "/etc/passwd" %}',
    '{% render "../../../../etc/passwd" %}',
    '{% layout "/etc/passwd" %}',
    '{{ n | append: constructor }}',
    '{% assign __proto__ = "x" %}{{ __proto__.polluted }}',
  ];

  it.each(attacks)('%s is inert', (attack) => {
    process.env.OPENAI_API_KEY = secret;
    try {
      const out = render(attack);
      expect(g.__assayPwned).toBeUndefined();
      expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
      if (typeof out === 'string') {
        expect(out).not.toContain(secret);
        expect(out).not.toMatch(/function|native code|root:x:0/);
      } else {
        expect(out.exitCode).toBe(2); // refused at load or render, with a message
        expect(out.message).not.toContain(secret);
      }
    } finally {
      delete process.env.OPENAI_API_KEY;
    }
  });

  it('random property paths and filters over dangerous names are inert (property)', () => {
    const segment = fc.constantFrom(
      'constructor',
      '__proto__',
      'prototype',
      'process',
      'env',
      'globalThis',
      'global',
      'require',
      'mainModule',
      'n',
      'toString',
      'valueOf',
      'call',
      'apply',
      'bind',
      'OPENAI_API_KEY',
      'length',
      'size',
      'first',
    );
    const expr = fc.array(segment, { minLength: 1, maxLength: 5 }).map((s) => s.join('.'));
    const filter = fc.constantFrom(
      '',
      ' | append: n',
      ' | join',
      ' | json',
      ' | map: "constructor"',
      ' | where: "constructor"',
    );
    const body = fc.oneof(
      fc.tuple(expr, filter).map(([e, f]) => `{{ ${e}${f} }}`),
      fc.tuple(expr, expr).map(([a, b]) => `{% assign x = ${a} %}{{ x.${b.split('.')[0]} }}`),
    );
    process.env.OPENAI_API_KEY = secret;
    try {
      fc.assert(
        fc.property(body, (b) => {
          const out = render(b);
          if (g.__assayPwned !== undefined) return false;
          return typeof out === 'string'
            ? !out.includes(secret) && !/native code/.test(out)
            : out.exitCode === 2;
        }),
        { seed, numRuns: 300 },
      );
    } finally {
      delete process.env.OPENAI_API_KEY;
    }
  });
});

describe('hostile configs through the real CLI (a seeded sample)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'assay-fuzz-cli-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('exit 2 with one readable message, never an internal error or a stack trace', async () => {
    const configs = fc.sample(
      fc.oneof(
        mutationsOf(samples.config),
        yamlWithKeys(['prompts', 'suites', 'models', 'defaults', 'store']),
      ),
      { seed, numRuns: 8 },
    );
    for (const config of configs) {
      writeFileSync(join(dir, 'assay.yaml'), config);
      const r = await runCli(['eval', '-C', dir, '--dry-run'], { env: cleanEnv() });
      expect(r.code, config).toBe(2);
      expect(r.stderr, config).toMatch(/^assay: /);
      expect(r.stderr, config).not.toMatch(/internal error|\n\s+at .*:\d+:\d+/);
    }
  }, 60_000);
});
