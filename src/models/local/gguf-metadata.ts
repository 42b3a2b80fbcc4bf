import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { ConfigError } from '../../core/errors.ts';

/**
 * Reads and validates the header and metadata of a GGUF model file in plain TypeScript, before the file
 * reaches llama.cpp: some malformed files make llama.cpp abort the whole process (a missing
 * `feed_forward_length` or `attention.head_count` is a failed assertion, exit 134), so a file is loaded
 * only after this check passed. Only the header and the key/value section are read, never the tensors.
 *
 * Layout (little-endian): "GGUF", version u32, tensor count u64, key/value count u64, then per key a
 * string (u64 length + UTF-8), a value type u32 and the value; arrays are item type u32 + count u64 + items.
 */

/** A metadata array: its item type and length; the items themselves only for short arrays. */
export interface GgufArray {
  itemType: GgufValueType;
  length: number;
  /** The items, when there are at most `ARRAY_ITEMS_KEPT` (vocabularies are only counted). */
  items?: GgufScalar[];
}

export type GgufScalar = number | bigint | boolean | string;
export type GgufValue = GgufScalar | GgufArray;

export type GgufValueType =
  | 'u8'
  | 'i8'
  | 'u16'
  | 'i16'
  | 'u32'
  | 'i32'
  | 'f32'
  | 'bool'
  | 'string'
  | 'array'
  | 'u64'
  | 'i64'
  | 'f64';

const VALUE_TYPES: readonly GgufValueType[] = [
  'u8',
  'i8',
  'u16',
  'i16',
  'u32',
  'i32',
  'f32',
  'bool',
  'string',
  'array',
  'u64',
  'i64',
  'f64',
];

const INTEGER_TYPES = new Set<GgufValueType>(['u8', 'i8', 'u16', 'i16', 'u32', 'i32', 'u64', 'i64']);
const NUMBER_TYPES = new Set<GgufValueType>([...INTEGER_TYPES, 'f32', 'f64']);

/** The fewest bytes one array item takes (a string: its u64 length), to reject impossible lengths early. */
const ITEM_BYTES: Partial<Record<GgufValueType, number>> = {
  u8: 1,
  i8: 1,
  bool: 1,
  u16: 2,
  i16: 2,
  u32: 4,
  i32: 4,
  f32: 4,
  u64: 8,
  i64: 8,
  f64: 8,
  string: 8,
  array: 12,
};

/** Arrays longer than this are counted, not kept (arrays of fixed-size items are skipped unread). */
const ARRAY_ITEMS_KEPT = 64;

/**
 * Limits that bound the memory and time a hostile header can cost, far above real models: the longest
 * real string is a chat template (tens of KB), real files have a few dozen keys, and the largest real
 * string arrays (token lists, merges) have a few hundred thousand entries.
 */
export const GGUF_LIMITS = {
  /** Bytes in one key or string value. */
  stringBytes: 16 * 1024 * 1024,
  /** Metadata key/value pairs. */
  keyValues: 100_000,
  /** Items in an array of strings (read one by one; arrays of fixed-size items are skipped in O(1)). */
  stringArrayItems: 10_000_000,
} as const;

export interface GgufEntry {
  type: GgufValueType;
  value: GgufValue;
}

export interface GgufMetadata {
  version: number;
  tensorCount: number;
  /** Metadata in file order. */
  entries: Map<string, GgufEntry>;
  /** `general.architecture`, e.g. `llama`, `qwen2`. */
  architecture: string;
  /** `general.name`, when set. */
  name?: string;
  /** `tokenizer.chat_template`, when the file has one. */
  chatTemplate?: string;
  /** Number of tokens in the vocabulary. */
  vocabSize: number;
  /** Bytes from the start of the file to the end of the metadata section. */
  metadataEnd: number;
  fileSize: number;
}

