import { existsSync } from 'node:fs';
import { mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectCustomRefs } from '../core/checks/collect-custom-refs.ts';
import { compileChecks } from '../core/checks/compile-checks.ts';
import { runChecks } from '../core/checks/run-checks.ts';
import { ConfigError } from '../core/errors.ts';
import type { CaseSpec, CheckContext, CheckOutput } from '../core/types.ts';
import { loadCustomChecks } from './load-custom-checks.ts';

let root: string;
let outside: string;
const where = (ref: string) => ({ file: 'suite.yaml', field: `checks(${ref})` });
const output: CheckOutput = {
  text: 'Your order A12 ships today',
  toolCalls: [],
  latencyMs: 5,
  usage: {},
  cost: 0,
};
const testCase: CaseSpec = { id: 'c1', vars: {}, checks: [], tags: [] };
const ctx = {} as CheckContext;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'assay-custom-'));
  await writeFile(
    join(root, 'checks.ts'),
    [
      "import type { CheckOutput } from './types-not-needed.ts';",
      'export function mentionsOrder(output: CheckOutput): boolean {',
      "  return output.text.includes('order');",
      '}',
      'export const lengthScore = (output: { text: string }) => Math.min(1, output.text.length / 100);',
      "export const detailed = () => ({ pass: false, score: 0.2, reason: 'too vague', details: { n: 1 } });",
      "export const notAFunction = 'hello';",
      "export const badReturn = () => 'yes';",
      "export const passString = () => ({ pass: 'false', reason: 'looks fine' });",
      "export const scoreString = () => ({ score: '0.9' });",
      'export default async (output: { text: string }) => ({ pass: output.text.length > 3 });',
    ].join('\n'),
  );
  await writeFile(join(root, 'broken.ts'), 'export const x = ;\n');
  outside = await mkdtemp(join(tmpdir(), 'assay-outside-'));
  // Importing this would leave a trace: a check outside the project must never run.
  await writeFile(
    join(outside, 'evil.ts'),
    `import { writeFileSync } from 'node:fs';\nwriteFileSync(${JSON.stringify(join(outside, 'ran'))}, 'x');\nexport default () => true;\n`,
  );
  await symlink(join(outside, 'evil.ts'), join(root, 'link.ts'));
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
  await rm(outside, { recursive: true, force: true });
});

describe('loadCustomChecks', () => {
  it('imports named and default exports and normalises what they return', async () => {
    const refs = [
      'file:checks.ts#mentionsOrder',
      'file:checks.ts#lengthScore',
      'file:checks.ts#detailed',
      'file:checks.ts',
    ];
    const checks = await loadCustomChecks(refs, root, where);
    expect([...checks.keys()]).toEqual(refs);
    const outcomes = await Promise.all(refs.map((r) => checks.get(r)?.(output, testCase, ctx)));
    expect(outcomes).toEqual([
      { pass: true, reason: 'passed' },
      { score: 0.26, reason: 'score 0.260' },
      { pass: false, score: 0.2, reason: 'too vague', details: { n: 1 } },
      { reason: '', pass: true },
    ]);
  });

  it('raises a run-time error for an unusable return value', async () => {
    const checks = await loadCustomChecks(['file:checks.ts#badReturn'], root, where);
    await expect(checks.get('file:checks.ts#badReturn')?.(output, testCase, ctx)).rejects.toThrow(
      'custom check file:checks.ts#badReturn returned string',
    );
  });

  it('raises a run-time error for a pass or score of the wrong type (never a pass)', async () => {
    const checks = await loadCustomChecks(
      ['file:checks.ts#passString', 'file:checks.ts#scoreString'],
      root,
      where,
    );
    await expect(checks.get('file:checks.ts#passString')?.(output, testCase, ctx)).rejects.toThrow(
      'custom check file:checks.ts#passString returned pass: "false"; expected true or false',
    );
    await expect(checks.get('file:checks.ts#scoreString')?.(output, testCase, ctx)).rejects.toThrow(
      'returned score: "0.9"; expected a number from 0 to 1',
    );
    const specs = [{ type: 'file:checks.ts#passString' }];
    const results = await runChecks(
      compileChecks(specs, { where: {}, customChecks: checks }),
      output,
      testCase,
      ctx,
    );
    expect(results[0]?.pass).toBe(false);
    expect(results[0]?.reason).toMatch(/^error: .*returned pass: "false"/);
  });

  it('works end to end with collectCustomRefs, compileChecks and runChecks', async () => {
    const specs = [
      { type: 'file:checks.ts#mentionsOrder' },
      { type: 'all', checks: [{ type: 'custom', ref: 'file:checks.ts#lengthScore', threshold: 0.5 }] },
      { type: 'file:checks.ts#badReturn' },
    ];
    const customChecks = await loadCustomChecks(collectCustomRefs(specs), root, where);
    const results = await runChecks(compileChecks(specs, { where: {}, customChecks }), output, testCase, ctx);
    expect(results.map((r) => r.pass)).toEqual([true, false, false]);
    expect(results[2]?.reason).toMatch(/^error: /); // a check error, not a plain failure
  });

  async function configError(ref: string): Promise<ConfigError> {
    const error = await loadCustomChecks([ref], root, where).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    const e = error as ConfigError;
    expect(e.info.file).toBe('suite.yaml');
    expect(e.info.field).toBe(`checks(${ref})`);
    return e;
  }

  it('rejects a missing file', async () => {
    const e = await configError('file:nope.ts#x');
    expect(e.problem).toBe("custom check file 'nope.ts' not found (from 'file:nope.ts#x')");
  });

  it('rejects a missing export, listing the function exports', async () => {
    const e = await configError('file:checks.ts#mentionOrder');
    expect(e.problem).toBe("'checks.ts' has no export 'mentionOrder' (from 'file:checks.ts#mentionOrder')");
    expect(e.info.expected).toContain('mentionsOrder');
  });

  it('rejects an export that is not a function', async () => {
    const e = await configError('file:checks.ts#notAFunction');
    expect(e.problem).toBe("export 'notAFunction' of 'checks.ts' is string, not a function");
  });

  it('rejects a file outside the project: ../, an absolute path, a symlink out of it', async () => {
    for (const ref of [
      `file:../${basename(outside)}/evil.ts`,
      `file:${join(outside, 'evil.ts')}`,
      'file:link.ts',
      'file:sub/../../x.ts#y',
    ]) {
      const e = await configError(ref);
      expect(e.problem).toMatch(/is outside the project .*custom check files must live inside the project$/);
    }
    expect(existsSync(join(outside, 'ran'))).toBe(false);
  });

  it('accepts an absolute path inside the project', async () => {
    const ref = `file:${join(root, 'checks.ts')}#mentionsOrder`;
    const checks = await loadCustomChecks([ref], root, where);
    await expect(checks.get(ref)?.(output, testCase, ctx)).resolves.toEqual({ pass: true, reason: 'passed' });
  });

  it('rejects a module that fails to import, and a malformed ref', async () => {
    expect((await configError('file:broken.ts#x')).problem).toMatch(
      /^cannot import custom check file 'broken.ts': /,
    );
    expect((await configError('checks.ts#x')).problem).toBe("invalid custom check reference 'checks.ts#x'");
  });
});
