import type { Store } from '../store/store.ts';
import { readAnnotations } from './read-annotations.ts';

export interface MirrorAnnotationsFileOptions {
  /** The annotations file (the truth) and its name as shown to the user. */
  file: string;
  shown: string;
  /** The suite the file belongs to, as the store records it. */
  suite: string;
  /** Opens the project's store; called once, and the store is closed afterwards. */
  openStore: () => Promise<Store>;
}

export type MirrorOutcome = { ok: true; mirrored: number } | { ok: false; error: string };

/**
 * Mirrors every line of an annotations file into the project's store, after the file was written. The
 * whole file, not just the new lines: the store skips what it holds, so a mirror that failed earlier
 * is caught up. Never throws: the judgments are already safe in the file, so a store that cannot be
 * opened or written is an outcome for the caller to warn about, not a failed command.
 */
export async function mirrorAnnotationsFile(options: MirrorAnnotationsFileOptions): Promise<MirrorOutcome> {
  let store: Store | undefined;
  try {
    const records = readAnnotations(options.file, options.shown);
    store = await options.openStore();
    return { ok: true, mirrored: await store.mirrorAnnotations(options.suite, records) };
  } catch (e) {
    return { ok: false, error: e instanceof Error ? e.message : String(e) };
  } finally {
    await store?.close().catch(() => undefined);
  }
}