/** What is wrong with a GGUF file: the problem and, when it is about one key, that key. */
export class GgufFormatError extends Error {
  readonly key?: string;
  constructor(message: string, key?: string) {
    super(message);
    this.name = 'GgufFormatError';
    this.key = key;
  }
}

/** Reads the file in chunks and decodes GGUF primitives; fails cleanly on truncation. */
class GgufReader {
  private readonly fd: number;
  readonly size: number;
  private buf = Buffer.alloc(0);
  /** File offset of buf[0]. */
  private bufStart = 0;
  /** Current file offset. */
  pos = 0;

  constructor(fd: number, size: number) {
    this.fd = fd;
    this.size = size;
  }

  /** Ensures `n` bytes at `pos` are buffered; returns their index in the buffer. */
  private need(n: number, what: string): number {
    if (this.pos + n > this.size)
      throw new GgufFormatError(
        `the file ends inside ${what} (offset ${this.pos}): truncated or not a GGUF file`,
      );
    const at = this.pos - this.bufStart;
    if (at + n <= this.buf.length) return at;
    const want = Math.max(n, 1 << 20);
    const next = Buffer.alloc(Math.min(want, this.size - this.pos));
    let got = 0;
    while (got < next.length) {
      const r = readSync(this.fd, next, got, next.length - got, this.pos + got);
      if (r === 0) break;
      got += r;
    }
    if (got < n) throw new GgufFormatError(`could not read ${what} at offset ${this.pos}`);
    this.buf = next;
    this.bufStart = this.pos;
    return 0;
  }

  u8(what: string): number {
    const at = this.need(1, what);
    this.pos += 1;
    return this.buf.readUInt8(at);
  }
  u32(what: string): number {
    const at = this.need(4, what);
    this.pos += 4;
    return this.buf.readUInt32LE(at);
  }
  u64(what: string): bigint {
    const at = this.need(8, what);
    this.pos += 8;
    return this.buf.readBigUInt64LE(at);
  }
  /** A u64 count or length that must fit the remaining file (`unit` bytes per item at least). */
  count(what: string, unit: number): number {
    const n = this.u64(what);
    if (n > BigInt(Math.floor((this.size - this.pos) / Math.max(unit, 1))))
      throw new GgufFormatError(`${what} is ${n}, more than the file can hold: truncated or corrupt`);
    return Number(n);
  }
  /** A count that must also stay under `limit` (what a real model file could need). */
  limitedCount(what: string, unit: number, limit: number, unitName: string): number {
    const n = this.count(what, unit);
    if (n > limit)
      throw new GgufFormatError(
        `${what} is ${n}, over the limit of ${limit.toLocaleString('en-US')} ${unitName}: corrupt or hostile`,
      );
    return n;
  }
  /** Moves past `n` bytes without reading them. */
  skip(n: number, what: string): void {
    if (this.pos + n > this.size)
      throw new GgufFormatError(
        `the file ends inside ${what} (offset ${this.pos}): truncated or not a GGUF file`,
      );
    this.pos += n;
  }
  string(what: string): string {
    const len = this.limitedCount(`the length of ${what}`, 1, GGUF_LIMITS.stringBytes, 'bytes');
    if (len === 0) return '';
    // Long strings (chat templates) may exceed the buffer: read them in one piece.
    const at = this.need(len, what);
    this.pos += len;
    return this.buf.toString('utf8', at, at + len);
  }
  scalar(type: GgufValueType, what: string): GgufScalar {
    if (type === 'string') return this.string(what);
    const size = type === 'array' ? undefined : ITEM_BYTES[type];
    if (size === undefined) throw new GgufFormatError(`${what}: nested arrays are not supported`);
    const at = this.need(size, what);
    this.pos += size;
    const b = this.buf;
    switch (type) {
      case 'u8':
        return b.readUInt8(at);
      case 'i8':
        return b.readInt8(at);
      case 'u16':
        return b.readUInt16LE(at);
      case 'i16':
        return b.readInt16LE(at);
      case 'u32':
        return b.readUInt32LE(at);
      case 'i32':
        return b.readInt32LE(at);
      case 'f32':
        return b.readFloatLE(at);
      case 'bool':
        return b.readUInt8(at) !== 0;
      case 'u64':
        return b.readBigUInt64LE(at);
      case 'i64':
        return b.readBigInt64LE(at);
      default:
        return b.readDoubleLE(at);
    }
  }
  valueType(what: string): GgufValueType {
    const id = this.u32(what);
    const t = VALUE_TYPES[id];
    if (t === undefined) throw new GgufFormatError(`${what}: unknown value type ${id}`);
    return t;
  }
}

