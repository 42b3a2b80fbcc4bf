import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { AssayError, ConfigError } from '../../core/errors.ts';
import { DEFAULT_LOCAL_MODEL } from './default-local-model.ts';
import {
  type HfModelRef,
  type ModelSidecar,
  modelCacheFileName,
  modelDownloadUrl,
  modelsCacheDir,
  parseModelUri,
  partialPath,
  readSidecar,
  sidecarMatches,
  writeSidecar,
} from './model-cache.ts';

/**
 * `assay models pull`: downloads a GGUF into the models cache, resumably and verified.
 *
 * - Plain HTTP GET; redirects are followed by hand so the checksum Hugging Face announces on the redirect
 *   (`x-linked-etag`) is seen.
 * - Bytes go to `<file>.partial`. An existing partial is resumed with `Range: bytes=N-` (206 appends; a 200
 *   means the server ignored the range, so the download restarts from zero).
 * - A connection that drops after the server answered is retried (`retries` times, resuming each time).
 *   One that cannot be made at all fails at once: offline, a pull ends within `connectTimeoutMs` (8 s).
 * - Timeouts are our own (AbortController): `connectTimeoutMs` until the response headers arrive,
 *   `idleTimeoutMs` between two body chunks.
 * - The sha256 is checked against `opts.sha256`, else the pinned one of the default model, else the one
 *   the server announces; with none available the computed hash is recorded as not verified. A mismatch
 *   removes the file. Only a verified (or unverifiable) file is renamed into place, then the sidecar written.
 */

export interface PullProgress {
  /** Bytes of the file on disk so far (resumed bytes included). */
  bytes: number;
  /** File size when the server said it. */
  total?: number;
  /** Download rate of this session, bytes per second. */
  bytesPerSecond: number;
}

export interface PullOptions {
  /** Models cache directory (default `modelsCacheDir(env)`). */
  cacheDir?: string;
  /** Expected sha256 (64 hex digits); overrides the pinned one. */
  sha256?: string;
  onProgress?: (p: PullProgress) => void;
  fetch?: typeof fetch;
  /** Time allowed until a response's headers arrive. Default 8,000 ms. */
  connectTimeoutMs?: number;
  /** Time allowed between two chunks of the body. Default 8,000 ms. */
  idleTimeoutMs?: number;
  /** Retries of a connection that dropped after the server answered (each resumes). Default 4. */
  retries?: number;
  /** Pause before retry n is n × this. Default 500 ms. */
  retryDelayMs?: number;
  /** Environment read for ASSAY_HF_ENDPOINT and ASSAY_MODELS_DIR (default `process.env`). */
  env?: NodeJS.ProcessEnv;
  signal?: AbortSignal;
}

export interface PullResult {
  uri: string;
  path: string;
  size: number;
  sha256: string;
  verified: boolean;
  verifiedAgainst?: 'option' | 'pinned' | 'server';
  /** True when the model was already in the cache (nothing was downloaded). */
  alreadyPresent: boolean;
  /** Bytes of an earlier interrupted download that were kept. */
  resumedFrom: number;
  /** Dropped connections recovered from. */
  retries: number;
  url: string;
}

export const DEFAULT_CONNECT_TIMEOUT_MS = 8_000;
export const DEFAULT_IDLE_TIMEOUT_MS = 8_000;

/** A pull that did not complete (network, server, checksum). Exit 3: running it again resumes. */
export class PullError extends AssayError {
  constructor(message: string, exitCode = 3) {
    super(message, exitCode);
    this.name = 'PullError';
  }
}

const HEX64 = /^[0-9a-f]{64}$/;

/** The checksum a download must have, and where it came from. */
interface Expected {
  sha: string;
  from: 'option' | 'pinned' | 'server';
  label: string;
}

