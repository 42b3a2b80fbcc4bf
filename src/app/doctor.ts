import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import type { Project } from '../core/config/project.ts';
import { AssayError } from '../core/errors.ts';
import { stripCredentials } from '../engine/cache-key.ts';
import { judgeStatus } from '../judges/judge-status.ts';
import { suiteJudges } from '../judges/suite-judges.ts';
import { DEFAULT_LOCAL_MODEL, DEFAULT_LOCAL_MODEL_ID } from '../models/local/default-local-model.ts';
import { modelsCacheDir, resolveLocalModel } from '../models/local/model-cache.ts';
import { loadProject } from '../project/load-project.ts';
import { isDatabaseUrl, redactDatabaseUrl } from '../store/database-url.ts';
import { storeMigrations } from '../store/migrations.ts';
import { unsavedPath } from '../store/sqlite/unsaved-batches.ts';

/**
 * `assay doctor`: what stands between this machine and a working `assay eval`, found without calling any
 * model and without printing a secret — key variables are named and said to be set or missing, never shown.
 */

export type DoctorLevel = 'ok' | 'warn' | 'fail';

export interface DoctorFinding {
  /** What was checked: `node`, `config`, `store`, `model openai:gpt-4o-mini`, `judge judges/tone.judge.md`, … */
  subject: string;
  level: DoctorLevel;
  detail: string;
  /** What to do about it, when something is to be done. */
  fix?: string;
}

export interface DoctorReport {
  findings: DoctorFinding[];
  /** True when nothing failed (warnings allowed). */
  ok: boolean;
}

export interface DoctorOptions {
  cwd: string;
  config?: string;
  env?: NodeJS.ProcessEnv;
  /** Node version to judge (default: this process's). */
  nodeVersion?: string;
  /** Where Chromium is looked for (default: CHROME_PATH, /usr/bin/chromium, /usr/bin/chromium-browser). */
  chromiumPaths?: string[];
}

/** Minimum Node: package.json `engines` (node:sqlite without a flag, type stripping). */
const minNode = [22, 18] as const;

/** The key variable each vendor reads when the model sets no `apiKeyEnv`. */
const vendorKeyEnv: Record<string, string> = {
  openai: 'OPENAI_API_KEY',
  anthropic: 'ANTHROPIC_API_KEY',
  google: 'GOOGLE_GENERATIVE_AI_API_KEY',
};
const envRef = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

function nodeFinding(version: string): DoctorFinding {
  const [major = 0, minor = 0] = version.replace(/^v/, '').split('.').map(Number);
  const ok = major > minNode[0] || (major === minNode[0] && minor >= minNode[1]);
  return ok
    ? { subject: 'node', level: 'ok', detail: `Node ${version}` }
    : {
        subject: 'node',
        level: 'fail',
        detail: `Node ${version} is older than ${minNode.join('.')}`,
        fix: `install Node ${minNode.join('.')} or newer`,
      };
}

function storeFinding(project: Project, env: NodeJS.ProcessEnv): DoctorFinding {
  const known = storeMigrations.at(-1)?.version ?? 0;
  const url =
    env.ASSAY_DATABASE_URL?.trim() || (isDatabaseUrl(project.storePath) ? project.storePath : undefined);
  if (url)
    return {
      subject: 'store',
      level: 'ok',
      detail: `PostgreSQL at ${redactDatabaseUrl(url)} (not contacted; \`assay db status\` connects)`,
    };
  const path = project.storePath;
  if (!existsSync(path))
    return {
      subject: 'store',
      level: 'ok',
      detail: `${path} does not exist yet: the first \`assay eval\` creates it`,
    };
  let version = 0;
  try {
    const db = new DatabaseSync(path, { readOnly: true });
    try {
      const has = db
        .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'")
        .get();
      if (has)
        version = Number(
          (db.prepare('SELECT max(version) AS v FROM schema_migrations').get() as { v: number | null }).v ??
            0,
        );
    } finally {
      db.close();
    }
  } catch (e) {
    return {
      subject: 'store',
      level: 'fail',
      detail: `${path} cannot be read: ${(e as Error).message}`,
      fix: 'run `assay db check --store FILE`; restore the file from a copy if it is damaged',
    };
  }
  if (version > known)
    return {
      subject: 'store',
      level: 'fail',
      detail: `${path}: schema ${version} is newer than this Assay (${known})`,
      fix: 'upgrade assay',
    };
  const unsaved = existsSync(unsavedPath(path))
    ? ` (answers kept while the store was locked wait in ${unsavedPath(path)}: the next command that writes stores them)`
    : '';
  if (version < known)
    return {
      subject: 'store',
      level: 'warn',
      detail: `${path}: schema ${version} of ${known}${unsaved}`,
      fix: 'run `assay db migrate` (or any command: opening the store migrates it)',
    };
  return {
    subject: 'store',
    level: unsaved ? 'warn' : 'ok',
    detail: `${path}: schema ${version} (current)${unsaved}`,
  };
}

