import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { findPackageJSON } from 'node:module';
import { relative } from 'node:path';
import type { Project } from '../core/config/project.ts';
import type { ModelSettings, RunManifest } from '../core/types.ts';
import { stripCredentials } from './cache-key.ts';
import type { PlanSelection, RunPlan } from './plan-run.ts';

/** What a manifest records about each model, beyond the contract's id and settings (never keys or header values). */
export interface ManifestModel {
  id: string;
  settings: ModelSettings;
  /** Vendor model name when configured apart from the id. */
  model?: string;
  /** Base URL without credentials. */
  baseUrl?: string;
  /** Names of the extra headers sent (their values are secrets and never recorded). */
  headers?: string[];
}

/** The run options a manifest records; `filter` lets a resume rebuild exactly the same plan. */
export type ManifestOptions = RunManifest['options'] & { filter?: PlanSelection['filter'] };

export interface BuildManifestInput {
  project: Project;
  plan: RunPlan;
  options: ManifestOptions;
  priceTable: { package: string; version: string; overridesFile?: string };
  seed: number;
  /** Injected in tests; default: now. */
  now?: Date;
}

/** Everything needed to reproduce a run: versions of prompts, suite, models, packages, code and options. */
export async function buildManifest(input: BuildManifestInput): Promise<RunManifest> {
  const { project, plan } = input;
  const [packages, git] = await Promise.all([packageVersions(), gitState(project.root)]);
  const models: ManifestModel[] = plan.models.map((m) => {
    const out: ManifestModel = { id: m.id, settings: { ...(m.settings ?? {}) } };
    if (m.model !== undefined) out.model = m.model;
    if (m.baseUrl !== undefined) out.baseUrl = stripCredentials(m.baseUrl);
    if (m.headers && Object.keys(m.headers).length > 0) out.headers = Object.keys(m.headers).sort();
    return out;
  });
  const overrides =
    input.priceTable.overridesFile ??
    (project.pricesFile ? relative(project.root, project.pricesFile) : undefined);
  return {
    schemaVersion: 1,
    project: project.name,
    prompts: plan.prompts.map((p) => ({
      name: p.name,
      version: p.version,
      file: p.file,
      source: p.canonical,
    })),
    suite: { name: plan.suite.name, file: plan.suite.file, hash: plan.suite.hash, cases: plan.cases.length },
    models,
    repeats: plan.repeats,
    seed: input.seed,
    packages,
    priceTable: {
      package: input.priceTable.package,
      version: input.priceTable.version,
      ...(overrides !== undefined ? { overrides } : {}),
    },
    ...(git ? { git } : {}),
    node: process.version,
    createdAt: (input.now ?? new Date()).toISOString(),
    options: input.options,
  };
}

let versions: Promise<Record<string, string>> | undefined;

/** Versions of assay, `ai` and every `@ai-sdk/*` dependency, read from their package.json files (once per process). */
export function packageVersions(): Promise<Record<string, string>> {
  versions ??= readPackageVersions();
  return versions;
}

async function readJson(file: string): Promise<{
  name?: string;
  version?: string;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}> {
  return JSON.parse(await readFile(file, 'utf8'));
}

async function readPackageVersions(): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const own = findPackageJSON(import.meta.url);
  if (!own) return out;
  const pkg = await readJson(own).catch(() => undefined);
  if (!pkg) return out;
  out[pkg.name ?? 'assay'] = pkg.version ?? 'unknown';
  // The model runtimes: the AI SDK packages, and node-llama-cpp (local: models) when it is installed.
  const deps = Object.keys({ ...pkg.dependencies, ...pkg.peerDependencies }).filter(
    (d) => d === 'ai' || d.startsWith('@ai-sdk/') || d === 'node-llama-cpp',
  );
  await Promise.all(
    deps.map(async (name) => {
      try {
        const file = findPackageJSON(name, import.meta.url);
        if (file) out[name] = (await readJson(file)).version ?? 'unknown';
      } catch {
        // not installed (optional provider): not recorded
      }
    }),
  );
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)));
}

function git(args: string[], cwd: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile(
      'git',
      args,
      { cwd, timeout: 5000, windowsHide: true, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout) => resolve(error ? undefined : stdout),
    );
  });
}

/** The commit and dirty flag of the git work tree holding `root`; undefined without git or outside a repository. */
export async function gitState(root: string): Promise<{ commit: string; dirty: boolean } | undefined> {
  const head = await git(['rev-parse', 'HEAD'], root);
  const commit = head?.trim();
  if (!commit || !/^[0-9a-f]{7,64}$/.test(commit)) return undefined;
  const status = await git(['status', '--porcelain'], root);
  return { commit, dirty: status === undefined ? true : status.trim().length > 0 };
}