/** A 64-hex sha256 from an `etag`/`x-linked-etag` value (quotes and `W/` removed), else undefined. */
export function sha256FromEtag(value: string | null | undefined): string | undefined {
  if (!value) return undefined;
  const v = value
    .trim()
    .replace(/^W\//, '')
    .replace(/^"(.*)"$/, '$1')
    .toLowerCase();
  return HEX64.test(v) ? v : undefined;
}

export async function pullModel(uri: string, opts: PullOptions = {}): Promise<PullResult> {
  const ref = parseModelUri(uri);
  const env = opts.env ?? process.env;
  const optionSha = opts.sha256?.trim().toLowerCase();
  if (optionSha !== undefined && !HEX64.test(optionSha))
    throw new ConfigError(`'${opts.sha256}' is not a sha256`, {
      field: '--sha256',
      expected: '64 hex digits',
    });
  const pinnedSha = isDefaultModel(ref) ? DEFAULT_LOCAL_MODEL.sha256 : undefined;
  const cacheDir = opts.cacheDir ?? modelsCacheDir(env);
  await mkdir(cacheDir, { recursive: true });
  const finalPath = join(cacheDir, modelCacheFileName(ref));
  const partial = partialPath(finalPath);
  const url = modelDownloadUrl(ref, env);

  const known: Expected | undefined = optionSha
    ? { sha: optionSha, from: 'option', label: 'the one given with --sha256' }
    : pinnedSha
      ? { sha: pinnedSha, from: 'pinned', label: 'the one pinned for the default model' }
      : undefined;
  const present = await alreadyPresent(finalPath, ref, url, known);
  if (present) return present;

  const d = new Download(url, partial, opts);
  const resumedFrom = await fileSize(partial);
  await d.run();

  const size = await fileSize(partial);
  if (d.total !== undefined && size !== d.total)
    throw new PullError(
      `download of ${url} is incomplete (${size} of ${d.total} bytes); run the same command again to resume`,
    );
  const sha256 = await hashFile(partial);
  const expected: Expected | undefined =
    known ??
    (d.serverSha ? { sha: d.serverSha, from: 'server', label: 'the one the server announced' } : undefined);
  if (expected && expected.sha !== sha256) {
    await rm(partial, { force: true });
    const announced =
      d.serverSha && d.serverSha !== expected.sha ? ` (the server announced ${d.serverSha})` : '';
    throw new PullError(
      `checksum mismatch for ${ref.uri}: the download's sha256 is ${sha256}, not ${expected.sha}, ${expected.label}${announced}. The file was removed; run the command again to download it afresh, or check the expected checksum`,
    );
  }
  await rename(partial, finalPath);
  const sidecar: ModelSidecar = {
    uri: ref.uri,
    url,
    sha256,
    verified: expected !== undefined,
    ...(expected ? { verifiedAgainst: expected.from } : {}),
    size,
    pulledAt: new Date().toISOString(),
  };
  await writeSidecar(finalPath, sidecar);
  return {
    uri: ref.uri,
    path: finalPath,
    size,
    sha256,
    verified: sidecar.verified,
    verifiedAgainst: sidecar.verifiedAgainst,
    alreadyPresent: false,
    resumedFrom,
    retries: d.retriesUsed,
    url,
  };
}

function isDefaultModel(ref: HfModelRef): boolean {
  return ref.uri === parseModelUri(DEFAULT_LOCAL_MODEL.uri).uri;
}

/**
 * A model already in place that matches the expected checksum (when one is known): no network needed. A
 * file whose sidecar records another URI is not this model: it is downloaded again (and replaced).
 */
async function alreadyPresent(
  finalPath: string,
  ref: HfModelRef,
  url: string,
  expected: Expected | undefined,
): Promise<PullResult | undefined> {
  const uri = ref.uri;
  const size = await fileSize(finalPath);
  if (size === 0) return undefined;
  const sidecar = await readSidecar(finalPath);
  if (sidecar && !sidecarMatches(sidecar, ref)) return undefined;
  const recorded = sidecar?.size === size ? sidecar.sha256 : undefined;
  const sha256 = recorded ?? (await hashFile(finalPath)); // copied in by hand, or a sidecar that does not fit
  if (expected && sha256 !== expected.sha) {
    await rm(finalPath, { force: true }); // our cache, not the user's file: download it again
    return undefined;
  }
  const verified = expected !== undefined || sidecar?.verified === true;
  const verifiedAgainst = expected?.from ?? (sidecar?.verified ? sidecar.verifiedAgainst : undefined);
  if (sidecar?.sha256 !== sha256 || sidecar.size !== size || sidecar.verified !== verified)
    await writeSidecar(finalPath, {
      uri,
      url: sidecar?.url ?? url,
      sha256,
      verified,
      ...(verifiedAgainst ? { verifiedAgainst } : {}),
      size,
      pulledAt: sidecar?.pulledAt ?? new Date().toISOString(),
    });
  return {
    uri,
    path: finalPath,
    url,
    size,
    sha256,
    verified,
    verifiedAgainst,
    alreadyPresent: true,
    resumedFrom: 0,
    retries: 0,
  };
}

async function fileSize(path: string): Promise<number> {
  try {
    const s = await stat(path);
    return s.isFile() ? s.size : 0;
  } catch {
    return 0;
  }
}

async function hashFile(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) h.update(chunk as Buffer);
  return h.digest('hex');
}

/** Thrown inside a download attempt; `retryable` ones are retried once the server has answered. */
class AttemptError extends Error {
  readonly retryable: boolean;
  readonly exitCode: number;
  constructor(message: string, opts: { retryable: boolean; exitCode?: number; cause?: unknown }) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.retryable = opts.retryable;
    this.exitCode = opts.exitCode ?? 3;
  }
}

