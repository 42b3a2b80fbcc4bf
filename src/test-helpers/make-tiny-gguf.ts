import { writeFileSync } from 'node:fs';

/**
 * Writes a tiny llama-architecture GGUF (v3, all F32) that llama.cpp loads and runs: a byte-level
 * gpt2 tokenizer (256 byte tokens, a few merges, ChatML control tokens), one transformer block.
 * See ../shared/research/local-llm.md §2 for the recipe and its traps.
 *
 * In `bigram` mode (the default) the weights are programmed so that the model answers `reply` and then
 * ends (`<|im_end|>`) whatever the prompt, as long as the prompt's last token is not one of the reply's
 * tokens (a chat template ends with a newline, so any chat prompt works): every layer's output projections
 * are zero, so the residual stream is the current token's embedding and the next token is a table lookup,
 * with a logit margin far above float noise. `random` mode gives deterministic gibberish.
 *
 * About 100 KB, generated in a few milliseconds.
 */

/** A metadata value with its GGUF type. */
export type TinyGgufValue =
  | { type: 'u32'; value: number }
  | { type: 'i32'; value: number }
  | { type: 'u64'; value: number }
  | { type: 'f32'; value: number }
  | { type: 'bool'; value: boolean }
  | { type: 'string'; value: string }
  | { type: 'string[]'; value: string[] }
  | { type: 'i32[]'; value: number[] }
  | { type: 'f32[]'; value: number[] };

export interface TinyGgufOptions {
  /**
   * What the model answers (bigram mode). A string is split into bytes; an array gives the tokens
   * themselves (pieces longer than one byte are added to the vocabulary), so a reply may repeat a
   * character as long as no piece repeats: `['{"', 'ok', '":', 'true', '}']`. Default `Hi!`.
   */
  reply?: string | string[];
  /** `bigram` (default): answers `reply`; `random`: random weights. */
  weights?: 'bigram' | 'random';
  /** Jinja chat template stored in `tokenizer.chat_template`; `false` for none. Default: ChatML. */
  chatTemplate?: string | false;
  /** Metadata keys to leave out (for malformed-file tests), e.g. `llama.context_length`. */
  omitKeys?: string[];
  /** Metadata to set or replace (e.g. `general.alignment` as u64, a wrong type). */
  setKeys?: Record<string, TinyGgufValue>;
  /** `general.name`. Default `tiny-test-llama`. */
  name?: string;
  /** PRNG seed for the noise and random weights. Default 1. */
  seed?: number;
}

/** The ChatML template (auto-detected by node-llama-cpp as ChatMLChatWrapper). */
export const CHATML_TEMPLATE =
  "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

const N_EMBD = 32;
const N_HEAD = 4;
const N_FF = 64;
const N_LAYER = 1;
const CONTEXT_LENGTH = 2048;
const ALIGNMENT = 32;

const TYPE_ID = {
  u32: 4,
  i32: 5,
  f32: 6,
  bool: 7,
  string: 8,
  array: 9,
  u64: 10,
} as const;

/** GPT-2's byte → printable unicode character table (space → Ġ, newline → Ċ). */
function byteToUnicode(): string[] {
  const printable: number[] = [];
  for (let b = 33; b <= 126; b++) printable.push(b);
  for (let b = 161; b <= 172; b++) printable.push(b);
  for (let b = 174; b <= 255; b++) printable.push(b);
  const table: string[] = new Array(256);
  for (const b of printable) table[b] = String.fromCodePoint(b);
  let n = 0;
  for (let b = 0; b < 256; b++) if (table[b] === undefined) table[b] = String.fromCodePoint(256 + n++);
  return table;
}

const BYTE_CHARS = byteToUnicode();

/** A piece of text in the tokenizer's byte-unicode spelling. */
function spell(text: string): string {
  let out = '';
  for (const b of Buffer.from(text, 'utf8')) out += BYTE_CHARS[b];
  return out;
}

