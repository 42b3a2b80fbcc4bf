import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { doctor } from '../../src/app/doctor.ts';
import { plantSecret, scanForSecret } from '../../src/test-helpers/scan-for-secret.ts';
import { cleanEnv, repoRoot, runCli } from '../cli/cli-harness.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'assay-doctor-'));
  cpSync(join(repoRoot, 'examples/rag'), dir, { recursive: true, filter: (s) => !s.includes('.assay') });
  const config = readFileSync(join(dir, 'assay.yaml'), 'utf8')
    .replace('suites:\n', 'suites:\n  - file: suites/judged.yaml\n    prompts: [rag]\n')
    .replace(
      /models:\n {2}- id: fake:rag-bot\n {4}script: models\/rag-bot.yaml\n/,
      [
        'models:',
        '  - id: fake:rag-bot',
        '    script: models/rag-bot.yaml',
        '  - openai:gpt-4o-mini',
        '  - id: openai-compatible:team',
        '    baseUrl: http://alice:hunter2-password@127.0.0.1:9/v1?key=query-secret-123',
        // biome-ignore lint/suspicious/noTemplateCurlyInString: Assay's own ${ENV} header syntax
        '    headers: { x-team-token: "${TEAM_TOKEN}" }',
        '',
      ].join('\n'),
    );
  writeFileSync(join(dir, 'assay.yaml'), config);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('assay doctor', () => {
  it('names missing key variables and set ones, never their values; exit 1 until they are set', async () => {
    const key = plantSecret();
    const env = cleanEnv({ OPENAI_API_KEY: key, ASSAY_MODELS_DIR: join(dir, 'no-models') });
    const r = await runCli(['doctor', '-C', dir], { env });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/ok {4}model openai:gpt-4o-mini +OPENAI_API_KEY set/);
    expect(r.stdout).toMatch(
      /FAIL {2}model openai-compatible:team +TEAM_TOKEN is not set at http:\/\/127\.0\.0\.1:9\/v1\?key=REDACTED/,
    );
    expect(r.stdout).toMatch(/→ export TEAM_TOKEN=…/);
    expect(r.stdout).toMatch(/ok {4}model fake:rag-bot +scripted, in process/);
    expect(r.stdout).toMatch(/warn {2}judge \S+ +unvalidated/);
    expect(r.stdout).toMatch(/1 problem to fix/);
    const token = plantSecret();
    const ok = await runCli(['doctor', '-C', dir, '--json'], { env: { ...env, TEAM_TOKEN: token } });
    expect(ok.code).toBe(0);
    const report = JSON.parse(ok.stdout) as {
      ok: boolean;
      findings: { subject: string; level: string; detail: string }[];
    };
    expect(report.ok).toBe(true);
    expect(report.findings.find((f) => f.subject === 'model openai-compatible:team')?.detail).toMatch(
      /^TEAM_TOKEN set at/,
    );
    const out = join(dir, 'doctor-output.txt');
    writeFileSync(out, [r.stdout, r.stderr, ok.stdout, ok.stderr].join('\n'));
    expect(await scanForSecret(key, [out])).toEqual([]);
    expect(await scanForSecret(token, [out])).toEqual([]);
    for (const credential of ['hunter2-password', 'query-secret-123', 'alice'])
      expect(readFileSync(out, 'utf8')).not.toContain(credential);
  });

  it('a config that does not load is one finding with the loader’s message, not a stack trace', async () => {
    writeFileSync(join(dir, 'assay.yaml'), 'prompts: [nothing/*.prompt.md]\nsuites: 7\n');
    const r = await runCli(['doctor', '-C', dir], { env: cleanEnv() });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/FAIL {2}config +assay\.yaml/);
    expect(r.stdout + r.stderr).not.toMatch(/\n\s+at /);
  });

  it('an old Node fails; a store from a newer Assay fails; pending migrations warn', async () => {
    const old = await doctor({ cwd: dir, env: cleanEnv(), nodeVersion: 'v20.11.1' });
    expect(old.findings[0]).toMatchObject({ subject: 'node', level: 'fail' });
    expect(old.ok).toBe(false);
    mkdirSync(join(dir, '.assay'));
    const db = new DatabaseSync(join(dir, '.assay/assay.db'));
    db.exec(
      'CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)',
    );
    db.exec("INSERT INTO schema_migrations VALUES (1, 'runs', '2025-01-01')");
    const pending = await doctor({ cwd: dir, env: cleanEnv() });
    expect(pending.findings.find((f) => f.subject === 'store')).toMatchObject({
      level: 'warn',
      fix: expect.stringMatching(/assay db migrate/),
    });
    db.exec("INSERT INTO schema_migrations VALUES (999, 'future', '2030-01-01')");
    db.close();
    const newer = await doctor({ cwd: dir, env: cleanEnv() });
    expect(newer.findings.find((f) => f.subject === 'store')).toMatchObject({
      level: 'fail',
      fix: 'upgrade assay',
    });
  });
});
