import type { ResultRecord } from '../core/types.ts';
import type { CacheEntry, Store } from '../store/store.ts';

export interface ResultWriterOptions {
  /** Results per write (default 50). */
  batchSize?: number;
  /** Longest a result waits in the buffer, ms (default 200). */
  intervalMs?: number;
  /** Called with each batch once it is stored. */
  onWritten?: (batch: ResultRecord[]) => void;
  /** Called once if a write fails (the engine stops the run). */
  onError?: (error: unknown) => void;
}

/**
 * Streams results to the store in batches (every `batchSize` results or `intervalMs`), one write at a
 * time, in arrival order. `add` returns the pending write when it filled a batch, so a caller that awaits
 * it gets back-pressure from a slow store; memory stays bounded by the batch size × writers.
 */
export interface ResultWriter {
  /** Buffers a result, and the cache entries of its fresh responses (stored in the same transaction). */
  add(result: ResultRecord, cache?: CacheEntry | readonly CacheEntry[]): Promise<void>;
  /** Writes whatever is buffered; resolves when everything added so far is stored. */
  flush(): Promise<void>;
  /** Flushes and rethrows the first write error, if any. */
  close(): Promise<void>;
  /** Results stored so far. */
  readonly written: number;
}

export function createResultWriter(store: Store, opts: ResultWriterOptions = {}): ResultWriter {
  const batchSize = opts.batchSize ?? 50;
  const intervalMs = opts.intervalMs ?? 200;
  let buffer: ResultRecord[] = [];
  let cacheBuffer: CacheEntry[] = [];
  let chain: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  let failure: { error: unknown } | undefined;
  let written = 0;

  function flush(): Promise<void> {
    if (timer) {
      clearTimeout(timer);
      timer = undefined;
    }
    if (buffer.length === 0) return chain;
    const batch = buffer;
    const cacheBatch = cacheBuffer;
    buffer = [];
    cacheBuffer = [];
    chain = chain.then(async () => {
      if (failure) return; // after a failed write nothing more is written: the run is stopping
      try {
        await store.writeResults(batch, cacheBatch);
        written += batch.length;
        opts.onWritten?.(batch);
      } catch (error) {
        failure = { error };
        opts.onError?.(error);
      }
    });
    return chain;
  }

  return {
    get written() {
      return written;
    },
    add(result, cache) {
      buffer.push(result);
      if (Array.isArray(cache)) for (const c of cache) cacheBuffer.push(c);
      else if (cache) cacheBuffer.push(cache as CacheEntry);
      if (buffer.length >= batchSize) return flush();
      timer ??= setTimeout(flush, intervalMs);
      return Promise.resolve();
    },
    flush,
    async close() {
      await flush();
      if (failure) throw failure.error;
    },
  };
}