/** Why a fetch or a body read failed, in words. */
function describeFailure(e: unknown, timeouts: { connect: number; idle: number }): string {
  if (e instanceof AttemptError) return e.message;
  const err = e as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  const reason = (err as { reason?: unknown }).reason;
  if (reason === 'connect-timeout') return `no answer within ${timeouts.connect / 1000} s`;
  const code = err?.cause?.code ?? (err as { code?: string })?.code;
  switch (code) {
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'the host name could not be resolved';
    case 'ENETUNREACH':
    case 'EHOSTUNREACH':
      return 'the network is unreachable';
    case 'ECONNRESET':
    case 'UND_ERR_SOCKET':
      return 'the connection was reset';
    case 'ETIMEDOUT':
    case 'UND_ERR_CONNECT_TIMEOUT':
      return 'the connection timed out';
  }
  return err?.cause?.message ?? err?.message ?? String(e);
}

class Download {
  total: number | undefined;
  serverSha: string | undefined;
  retriesUsed = 0;
  private answered = false;
  private readonly fetchImpl: typeof fetch;
  private readonly connectMs: number;
  private readonly idleMs: number;
  private readonly started = performance.now();
  private sessionBytes = 0;

  private readonly url: string;
  private readonly partial: string;
  private readonly opts: PullOptions;

  constructor(url: string, partial: string, opts: PullOptions) {
    this.url = url;
    this.partial = partial;
    this.opts = opts;
    this.fetchImpl = opts.fetch ?? globalThis.fetch;
    this.connectMs = opts.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
    this.idleMs = opts.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
  }

  async run(): Promise<void> {
    const retries = this.opts.retries ?? 4;
    const delay = this.opts.retryDelayMs ?? 500;
    const interrupted = async () =>
      new PullError(
        `pull interrupted; ${await fileSize(this.partial)} bytes kept, run the same command again to resume`,
        130,
      );
    for (let attempt = 0; ; attempt++) {
      // A Ctrl-C during the pause before a retry must stop the pull, not start another attempt.
      if (this.opts.signal?.aborted) throw await interrupted();
      try {
        await this.attempt();
        return;
      } catch (e) {
        if (this.opts.signal?.aborted) throw await interrupted();
        const reason = describeFailure(e, { connect: this.connectMs, idle: this.idleMs });
        if (e instanceof AttemptError && !e.retryable) throw new PullError(reason, e.exitCode);
        const host = hostOf(this.lastUrl ?? this.url);
        if (!this.answered)
          throw new PullError(
            `cannot reach ${host}: ${reason} — check your connection, or download the file yourself (${this.url}) and point local: at it (e.g. --model local:/path/to/file.gguf)`,
          );
        if (attempt >= retries) {
          const kept = await fileSize(this.partial);
          throw new PullError(
            `download from ${host} failed after ${retries} retries: ${reason}; ${kept}${this.total ? ` of ${this.total}` : ''} bytes kept in ${this.partial} — run the same command again to resume`,
          );
        }
        this.retriesUsed++;
        await sleep(delay * (attempt + 1), this.opts.signal);
      }
    }
  }

  private lastUrl: string | undefined;
  /**
   * The strong ETag of the file as last served (within this pull). A resume sends it as `If-Range`, so a
   * file that changed on the server since the partial was written comes back whole (200, restart from
   * zero) instead of as the tail of another file.
   */
  private etag: string | undefined;