/**
 * Parses the header and metadata (no validation of keys beyond what is needed to read them). A file that
 * cannot be read is a ConfigError; bytes that are not GGUF are a GgufFormatError.
 */
export function parseGgufMetadata(path: string, display: string = path): GgufMetadata {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new ConfigError(
      code === 'ENOENT' ? 'no such file' : `cannot read the file (${code ?? String(e)})`,
      {
        file: display,
      },
    );
  }
  try {
    const stat = fstatSync(fd);
    if (stat.isDirectory()) throw new ConfigError('is a directory, not a GGUF file', { file: display });
    const r = new GgufReader(fd, stat.size);
    if (stat.size < 24) throw new GgufFormatError(`not a GGUF file: only ${stat.size} bytes`);
    const magic = Buffer.from([r.u8('magic'), r.u8('magic'), r.u8('magic'), r.u8('magic')]);
    if (magic.toString('latin1') !== 'GGUF')
      throw new GgufFormatError(
        `not a GGUF file: it starts with ${JSON.stringify(magic.toString('latin1'))}, not "GGUF"`,
      );
    const version = r.u32('the version');
    if (version !== 2 && version !== 3)
      throw new GgufFormatError(`unsupported GGUF version ${version} (llama.cpp reads versions 2 and 3)`);
    const tensorCount = Number(r.u64('the tensor count'));
    const kvCount = r.limitedCount('the metadata count', 13, GGUF_LIMITS.keyValues, 'keys');
    const entries = new Map<string, GgufEntry>();
    for (let i = 0; i < kvCount; i++) {
      const key = r.string(`metadata key #${i + 1}`);
      const type = r.valueType(`the type of ${key}`);
      let value: GgufValue;
      if (type === 'array') {
        const itemType = r.valueType(`the item type of ${key}`);
        const unit = ITEM_BYTES[itemType] ?? 1;
        const length =
          itemType === 'string'
            ? r.limitedCount(`the length of ${key}`, unit, GGUF_LIMITS.stringArrayItems, 'items')
            : r.count(`the length of ${key}`, unit);
        const keep = length <= ARRAY_ITEMS_KEPT;
        if (keep) {
          const items: GgufScalar[] = [];
          for (let j = 0; j < length; j++) items.push(r.scalar(itemType, `${key}[${j}]`));
          value = { itemType, length, items };
        } else {
          if (itemType === 'string') for (let j = 0; j < length; j++) r.string(`${key}[${j}]`);
          else if (itemType === 'array')
            throw new GgufFormatError(`${key}: nested arrays are not supported`, key);
          else r.skip(length * unit, key);
          value = { itemType, length };
        }
      } else value = r.scalar(type, key);
      if (entries.has(key)) throw new GgufFormatError(`duplicate metadata key ${key}`, key);
      entries.set(key, { type, value });
    }
    const str = (key: string) => {
      const e = entries.get(key);
      return e?.type === 'string' ? (e.value as string) : undefined;
    };
    const tokens = entries.get('tokenizer.ggml.tokens');
    return {
      version,
      tensorCount,
      entries,
      architecture: str('general.architecture') ?? '',
      name: str('general.name'),
      chatTemplate: str('tokenizer.chat_template') || undefined,
      vocabSize: tokens?.type === 'array' ? (tokens.value as GgufArray).length : 0,
      metadataEnd: r.pos,
      fileSize: stat.size,
    };
  } finally {
    closeSync(fd);
  }
}