/** The vocabulary: token strings (byte-unicode spelling), their types, merges, special ids. */
interface Vocab {
  tokens: string[];
  types: number[];
  merges: string[];
  bos: number;
  eos: number;
  /** Token id of a plain-text piece. */
  idOf(piece: string): number;
}

const MERGES: [string, string][] = [
  [' ', 't'],
  ['h', 'e'],
  ['i', 'n'],
  [' ', 'a'],
];

function buildVocab(extraPieces: string[]): Vocab {
  const tokens: string[] = [...BYTE_CHARS];
  const types: number[] = tokens.map(() => 1);
  const ids = new Map<string, number>(tokens.map((t, i) => [t, i]));
  const add = (spelled: string, type: number) => {
    if (ids.has(spelled)) return;
    ids.set(spelled, tokens.length);
    tokens.push(spelled);
    types.push(type);
  };
  const merges = MERGES.map(([a, b]) => `${spell(a)} ${spell(b)}`);
  for (const [a, b] of MERGES) add(spell(a) + spell(b), 1);
  for (const piece of extraPieces) add(spell(piece), 1);
  for (const special of ['<|endoftext|>', '<|im_start|>', '<|im_end|>']) add(special, 3);
  return {
    tokens,
    types,
    merges,
    bos: ids.get('<|endoftext|>') as number,
    eos: ids.get('<|im_end|>') as number,
    idOf(piece) {
      const id = ids.get(spell(piece));
      if (id === undefined) throw new Error(`makeTinyGguf: '${piece}' is not a token`);
      return id;
    },
  };
}

/** mulberry32 + Box–Muller: deterministic normal samples. */
function normalSource(seed: number): (std: number) => number {
  let a = seed >>> 0;
  const uniform = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return (std) => {
    const u = Math.max(uniform(), 1e-12);
    return std * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * uniform());
  };
}

interface Tensor {
  name: string;
  /** ggml order: dims[0] is the row length (the input features of a weight matrix). */
  dims: number[];
  data: Float32Array;
}

function buildTensors(vocab: Vocab, replyIds: number[] | undefined, seed: number): Tensor[] {
  const normal = normalSource(seed);
  const nVocab = vocab.tokens.length;
  const filled = (n: number, f: (i: number) => number) => Float32Array.from({ length: n }, (_, i) => f(i));
  const gauss = (n: number, std: number) => filled(n, () => normal(std));
  const ones = (n: number) => filled(n, () => 1);
  const bigram = replyIds !== undefined;

  let embd: Float32Array;
  let output: Float32Array;
  if (bigram) {
    // Feature 0 is on for every token; reply token k also owns feature k + 1.
    embd = filled(N_EMBD * nVocab, (i) => (i % N_EMBD === 0 ? 1 : 0) + normal(0.01));
    output = new Float32Array(N_EMBD * nVocab);
    replyIds.forEach((id, k) => {
      embd[id * N_EMBD + k + 1] = 4;
    });
    output[(replyIds[0] as number) * N_EMBD] = 5;
    replyIds.forEach((_, k) => {
      const next = replyIds[k + 1] ?? vocab.eos;
      output[next * N_EMBD + k + 1] = (output[next * N_EMBD + k + 1] as number) + 10;
    });
  } else {
    embd = gauss(N_EMBD * nVocab, 1);
    output = gauss(N_EMBD * nVocab, 1);
  }

  const tensors: Tensor[] = [{ name: 'token_embd.weight', dims: [N_EMBD, nVocab], data: embd }];
  for (let l = 0; l < N_LAYER; l++) {
    const p = `blk.${l}`;
    const zeroIfBigram = (n: number) => (bigram ? new Float32Array(n) : gauss(n, 0.02));
    tensors.push(
      { name: `${p}.attn_norm.weight`, dims: [N_EMBD], data: ones(N_EMBD) },
      { name: `${p}.attn_q.weight`, dims: [N_EMBD, N_EMBD], data: gauss(N_EMBD * N_EMBD, 0.02) },
      { name: `${p}.attn_k.weight`, dims: [N_EMBD, N_EMBD], data: gauss(N_EMBD * N_EMBD, 0.02) },
      { name: `${p}.attn_v.weight`, dims: [N_EMBD, N_EMBD], data: gauss(N_EMBD * N_EMBD, 0.02) },
      { name: `${p}.attn_output.weight`, dims: [N_EMBD, N_EMBD], data: zeroIfBigram(N_EMBD * N_EMBD) },
      { name: `${p}.ffn_norm.weight`, dims: [N_EMBD], data: ones(N_EMBD) },
      { name: `${p}.ffn_gate.weight`, dims: [N_EMBD, N_FF], data: gauss(N_EMBD * N_FF, 0.02) },
      { name: `${p}.ffn_up.weight`, dims: [N_EMBD, N_FF], data: gauss(N_EMBD * N_FF, 0.02) },
      { name: `${p}.ffn_down.weight`, dims: [N_FF, N_EMBD], data: zeroIfBigram(N_FF * N_EMBD) },
    );
  }
  tensors.push(
    { name: 'output_norm.weight', dims: [N_EMBD], data: ones(N_EMBD) },
    { name: 'output.weight', dims: [N_EMBD, nVocab], data: output },
  );
  return tensors;
}

