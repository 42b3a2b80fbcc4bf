import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { AssayError } from '../core/errors.ts';

/**
 * A file written through a temp file beside it and renamed into place on `commit`, so a reader never sees
 * half a report; `abort` removes the temp file. Writes wait for the stream to drain (flat memory).
 */
export class AtomicTextFile {
  readonly file: string;
  private readonly tmp: string;
  private readonly out: WriteStream;

  private constructor(file: string) {
    this.file = file;
    this.tmp = `${file}.${process.pid}.tmp`;
    this.out = createWriteStream(this.tmp);
  }

  static async open(file: string): Promise<AtomicTextFile> {
    const f = new AtomicTextFile(file);
    try {
      await once(f.out, 'open');
    } catch (e) {
      throw cannotWrite(file, e);
    }
    return f;
  }

  async write(chunk: string): Promise<void> {
    if (!this.out.write(chunk)) await once(this.out, 'drain');
  }

  async commit(): Promise<void> {
    try {
      this.out.end();
      await once(this.out, 'finish');
      await rename(this.tmp, this.file);
    } catch (e) {
      await this.abort();
      throw cannotWrite(this.file, e);
    }
  }

  async abort(): Promise<void> {
    this.out.destroy();
    await rm(this.tmp, { force: true });
  }
}

function cannotWrite(file: string, e: unknown): unknown {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  if (!code) return e;
  const why: Record<string, string> = {
    ENOENT: 'its folder does not exist',
    EISDIR: 'it is a folder',
    EACCES: 'permission denied',
    EPERM: 'permission denied',
    EROFS: 'read-only file system',
    ENOSPC: 'no space left on device',
  };
  return new AssayError(`cannot write ${file}: ${why[code] ?? code}`, 2);
}
