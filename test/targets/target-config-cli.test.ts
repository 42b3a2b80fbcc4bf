import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv, repoRoot, runCli } from '../cli/cli-harness.ts';

/** Target config mistakes stop `assay eval` before any call: exit 2, file:line:col: field, no stack trace. */

let dir: string;
let original: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'assay-target-config-'));
  cpSync(join(repoRoot, 'examples/app-target'), dir, {
    recursive: true,
    filter: (s) => !s.includes('.assay'),
  });
  original = readFileSync(join(dir, 'assay.yaml'), 'utf8');
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Runs `assay eval` on the example with one edit to its assay.yaml. */
async function evalWith(edit: (yaml: string) => string) {
  const yaml = edit(original);
  expect(yaml).not.toBe(original);
  writeFileSync(join(dir, 'assay.yaml'), yaml);
  const r = await runCli(['eval', '-C', dir], { env: cleanEnv({ SUPPORT_APP_TOKEN: 'set-for-the-test' }) });
  expect(r.code).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr).not.toMatch(/\n\s+at /);
  return { r, lineOf: (text: string) => yaml.split('\n').findIndex((l) => l.includes(text)) + 1 };
}

describe('target config errors', () => {
  it('a literal credential in a header', async () => {
    const secret = 'literal-secret-value-123';
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the reference being replaced
    const { r, lineOf } = await evalWith((y) => y.replace('${SUPPORT_APP_TOKEN}', secret));
    expect(r.stderr).toContain(
      `assay.yaml:${lineOf(secret)}:22: models[0].headers.Authorization: header 'Authorization' holds a literal credential`,
    );
    expect(r.stderr).not.toContain(secret);
  });

  it('a JSONPath that cannot be parsed', async () => {
    const { r, lineOf } = await evalWith((y) => y.replace('output: $.answer', 'output: $.answer[0'));
    expect(r.stderr).toContain(
      `assay.yaml:${lineOf('$.answer[0')}:15: models[0].response.output: invalid JSONPath '$.answer[0'`,
    );
  });

  it('an http: target without a url', async () => {
    const { r, lineOf } = await evalWith((y) => y.replace(/ {4}url: .*\n/, ''));
    expect(r.stderr).toContain(`assay.yaml:${lineOf('- id: http:support-app')}:`);
    expect(r.stderr).toContain('models[0].url: an http: target needs a url');
  });

  it('a file: target naming an export its module does not have', async () => {
    const { r, lineOf } = await evalWith((y) => y.replace('#answerCase', '#answerKase'));
    expect(r.stderr).toContain(
      `assay.yaml:${lineOf('#answerKase')}:9: models[1].id: 'targets/support-bot.ts' has no export 'answerKase'`,
    );
    expect(r.stderr).toContain("did you mean 'answerCase'?");
  });
});