/** Little-endian byte sink. */
class Sink {
  readonly parts: Buffer[] = [];
  length = 0;
  push(b: Buffer): void {
    this.parts.push(b);
    this.length += b.length;
  }
  u32(v: number): void {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(v);
    this.push(b);
  }
  i32(v: number): void {
    const b = Buffer.alloc(4);
    b.writeInt32LE(v);
    this.push(b);
  }
  u64(v: number): void {
    const b = Buffer.alloc(8);
    b.writeBigUInt64LE(BigInt(v));
    this.push(b);
  }
  f32(v: number): void {
    const b = Buffer.alloc(4);
    b.writeFloatLE(v);
    this.push(b);
  }
  str(s: string): void {
    const b = Buffer.from(s, 'utf8');
    this.u64(b.length);
    this.push(b);
  }
  pad(alignment: number): void {
    const n = (alignment - (this.length % alignment)) % alignment;
    if (n > 0) this.push(Buffer.alloc(n));
  }
}

function writeValue(out: Sink, v: TinyGgufValue): void {
  switch (v.type) {
    case 'u32':
      out.u32(TYPE_ID.u32);
      out.u32(v.value);
      return;
    case 'i32':
      out.u32(TYPE_ID.i32);
      out.i32(v.value);
      return;
    case 'u64':
      out.u32(TYPE_ID.u64);
      out.u64(v.value);
      return;
    case 'f32':
      out.u32(TYPE_ID.f32);
      out.f32(v.value);
      return;
    case 'bool':
      out.u32(TYPE_ID.bool);
      out.push(Buffer.from([v.value ? 1 : 0]));
      return;
    case 'string':
      out.u32(TYPE_ID.string);
      out.str(v.value);
      return;
    case 'string[]':
      out.u32(TYPE_ID.array);
      out.u32(TYPE_ID.string);
      out.u64(v.value.length);
      for (const s of v.value) out.str(s);
      return;
    case 'i32[]':
      out.u32(TYPE_ID.array);
      out.u32(TYPE_ID.i32);
      out.u64(v.value.length);
      for (const n of v.value) out.i32(n);
      return;
    case 'f32[]':
      out.u32(TYPE_ID.array);
      out.u32(TYPE_ID.f32);
      out.u64(v.value.length);
      for (const n of v.value) out.f32(n);
  }
}