/**
 * Architectures whose keys llama.cpp requires and whose absence aborts the process (tested key by key for
 * `llama`; the others share the same loader code for these keys).
 */
const DENSE_ATTENTION_ARCHS = new Set([
  'llama',
  'mistral3',
  'qwen2',
  'qwen3',
  'gemma',
  'gemma2',
  'gemma3',
  'phi3',
  'granite',
  'olmo2',
  'smollm3',
  'stablelm',
  'starcoder2',
  'internlm2',
  'exaone',
]);

/** The required keys for an architecture: `[key, what it must be]`. */
function requiredKeys(arch: string): [string, 'count' | 'number'][] {
  const keys: [string, 'count' | 'number'][] = [
    [`${arch}.context_length`, 'count'],
    [`${arch}.embedding_length`, 'count'],
    [`${arch}.block_count`, 'count'],
  ];
  if (DENSE_ATTENTION_ARCHS.has(arch))
    keys.push([`${arch}.feed_forward_length`, 'count'], [`${arch}.attention.head_count`, 'count']);
  if (arch === 'llama') keys.push([`${arch}.attention.layer_norm_rms_epsilon`, 'number']);
  return keys;
}

const TOKENIZER_MODELS = new Set([
  'llama',
  'gpt2',
  'bert',
  't5',
  'rwkv',
  'plamo2',
  'none',
  'no_vocab',
  'gemma4',
]);

/** A positive integer, or an array of them (per-layer values). */
function isCount(e: GgufEntry): boolean {
  const positive = (v: GgufScalar) =>
    (typeof v === 'number' && Number.isInteger(v) && v > 0) || (typeof v === 'bigint' && v > 0n);
  if (INTEGER_TYPES.has(e.type)) return positive(e.value as GgufScalar);
  if (e.type === 'array') {
    const a = e.value as GgufArray;
    return INTEGER_TYPES.has(a.itemType) && a.length > 0 && (a.items === undefined || a.items.some(positive));
  }
  return false;
}

function describe(e: GgufEntry): string {
  if (e.type === 'array') return `an array of ${(e.value as GgufArray).itemType}`;
  return `${e.type} ${typeof e.value === 'string' ? JSON.stringify(e.value.slice(0, 40)) : String(e.value)}`;
}

/**
 * Checks what llama.cpp needs to load the model without aborting: magic and version (in the parse), the
 * architecture, its required hyper-parameters, and the tokenizer. Throws a GgufFormatError naming the key.
 */
