import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../core/errors.ts';
import { CHATML_TEMPLATE, makeTinyGguf, type TinyGgufOptions } from '../../test-helpers/make-tiny-gguf.ts';
import { parseGgufMetadata, readGgufMetadata } from './gguf-metadata.ts';

const dir = mkdtempSync(join(tmpdir(), 'assay-gguf-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
function file(bytes: Buffer): string {
  const path = join(dir, `m${n++}.gguf`);
  writeFileSync(path, bytes);
  return path;
}
const tiny = (o: TinyGgufOptions = {}) => file(makeTinyGguf(o));

/** The ConfigError message for a file, or undefined when it is valid. */
function problem(path: string): string | undefined {
  try {
    readGgufMetadata(path, 'models/x.gguf');
    return undefined;
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as ConfigError).message;
  }
}

describe('readGgufMetadata', () => {
  it('reads a valid file: version, architecture, vocabulary, chat template, metadata end', () => {
    const path = tiny();
    const meta = readGgufMetadata(path);
    expect(meta.version).toBe(3);
    expect(meta.architecture).toBe('llama');
    expect(meta.name).toBe('tiny-test-llama');
    expect(meta.chatTemplate).toBe(CHATML_TEMPLATE);
    expect(meta.vocabSize).toBeGreaterThan(256);
    expect(meta.tensorCount).toBe(12);
    expect(meta.entries.get('llama.context_length')).toEqual({ type: 'u32', value: 2048 });
    expect(meta.entries.get('llama.attention.layer_norm_rms_epsilon')?.type).toBe('f32');
    // long arrays are counted, not kept
    expect(meta.entries.get('tokenizer.ggml.tokens')?.value).toEqual({
      itemType: 'string',
      length: meta.vocabSize,
    });
    expect(meta.metadataEnd).toBeGreaterThan(24);
    expect(meta.metadataEnd).toBeLessThan(meta.fileSize);
  });

  it('accepts a file without a chat template (the provider falls back to ChatML)', () => {
    expect(readGgufMetadata(tiny({ chatTemplate: false })).chatTemplate).toBeUndefined();
  });

  it.each([
    'general.architecture',
    'llama.context_length',
    'llama.embedding_length',
    'llama.block_count',
    'llama.feed_forward_length',
    'llama.attention.head_count',
    'llama.attention.layer_norm_rms_epsilon',
    'tokenizer.ggml.model',
    'tokenizer.ggml.tokens',
    'tokenizer.ggml.merges',
  ])('names the file and the key when %s is missing', (key) => {
    const msg = problem(tiny({ omitKeys: [key] }));
    expect(msg).toMatch(/^models\/x\.gguf: missing metadata key /);
    expect(msg).toContain(key);
    expect(msg).toContain('malformed');
  });

  it.each([
    [
      'general.alignment as u64',
      { 'general.alignment': { type: 'u64', value: 32 } },
      /general\.alignment must be a u32/,
    ],
    [
      'a zero block count',
      { 'llama.block_count': { type: 'u32', value: 0 } },
      /llama\.block_count must be a positive integer, not u32 0/,
    ],
    [
      'a string head count',
      { 'llama.attention.head_count': { type: 'string', value: '4' } },
      /head_count must be a positive integer/,
    ],
    [
      'a numeric architecture',
      { 'general.architecture': { type: 'u32', value: 1 } },
      /general\.architecture must be a non-empty string/,
    ],
    [
      'an unknown tokenizer',
      { 'tokenizer.ggml.model': { type: 'string', value: 'wordpiece9' } },
      /tokenizer\.ggml\.model must be one of/,
    ],
    [
      'token types of the wrong length',
      { 'tokenizer.ggml.token_type': { type: 'i32[]', value: [1, 1] } },
      /token_type must be an array with one entry per token \(\d+\), not 2 entries/,
    ],
    [
      'an eos id outside the vocabulary',
      { 'tokenizer.ggml.eos_token_id': { type: 'u32', value: 99999 } },
      /eos_token_id is 99999, outside the vocabulary/,
    ],
    [
      'a numeric chat template',
      { 'tokenizer.chat_template': { type: 'u32', value: 7 } },
      /chat_template must be a string/,
    ],
  ] as [string, TinyGgufOptions['setKeys'], RegExp][])('rejects %s', (_, setKeys, expected) => {
    expect(problem(tiny({ setKeys }))).toMatch(expected);
  });

  it('rejects a file that is not GGUF, an unsupported version, and a truncated file', () => {
    const good = makeTinyGguf();
    const notGguf = Buffer.from(good);
    notGguf.write('GGML', 0, 'latin1');
    expect(problem(file(notGguf))).toMatch(/not a GGUF file: it starts with "GGML"/);
    const v1 = Buffer.from(good);
    v1.writeUInt32LE(1, 4);
    expect(problem(file(v1))).toMatch(/unsupported GGUF version 1/);
    const meta = parseGgufMetadata(tiny());
    // cut inside the metadata: a clean error, never a read past the end
    expect(problem(file(good.subarray(0, Math.floor(meta.metadataEnd / 2))))).toMatch(
      /ends inside|more than the file can hold/,
    );
    expect(problem(file(Buffer.from('GGUF')))).toMatch(/not a GGUF file: only 4 bytes/);
    // a length field claiming more bytes than the file has
    const huge = Buffer.from(good);
    huge.writeBigUInt64LE(2n ** 40n, 16);
    expect(problem(file(huge))).toMatch(/the metadata count is \d+, more than the file can hold/);
    // an array length that cannot fit is refused before reading a single item
    const meta2 = parseGgufMetadata(tiny());
    const at =
      good.indexOf(Buffer.from('tokenizer.ggml.token_type')) + 'tokenizer.ggml.token_type'.length + 8;
    const longArray = Buffer.from(good);
    longArray.writeBigUInt64LE(BigInt(Math.floor(meta2.fileSize / 2)), at);
    expect(problem(file(longArray))).toMatch(
      /the length of tokenizer\.ggml\.token_type is \d+, more than the file can hold/,
    );
  });

  describe('hostile headers: bounded memory and time, exit-2 errors', () => {
    /** A GGUF header followed by `body`, padded (sparsely) to `size` bytes so length checks pass. */
    function crafted(kvCount: bigint, body: Buffer, size: number): string {
      const head = Buffer.alloc(24);
      head.write('GGUF', 0, 'latin1');
      head.writeUInt32LE(3, 4);
      head.writeBigUInt64LE(1n, 8);
      head.writeBigUInt64LE(kvCount, 16);
      const path = file(Buffer.concat([head, body]));
      truncateSync(path, size);
      return path;
    }
    const u64 = (v: bigint) => {
      const b = Buffer.alloc(8);
      b.writeBigUInt64LE(v);
      return b;
    };
    const u32 = (v: number) => {
      const b = Buffer.alloc(4);
      b.writeUInt32LE(v);
      return b;
    };
    const key = (k: string) => Buffer.concat([u64(BigInt(k.length)), Buffer.from(k)]);

    it('refuses a key length over 16 MB without allocating it', () => {
      const path = crafted(1n, u64(800_000_000n), 900_000_000);
      expect(problem(path)).toMatch(
        /^models\/x\.gguf: the length of metadata key #1 is 800000000, over the limit of 16,777,216 bytes/,
      );
    });

    it('refuses a string value over 16 MB', () => {
      const body = Buffer.concat([key('general.name'), u32(8), u64(20_000_000n)]);
      expect(problem(crafted(1n, body, 30_000_000))).toMatch(
        /the length of general\.name is 20000000, over the limit/,
      );
    });

    it('refuses more than 100,000 keys', () => {
      expect(problem(crafted(1_000_000n, Buffer.alloc(0), 20_000_000))).toMatch(
        /the metadata count is 1000000, over the limit of 100,000 keys/,
      );
    });

    it('refuses a string array of more than 10M items, and skips a long numeric array unread', () => {
      const strings = Buffer.concat([key('tokenizer.ggml.tokens'), u32(9), u32(8), u64(11_000_000n)]);
      expect(problem(crafted(1n, strings, 100_000_000))).toMatch(
        /the length of tokenizer\.ggml\.tokens is 11000000, over the limit of 10,000,000 items/,
      );
      const numbers = Buffer.concat([key('tokenizer.ggml.scores'), u32(9), u32(6), u64(20_000_000n)]);
      const t0 = performance.now();
      const meta = parseGgufMetadata(crafted(1n, numbers, 90_000_000));
      expect(performance.now() - t0).toBeLessThan(200);
      expect(meta.entries.get('tokenizer.ggml.scores')?.value).toEqual({
        itemType: 'f32',
        length: 20_000_000,
      });
      expect(meta.metadataEnd).toBe(24 + numbers.length + 80_000_000);
    });

    it('reports a header truncated mid-key as exit 2 naming the file', () => {
      const body = key('general.architecture');
      const path = file(Buffer.concat([Buffer.from('GGUF'), u32(3), u64(1n), u64(1n), body]));
      expect(problem(path)).toMatch(
        /^models\/x\.gguf: the file ends inside the type of general\.architecture \(offset 52\)/,
      );
    });
  });

  it('names a missing file and a directory', () => {
    expect(problem(join(dir, 'nope.gguf'))).toBe('models/x.gguf: no such file');
    expect(problem(dir)).toBe('models/x.gguf: is a directory, not a GGUF file');
  });
});

describe('makeTinyGguf', () => {
  it('is small, fast and deterministic', () => {
    const t0 = performance.now();
    const a = makeTinyGguf();
    const ms = performance.now() - t0;
    expect(a.length).toBeLessThan(150_000);
    expect(ms).toBeLessThan(100);
    expect(makeTinyGguf().equals(a)).toBe(true);
    expect(makeTinyGguf({ seed: 2 }).equals(a)).toBe(false);
  });

  it('refuses a reply the bigram table cannot express', () => {
    expect(() => makeTinyGguf({ reply: 'Hello' })).toThrow(/repeats a token/);
    expect(() => makeTinyGguf({ reply: ['He', 'l', 'lo'] })).not.toThrow();
  });
});
