import { createHash } from 'node:crypto';
import { readdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { ConfigError } from '../../core/errors.ts';
import { DEFAULT_LOCAL_MODEL } from './default-local-model.ts';

/**
 * The local models cache: where `assay models pull` puts GGUF files and where `local:` models are looked up.
 *
 *   dir       ASSAY_MODELS_DIR, else $XDG_CACHE_HOME/assay/models, else ~/.cache/assay/models
 *   URI       hf:OWNER/REPO/PATH/FILE.gguf[@REVISION]          (revision default: main)
 *   download  ${ASSAY_HF_ENDPOINT ?? https://huggingface.co}/OWNER/REPO/resolve/REVISION/PATH/FILE.gguf
 *   file      hf_OWNER_REPO[@REVISION]_FILE.gguf               (+ `.json` sidecar, `.partial` while pulling)
 *             when OWNER and REPO have no `_`, the revision no `_` or `/`, and the file is at the repo's
 *             top level (the default model); otherwise
 *             hf_OWNER_REPO[@REVISION]_PATH_FILE~HASH.gguf     (`/` → `_`/`-`, HASH = 12 hex of sha256(URI))
 *
 * The short form is unambiguous under its conditions (`_` can only be the two separators before FILE),
 * and the long form cannot collide with it (`~` never occurs in a URI) nor with another long form short
 * of a 48-bit hash collision, so two URIs never share a file. A sidecar naming another URI makes the file
 * absent (an old cache from before this naming, or a hand-made sidecar).
 *
 * A model is present once its file is in place: downloads go to `<file>.partial` and are renamed only after
 * the checksum check. The sidecar records where the file came from and its sha256.
 */

/** A parsed `hf:` model URI. */
export interface HfModelRef {
  /** The URI in its normal form (`@main` left out). */
  uri: string;
  owner: string;
  repo: string;
  /** Path of the file inside the repository (`sub/dir/file.gguf`). */
  path: string;
  revision: string;
}

/** What `assay models pull` records beside a model file (`<file>.json`). */
export interface ModelSidecar {
  uri: string;
  /** Where the bytes came from (no credentials are ever part of it). */
  url: string;
  sha256: string;
  /** Whether `sha256` was checked against an expected value (pinned, `--sha256`, or announced by the server). */
  verified: boolean;
  /** What it was checked against, when verified. */
  verifiedAgainst?: 'option' | 'pinned' | 'server';
  size: number;
  /** ISO time of the pull. */
  pulledAt: string;
}

export interface LocalModelEntry {
  /** File name in the cache directory. */
  name: string;
  /** The URI it was pulled from (unknown for a file copied in by hand). */
  uri?: string;
  size: number;
  /** Recorded at pull time (not recomputed by `list`). */
  sha256?: string;
  verified?: boolean;
  pulledAt?: string;
  /** Absolute path. */
  path: string;
  /** False for an interrupted download (`.partial`); `assay models pull` resumes it. */
  complete: boolean;
}

const SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const URI_FORM = 'hf:OWNER/REPO/FILE.gguf (optionally PATH/FILE.gguf inside the repo, and @REVISION)';

/** `default` stands for the default local model's URI. */
function expandAlias(uri: string): string {
  return uri.trim() === 'default' ? DEFAULT_LOCAL_MODEL.uri : uri.trim();
}

/** Parses `hf:owner/repo/path/file.gguf[@revision]`; a ConfigError (exit 2) says what is wrong. */
export function parseModelUri(input: string): HfModelRef {
  const uri = expandAlias(input);
  const bad = (problem: string) =>
    new ConfigError(`'${input}' is not a model URI: ${problem}`, { expected: URI_FORM });
  if (!uri.startsWith('hf:')) throw bad('it must start with hf:');
  let rest = uri.slice(3);
  let revision = 'main';
  const at = rest.lastIndexOf('@');
  if (at >= 0) {
    revision = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!/^[A-Za-z0-9._-][A-Za-z0-9._/-]*$/.test(revision) || revision.includes('..'))
      throw bad(`'${revision}' is not a revision (a branch, tag or commit)`);
  }
  const parts = rest.split('/');
  if (parts.length < 3) throw bad('it needs an owner, a repository and a file');
  for (const p of parts) if (!SEGMENT.test(p) || p === '..') throw bad(`'${p}' is not a valid path part`);
  const [owner, repo, ...file] = parts as [string, string, ...string[]];
  const path = file.join('/');
  if (!/\.gguf$/i.test(path)) throw bad('the file must be a .gguf file');
  return {
    uri: `hf:${owner}/${repo}/${path}${revision === 'main' ? '' : `@${revision}`}`,
    owner,
    repo,
    path,
    revision,
  };
}

/** The Hugging Face endpoint (`ASSAY_HF_ENDPOINT` overrides it, e.g. a mirror or a test server). */
export function hfEndpoint(env: NodeJS.ProcessEnv = process.env): string {
  return (env.ASSAY_HF_ENDPOINT || 'https://huggingface.co').replace(/\/+$/, '');
}

/** The URL a model file is downloaded from. */
export function modelDownloadUrl(ref: HfModelRef, env: NodeJS.ProcessEnv = process.env): string {
  const enc = (s: string) => s.split('/').map(encodeURIComponent).join('/');
  return `${hfEndpoint(env)}/${enc(ref.owner)}/${enc(ref.repo)}/resolve/${encodeURIComponent(ref.revision)}/${enc(ref.path)}`;
}

