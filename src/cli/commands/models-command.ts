import { DEFAULT_LOCAL_MODEL, defaultModelSizeText } from '../../models/local/default-local-model.ts';
import { listLocalModels, modelsCacheDir, parseModelUri } from '../../models/local/model-cache.ts';
import { PullError, type PullProgress, pullModel } from '../../models/local/pull-model.ts';
import { formatDuration, table } from '../../reporters/format.ts';

interface PullFlags {
  sha256?: string;
  json?: boolean;
}

interface ListFlags {
  json?: boolean;
}

/** `assay models pull [URI]`: exit 0 pulled (or already there) · 2 bad URI · 3 failed/incomplete (resumable). */
export async function modelsPullCommand(uri: string | undefined, flags: PullFlags): Promise<number> {
  const target = uri ?? DEFAULT_LOCAL_MODEL.uri;
  const ref = parseModelUri(target); // a bad URI stops here (exit 2), before any I/O
  const isDefault = ref.uri === DEFAULT_LOCAL_MODEL.uri;
  if (!flags.json)
    process.stderr.write(
      `pulling ${ref.uri}${isDefault ? `\n  ${DEFAULT_LOCAL_MODEL.description} · ${defaultModelSizeText()} · ${DEFAULT_LOCAL_MODEL.licence}` : ''}\n`,
    );
  const controller = new AbortController();
  let exitOnSignal = 130;
  const onSignal = (sig: NodeJS.Signals) => {
    exitOnSignal = sig === 'SIGTERM' ? 143 : 130;
    controller.abort(new Error(sig));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const bar = process.stderr.isTTY && !flags.json ? new PullBar() : undefined;
  try {
    const r = await pullModel(target, {
      sha256: flags.sha256,
      signal: controller.signal,
      onProgress: bar ? (p) => bar.update(p) : undefined,
    });
    bar?.clear();
    if (flags.json) {
      process.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
      return 0;
    }
    const check = r.verified
      ? `sha256 ${r.sha256} (verified against ${verifiedText(r.verifiedAgainst)})`
      : `sha256 ${r.sha256} (NOT verified: no checksum was pinned, given with --sha256 or announced by the server)`;
    const how = r.alreadyPresent
      ? 'already pulled'
      : `pulled${r.resumedFrom ? `, resumed at ${mb(r.resumedFrom)}` : ''}${r.retries ? `, ${r.retries} dropped connection(s) recovered` : ''}`;
    process.stdout.write(
      `${how}: ${r.uri}\n  file    ${r.path} (${mb(r.size)})\n  ${check}\n${isDefault ? '  used by `assay eval` when the config names no model (as local:default)\n' : ''}`,
    );
    return 0;
  } catch (e) {
    // interrupted: the partial download is kept, and the same command resumes it
    if (e instanceof PullError && controller.signal.aborted) throw new PullError(e.message, exitOnSignal);
    throw e;
  } finally {
    bar?.clear();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

/** `assay models list`: the models in the cache, with interrupted downloads marked. */
export async function modelsListCommand(flags: ListFlags): Promise<number> {
  const dir = modelsCacheDir();
  const models = await listLocalModels({ cacheDir: dir });
  if (flags.json) {
    process.stdout.write(`${JSON.stringify({ dir, models }, null, 2)}\n`);
    return 0;
  }
  if (models.length === 0) {
    process.stdout.write(
      `no models in ${dir}\nrun \`assay models pull\` to get the default one (${DEFAULT_LOCAL_MODEL.uri}, ${defaultModelSizeText()})\n`,
    );
    return 0;
  }
  const rows = models.map((m) => [
    m.name,
    mb(m.size),
    m.complete
      ? m.sha256
        ? `${m.sha256.slice(0, 12)}${m.verified ? '' : ' (unverified)'}`
        : '—'
      : 'incomplete: pull again to resume',
    m.uri ?? '(copied in)',
  ]);
  process.stdout.write(
    `models in ${dir}:\n${table(['file', 'size', 'sha256', 'uri'], rows, [false, true])}\n`,
  );
  return 0;
}

function verifiedText(from: 'option' | 'pinned' | 'server' | undefined): string {
  if (from === 'option') return '--sha256';
  if (from === 'pinned') return 'the pinned checksum';
  if (from === 'server') return 'the checksum the server announced';
  return 'an earlier pull';
}

function mb(bytes: number): string {
  return bytes >= 1e9 ? `${(bytes / 1e9).toFixed(2)} GB` : `${(bytes / 1e6).toFixed(1)} MB`;
}

/** One self-rewriting line on stderr, redrawn at most ten times a second. */
class PullBar {
  private last = 0;
  private drawn = false;
  update(p: PullProgress): void {
    const now = performance.now();
    if (now - this.last < 100 && p.bytes !== p.total) return;
    this.last = now;
    const width = 24;
    const frac = p.total ? Math.min(1, p.bytes / p.total) : 0;
    const filled = Math.round(frac * width);
    const eta =
      p.total && p.bytesPerSecond > 0
        ? formatDuration(((p.total - p.bytes) / p.bytesPerSecond) * 1000)
        : '–:––';
    const line = `[${'█'.repeat(filled)}${'░'.repeat(width - filled)}] ${p.total ? `${(100 * frac).toFixed(0)}% ` : ''}${mb(p.bytes)}${p.total ? ` / ${mb(p.total)}` : ''} · ${mb(p.bytesPerSecond)}/s · ETA ${eta}`;
    process.stderr.write(`\r\x1b[2K${line}`);
    this.drawn = true;
  }
  clear(): void {
    if (this.drawn) process.stderr.write('\r\x1b[2K');
    this.drawn = false;
  }
}