/** The bytes of a tiny GGUF model. */
export function makeTinyGguf(options: TinyGgufOptions = {}): Buffer {
  const bigram = (options.weights ?? 'bigram') === 'bigram';
  const reply = options.reply ?? 'Hi!';
  const pieces = typeof reply === 'string' ? [...Buffer.from(reply, 'utf8')].map((b) => [b]) : undefined;
  const textPieces = typeof reply === 'string' ? [] : reply;
  const vocab = buildVocab(textPieces.filter((p) => Buffer.byteLength(p) > 1));
  let replyIds: number[] | undefined;
  if (bigram) {
    replyIds = pieces ? pieces.map(([b]) => b as number) : textPieces.map((p) => vocab.idOf(p));
    if (replyIds.length === 0 || replyIds.length >= N_EMBD)
      throw new Error(`makeTinyGguf: the reply must have 1 to ${N_EMBD - 1} tokens`);
    if (new Set(replyIds).size !== replyIds.length)
      throw new Error('makeTinyGguf: the reply repeats a token; give it as distinct pieces');
  }

  const kv = new Map<string, TinyGgufValue>([
    ['general.architecture', { type: 'string', value: 'llama' }],
    ['general.name', { type: 'string', value: options.name ?? 'tiny-test-llama' }],
    ['general.file_type', { type: 'u32', value: 0 }],
    ['general.alignment', { type: 'u32', value: ALIGNMENT }],
    ['llama.context_length', { type: 'u32', value: CONTEXT_LENGTH }],
    ['llama.embedding_length', { type: 'u32', value: N_EMBD }],
    ['llama.block_count', { type: 'u32', value: N_LAYER }],
    ['llama.feed_forward_length', { type: 'u32', value: N_FF }],
    ['llama.attention.head_count', { type: 'u32', value: N_HEAD }],
    ['llama.attention.head_count_kv', { type: 'u32', value: N_HEAD }],
    ['llama.attention.layer_norm_rms_epsilon', { type: 'f32', value: 1e-5 }],
    ['llama.rope.dimension_count', { type: 'u32', value: N_EMBD / N_HEAD }],
    ['llama.rope.freq_base', { type: 'f32', value: 10000 }],
    ['llama.vocab_size', { type: 'u32', value: vocab.tokens.length }],
    ['tokenizer.ggml.model', { type: 'string', value: 'gpt2' }],
    ['tokenizer.ggml.pre', { type: 'string', value: 'gpt-2' }],
    ['tokenizer.ggml.tokens', { type: 'string[]', value: vocab.tokens }],
    ['tokenizer.ggml.token_type', { type: 'i32[]', value: vocab.types }],
    ['tokenizer.ggml.merges', { type: 'string[]', value: vocab.merges }],
    ['tokenizer.ggml.bos_token_id', { type: 'u32', value: vocab.bos }],
    ['tokenizer.ggml.eos_token_id', { type: 'u32', value: vocab.eos }],
    ['tokenizer.ggml.add_bos_token', { type: 'bool', value: false }],
    ['tokenizer.ggml.add_eos_token', { type: 'bool', value: false }],
  ]);
  const template = options.chatTemplate ?? CHATML_TEMPLATE;
  if (template !== false) kv.set('tokenizer.chat_template', { type: 'string', value: template });
  for (const key of options.omitKeys ?? []) kv.delete(key);
  for (const [key, value] of Object.entries(options.setKeys ?? {})) kv.set(key, value);

  const tensors = buildTensors(vocab, replyIds, options.seed ?? 1);
  const alignment = ALIGNMENT;
  const out = new Sink();
  out.push(Buffer.from('GGUF', 'latin1'));
  out.u32(3);
  out.u64(tensors.length);
  out.u64(kv.size);
  for (const [key, value] of kv) {
    out.str(key);
    writeValue(out, value);
  }
  let offset = 0;
  for (const t of tensors) {
    out.str(t.name);
    out.u32(t.dims.length);
    for (const d of t.dims) out.u64(d);
    out.u32(0); // GGML_TYPE_F32
    out.u64(offset);
    offset += Math.ceil(t.data.byteLength / alignment) * alignment;
  }
  out.pad(alignment); // llama.cpp aligns the start of the tensor data
  for (const t of tensors) {
    out.push(Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength));
    out.pad(alignment);
  }
  return Buffer.concat(out.parts, out.length);
}

/** Writes a tiny GGUF model to `path` and returns the path. */
export function writeTinyGguf(path: string, options: TinyGgufOptions = {}): string {
  writeFileSync(path, makeTinyGguf(options));
  return path;
}