export function validateGgufMetadata(meta: GgufMetadata): void {
  const { entries } = meta;
  const archEntry = entries.get('general.architecture');
  if (!archEntry)
    throw new GgufFormatError('missing metadata key general.architecture', 'general.architecture');
  if (archEntry.type !== 'string' || meta.architecture === '')
    throw new GgufFormatError('general.architecture must be a non-empty string', 'general.architecture');
  const alignment = entries.get('general.alignment');
  if (alignment) {
    const v = alignment.value;
    if (alignment.type !== 'u32' || typeof v !== 'number' || v === 0 || (v & (v - 1)) !== 0)
      throw new GgufFormatError(
        `general.alignment must be a u32 power of two, not ${describe(alignment)}`,
        'general.alignment',
      );
  }
  for (const [key, kind] of requiredKeys(meta.architecture)) {
    const e = entries.get(key);
    if (!e) throw new GgufFormatError(`missing metadata key ${key}`, key);
    if (kind === 'count' && !isCount(e))
      throw new GgufFormatError(`${key} must be a positive integer, not ${describe(e)}`, key);
    if (kind === 'number' && (!NUMBER_TYPES.has(e.type) || !(Number(e.value) > 0)))
      throw new GgufFormatError(`${key} must be a positive number, not ${describe(e)}`, key);
  }

  const model = entries.get('tokenizer.ggml.model');
  if (!model) throw new GgufFormatError('missing metadata key tokenizer.ggml.model', 'tokenizer.ggml.model');
  if (model.type !== 'string' || !TOKENIZER_MODELS.has(model.value as string))
    throw new GgufFormatError(
      `tokenizer.ggml.model must be one of ${[...TOKENIZER_MODELS].join(', ')}, not ${describe(model)}`,
      'tokenizer.ggml.model',
    );
  const tokenizer = model.value as string;
  if (tokenizer === 'none' || tokenizer === 'no_vocab') return;
  const tokens = entries.get('tokenizer.ggml.tokens');
  if (!tokens)
    throw new GgufFormatError('missing metadata key tokenizer.ggml.tokens', 'tokenizer.ggml.tokens');
  if (tokens.type !== 'array' || (tokens.value as GgufArray).itemType !== 'string' || meta.vocabSize === 0)
    throw new GgufFormatError(
      'tokenizer.ggml.tokens must be a non-empty array of strings',
      'tokenizer.ggml.tokens',
    );
  if (tokenizer === 'gpt2') {
    const merges = entries.get('tokenizer.ggml.merges');
    if (!merges)
      throw new GgufFormatError(
        'missing metadata key tokenizer.ggml.merges (required by the gpt2 tokenizer)',
        'tokenizer.ggml.merges',
      );
    if (merges.type !== 'array' || (merges.value as GgufArray).itemType !== 'string')
      throw new GgufFormatError('tokenizer.ggml.merges must be an array of strings', 'tokenizer.ggml.merges');
  }
  for (const key of ['tokenizer.ggml.token_type', 'tokenizer.ggml.scores']) {
    const e = entries.get(key);
    if (e && (e.type !== 'array' || (e.value as GgufArray).length !== meta.vocabSize))
      throw new GgufFormatError(
        `${key} must be an array with one entry per token (${meta.vocabSize}), not ${
          e.type === 'array' ? `${(e.value as GgufArray).length} entries` : describe(e)
        }`,
        key,
      );
  }
  for (const key of [
    'tokenizer.ggml.bos_token_id',
    'tokenizer.ggml.eos_token_id',
    'tokenizer.ggml.unknown_token_id',
    'tokenizer.ggml.padding_token_id',
  ]) {
    const e = entries.get(key);
    if (!e) continue;
    const id = Number(e.value);
    // llama.cpp treats -1 (as u32: 4294967295) as "none"
    if (!INTEGER_TYPES.has(e.type) || id === -1 || id === 0xffffffff) continue;
    if (!Number.isInteger(id) || id < 0 || id >= meta.vocabSize)
      throw new GgufFormatError(`${key} is ${id}, outside the vocabulary (0..${meta.vocabSize - 1})`, key);
  }
  const template = entries.get('tokenizer.chat_template');
  if (template && template.type !== 'string')
    throw new GgufFormatError('tokenizer.chat_template must be a string', 'tokenizer.chat_template');
  if (meta.tensorCount === 0) throw new GgufFormatError('the file has no tensors');
}

/**
 * Reads and validates a model file: the metadata, or a ConfigError (exit 2) naming the file and the key.
 * `display` names the file in the message (default: the path). Any other failure while reading (an
 * allocation or string limit of the runtime, an I/O error) is reported the same way, never as a crash.
 */
export function readGgufMetadata(path: string, display: string = path): GgufMetadata {
  try {
    const meta = parseGgufMetadata(path, display);
    validateGgufMetadata(meta);
    return meta;
  } catch (e) {
    if (e instanceof ConfigError) throw e;
    const message =
      e instanceof GgufFormatError
        ? e.message
        : `cannot read the GGUF metadata (${e instanceof Error ? e.message : String(e)})`;
    throw new ConfigError(message, {
      file: display,
      hint: 'the model file is malformed (llama.cpp would refuse it or crash): re-download or re-convert it, or point local: at another .gguf file',
    });
  }
}