async function modelFindings(project: Project, env: NodeJS.ProcessEnv): Promise<DoctorFinding[]> {
  const out: DoctorFinding[] = [];
  const isSet = (name: string) => (env[name] ?? '').trim() !== '';
  for (const m of project.models) {
    const subject = `model ${m.id}`;
    const provider = m.id.slice(0, m.id.indexOf(':'));
    if (provider === 'fake') {
      out.push({ subject, level: 'ok', detail: 'scripted, in process: no network, no key' });
      continue;
    }
    if (provider === 'local') {
      const ref = m.id.slice('local:'.length);
      const path =
        m.id === DEFAULT_LOCAL_MODEL_ID
          ? await resolveLocalModel(DEFAULT_LOCAL_MODEL.uri, { cacheDir: modelsCacheDir(env) })
          : ref.startsWith('hf:')
            ? await resolveLocalModel(ref, { cacheDir: modelsCacheDir(env) }).catch(() => undefined)
            : existsSync(isAbsolute(ref) ? ref : resolve(project.root, ref))
              ? ref
              : undefined;
      out.push(
        path
          ? { subject, level: 'ok', detail: 'the model file is present: runs offline' }
          : {
              subject,
              level: 'fail',
              detail: 'the model file is not present',
              fix: '`assay models pull` (see docs/local-models.md)',
            },
      );
      continue;
    }
    const keys = new Set<string>();
    const keyVar = m.apiKeyEnv ?? vendorKeyEnv[provider];
    if (keyVar) keys.add(keyVar);
    for (const value of Object.values(m.headers ?? {}))
      for (const r of value.matchAll(envRef)) keys.add(r[1] as string);
    const missing = [...keys].filter((k) => !isSet(k));
    const where = m.baseUrl ? ` at ${stripCredentials(m.baseUrl)}` : '';
    if (missing.length > 0)
      out.push({
        subject,
        level: 'fail',
        detail: `${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} not set${where}`,
        fix: `export ${missing[0]}=… (the value is read at call time and never stored)`,
      });
    else
      out.push({
        subject,
        level: 'ok',
        detail: keys.size > 0 ? `${[...keys].join(', ')} set${where}` : `no key configured${where}`,
      });
  }
  if (project.models.length === 0)
    out.push({
      subject: 'models',
      level: 'warn',
      detail: 'no model configured',
      fix: `add one under models: in the config, or pull the default local model (\`assay models pull\`, ${DEFAULT_LOCAL_MODEL_ID})`,
    });
  return out;
}

export async function doctor(options: DoctorOptions): Promise<DoctorReport> {
  const env = options.env ?? process.env;
  const findings: DoctorFinding[] = [nodeFinding(options.nodeVersion ?? process.version)];
  let project: Project | undefined;
  try {
    project = await loadProject({ cwd: options.cwd, configPath: options.config });
    findings.push({
      subject: 'config',
      level: 'ok',
      detail: `${project.configFile}: ${project.prompts.length} prompts, ${project.suites.length} suites, ${project.models.length} models`,
    });
  } catch (e) {
    if (!(e instanceof AssayError)) throw e;
    findings.push({
      subject: 'config',
      level: 'fail',
      detail: e.message,
      fix: 'fix the file named above; `assay eval` reports the same',
    });
  }
  if (project) {
    findings.push(storeFinding(project, env));
    findings.push(...(await modelFindings(project, env)));
    for (const [file, name] of suiteJudges(project)) {
      const s = await judgeStatus(file, { root: project.root });
      findings.push({
        subject: `judge ${name}`,
        level: s.status === 'validated' ? 'ok' : 'warn',
        detail: `${s.status}: ${s.reason}`,
        ...(s.status === 'validated' ? {} : { fix: `assay judge validate ${file}` }),
      });
    }
  }
  const local = await resolveLocalModel(DEFAULT_LOCAL_MODEL.uri, { cacheDir: modelsCacheDir(env) }).catch(
    () => undefined,
  );
  findings.push(
    local
      ? {
          subject: 'local model',
          level: 'ok',
          detail: `${DEFAULT_LOCAL_MODEL_ID} is in ${modelsCacheDir(env)}`,
        }
      : {
          subject: 'local model',
          level: 'ok',
          detail: `${DEFAULT_LOCAL_MODEL_ID} not pulled (optional: \`assay models pull\` for offline runs)`,
        },
  );
  const chromium = (
    options.chromiumPaths ?? [env.CHROME_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser']
  )
    .filter((p): p is string => typeof p === 'string' && p !== '')
    .find((p) => existsSync(p));
  findings.push({
    subject: 'chromium',
    level: 'ok',
    detail: chromium
      ? `${chromium} (for the UI's browser tests)`
      : 'not found (optional: only the UI browser tests need it)',
  });
  return { findings, ok: findings.every((f) => f.level !== 'fail') };
}