/** The model's file name in the cache directory: one file per URI (see the layout above). */
export function modelCacheFileName(ref: HfModelRef): string {
  const rev = ref.revision === 'main' ? '' : `@${ref.revision.replaceAll('/', '-')}`;
  const readable = `hf_${ref.owner}_${ref.repo}${rev}_${ref.path.replaceAll('/', '_')}`;
  const short =
    !ref.owner.includes('_') &&
    !ref.repo.includes('_') &&
    /^[A-Za-z0-9.-]+$/.test(ref.revision) &&
    !ref.path.includes('/');
  if (short) return readable;
  const hash = createHash('sha256').update(ref.uri).digest('hex').slice(0, 12);
  const ext = readable.slice(-'.gguf'.length);
  return `${readable.slice(0, -ext.length)}~${hash}${ext}`;
}

/** The models cache directory (absolute). */
export function modelsCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.ASSAY_MODELS_DIR) return resolve(env.ASSAY_MODELS_DIR);
  const xdg = env.XDG_CACHE_HOME;
  // The XDG spec says a relative value is invalid and must be ignored.
  if (xdg && isAbsolute(xdg)) return join(xdg, 'assay', 'models');
  return join(homedir(), '.cache', 'assay', 'models');
}

/** Absolute path a URI's model file has (or will have) in the cache. */
export function modelCachePath(uri: string, opts: { cacheDir?: string } = {}): string {
  return join(opts.cacheDir ?? modelsCacheDir(), modelCacheFileName(parseModelUri(uri)));
}

export function sidecarPath(modelPath: string): string {
  return `${modelPath}.json`;
}

export function partialPath(modelPath: string): string {
  return `${modelPath}.partial`;
}

/** The sidecar of a model file, or undefined when there is none (or it is unreadable). */
export async function readSidecar(modelPath: string): Promise<ModelSidecar | undefined> {
  try {
    const data = JSON.parse(await readFile(sidecarPath(modelPath), 'utf8')) as ModelSidecar;
    return data && typeof data === 'object' && typeof data.uri === 'string' ? data : undefined;
  } catch {
    return undefined;
  }
}

/** Whether a sidecar was written for this URI (compared in normal form, so `default` matches its URI). */
export function sidecarMatches(sidecar: ModelSidecar, ref: HfModelRef): boolean {
  if (sidecar.uri === ref.uri) return true;
  try {
    return parseModelUri(sidecar.uri).uri === ref.uri;
  } catch {
    return false;
  }
}

/** Writes the sidecar atomically (temporary file, then rename). */
export async function writeSidecar(modelPath: string, sidecar: ModelSidecar): Promise<void> {
  const target = sidecarPath(modelPath);
  const tmp = `${target}.${process.pid}.tmp`;
  await writeFile(tmp, `${JSON.stringify(sidecar, null, 2)}\n`);
  await rename(tmp, target);
}

/**
 * The absolute path of a URI's model when it is fully present in the cache, else undefined. Never touches
 * the network. `default` stands for the default local model. A malformed URI is a ConfigError (exit 2).
 * A sidecar that records another URI (or another size) makes the model absent; a file copied in by hand
 * without a sidecar is used.
 */
export async function resolveLocalModel(
  uri: string,
  opts: { cacheDir?: string } = {},
): Promise<string | undefined> {
  const ref = parseModelUri(uri);
  const path = join(opts.cacheDir ?? modelsCacheDir(), modelCacheFileName(ref));
  try {
    const s = await stat(path);
    if (!s.isFile() || s.size === 0) return undefined;
    const sidecar = await readSidecar(path);
    if (sidecar && !sidecarMatches(sidecar, ref)) return undefined;
    if (sidecar && typeof sidecar.size === 'number' && sidecar.size !== s.size) return undefined;
    return path;
  } catch {
    return undefined;
  }
}

/** The models in the cache (complete ones and interrupted downloads), sorted by name. */
export async function listLocalModels(opts: { cacheDir?: string } = {}): Promise<LocalModelEntry[]> {
  const dir = opts.cacheDir ?? modelsCacheDir();
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  const out: LocalModelEntry[] = [];
  for (const name of names.sort()) {
    const complete = /\.gguf$/i.test(name);
    if (!complete && !/\.gguf\.partial$/i.test(name)) continue;
    const path = join(dir, name);
    let size: number;
    try {
      const s = await stat(path);
      if (!s.isFile()) continue;
      size = s.size;
    } catch {
      continue;
    }
    const modelPath = complete ? path : path.slice(0, -'.partial'.length);
    const sidecar = complete ? await readSidecar(modelPath) : undefined;
    out.push({
      name,
      uri: sidecar?.uri ?? uriFromFileName(complete ? name : name.slice(0, -'.partial'.length)),
      size,
      sha256: sidecar?.sha256,
      verified: sidecar?.verified,
      pulledAt: sidecar?.pulledAt,
      path,
      complete,
    });
  }
  return out;
}

/** Only the default model's URI can be told from a bare file name reliably. */
function uriFromFileName(name: string): string | undefined {
  return name === modelCacheFileName(parseModelUri(DEFAULT_LOCAL_MODEL.uri))
    ? DEFAULT_LOCAL_MODEL.uri
    : undefined;
}