  /** One GET (following redirects) that appends the rest of the file to the partial. */
  private async attempt(): Promise<void> {
    let offset = await fileSize(this.partial);
    let url = this.url;
    let res: Response | undefined;
    const controller = new AbortController();
    const onAbort = () => controller.abort(this.opts.signal?.reason);
    this.opts.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      for (let hop = 0; ; hop++) {
        if (hop > 10) throw new AttemptError(`too many redirects from ${this.url}`, { retryable: false });
        this.lastUrl = url;
        const timer = setTimeout(() => controller.abort(timeoutReason('connect-timeout')), this.connectMs);
        try {
          const headers: Record<string, string> = {};
          if (offset > 0) {
            headers.range = `bytes=${offset}-`;
            if (this.etag) headers['if-range'] = this.etag;
          }
          res = await this.fetchImpl(url, {
            headers,
            redirect: 'manual',
            signal: controller.signal,
          });
        } catch (e) {
          throw controller.signal.reason?.reason === 'connect-timeout' ? controller.signal.reason : e;
        } finally {
          clearTimeout(timer);
        }
        this.noteChecksum(res.headers);
        const location = res.headers.get('location');
        if (res.status >= 300 && res.status < 400 && location) {
          await res.body?.cancel().catch(() => {});
          url = new URL(location, url).href;
          continue;
        }
        break;
      }
      this.answered = true;
      const status = res.status;
      const etag = res.headers.get('etag');
      // If-Range needs a strong validator; a weak one (W/"…") is never sent.
      if ((status === 200 || status === 206) && etag && !etag.startsWith('W/')) this.etag = etag;
      if (status === 416) {
        await res.body?.cancel().catch(() => {});
        const total = Number(/\/(\d+)\s*$/.exec(res.headers.get('content-range') ?? '')?.[1]);
        if (Number.isFinite(total) && total === offset) {
          this.total = total; // the partial already holds the whole file
          return;
        }
        await rm(this.partial, { force: true });
        throw new AttemptError('the server refused to resume the download; starting again', {
          retryable: true,
        });
      }
      if (status === 404)
        throw new AttemptError(
          `${this.url} was not found (HTTP 404): check the owner, repository, file name and revision`,
          { retryable: false, exitCode: 2 },
        );
      if (status === 401 || status === 403)
        throw new AttemptError(
          `${this.url} needs permission (HTTP ${status}): the repository may be gated or private; download the file with your account and point local: at it`,
          { retryable: false, exitCode: 2 },
        );
      if (status >= 500 || status === 408 || status === 429)
        throw new AttemptError(`the server answered HTTP ${status}`, { retryable: true });
      if (status !== 200 && status !== 206)
        throw new AttemptError(`unexpected answer HTTP ${status} from ${hostOf(url)}`, { retryable: false });
      if (status === 206) {
        const m = /bytes\s+(\d+)-(\d+)\/(\d+|\*)/.exec(res.headers.get('content-range') ?? '');
        if (!m || Number(m[1]) !== offset) {
          await res.body?.cancel().catch(() => {});
          await rm(this.partial, { force: true });
          throw new AttemptError('the server resumed at the wrong byte; starting again', { retryable: true });
        }
        if (m[3] !== '*') this.total = Number(m[3]);
      } else {
        offset = 0; // 200: the whole file (the server ignored or was not asked for a range)
        const len = Number(res.headers.get('content-length'));
        if (res.headers.has('content-length') && Number.isFinite(len)) this.total = len;
      }
      const linkedSize = Number(res.headers.get('x-linked-size'));
      if (this.total === undefined && Number.isFinite(linkedSize) && linkedSize > 0) this.total = linkedSize;
      await this.writeBody(res, offset, controller);
    } finally {
      this.opts.signal?.removeEventListener('abort', onAbort);
    }
  }

  private async writeBody(res: Response, offset: number, controller: AbortController): Promise<void> {
    const fh = await open(this.partial, offset === 0 ? 'w' : 'a');
    let bytes = offset;
    let idle: NodeJS.Timeout | undefined;
    const arm = () => {
      clearTimeout(idle);
      idle = setTimeout(() => controller.abort(timeoutReason('idle-timeout')), this.idleMs);
    };
    try {
      if (!res.body) throw new AttemptError('the server sent no body', { retryable: true });
      const reader = res.body.getReader();
      arm();
      for (;;) {
        let chunk: Awaited<ReturnType<typeof reader.read>>;
        try {
          chunk = await reader.read();
        } catch (e) {
          const r = controller.signal.reason;
          if (r?.reason === 'idle-timeout')
            throw new AttemptError(`no data for ${this.idleMs / 1000} s`, { retryable: true });
          throw new AttemptError(
            `the connection dropped after ${bytes} bytes (${describeFailure(e, { connect: this.connectMs, idle: this.idleMs })})`,
            { retryable: true, cause: e },
          );
        }
        if (chunk.done) break;
        arm();
        await fh.write(chunk.value);
        bytes += chunk.value.byteLength;
        this.sessionBytes += chunk.value.byteLength;
        const seconds = (performance.now() - this.started) / 1000;
        this.opts.onProgress?.({
          bytes,
          total: this.total,
          bytesPerSecond: seconds > 0 ? this.sessionBytes / seconds : 0,
        });
      }
    } finally {
      clearTimeout(idle);
      await fh.close();
    }
    if (this.total !== undefined && bytes < this.total)
      throw new AttemptError(`the connection closed after ${bytes} of ${this.total} bytes`, {
        retryable: true,
      });
  }

  private noteChecksum(headers: Headers): void {
    const sha = sha256FromEtag(headers.get('x-linked-etag')) ?? sha256FromEtag(headers.get('etag'));
    if (sha && !this.serverSha) this.serverSha = sha;
    const linked = Number(headers.get('x-linked-size'));
    if (this.total === undefined && Number.isFinite(linked) && linked > 0) this.total = linked;
  }
}

function timeoutReason(reason: 'connect-timeout' | 'idle-timeout'): Error & { reason: string } {
  return Object.assign(new Error(reason), { reason });
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(t);
        resolve();
      },
      { once: true },
    );
  });
}
