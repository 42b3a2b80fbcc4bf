import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { canonicalJson } from '../core/canonical-json.ts';
import type { ChatMessage, JsonSchema, ModelSettings, ToolCall, ToolSpec, Usage } from '../core/types.ts';
import { ModelCallError, type ModelPort, type ModelRequest, type ModelResponse } from './model-port.ts';

/**
 * Record / replay of model exchanges at the port level, so it works the same for every provider.
 * `recordingPort` writes each answered call to `DIR/<sha256 of the canonical request>.json`;
 * `replayPort` answers from those files with no network and no API key. Only answered calls are
 * recorded: errors are transient (a 429 today is an answer tomorrow), so a replayed run never repeats one.
 * See docs/models.md, "Record and replay".
 */

const FORMAT = 'assay-recording-v1';

/** What identifies a model call: everything that decides the answer, nothing that authenticates it. */
export interface RecordedRequest {
  /** Configured id (`openai:gpt-4o-mini`). */
  modelId: string;
  /** The vendor's model name. */
  modelName: string;
  messages: ChatMessage[];
  settings: ModelSettings;
  outputSchema?: JsonSchema;
  tools?: ToolSpec[];
  /** The sample index (the run's repeat): repeats of one request are different samples. */
  sample: number;
  /** Probability-weighted judges ask for top log-probabilities. */
  topLogprobs?: number;
}

/** One `<hash>.json` file. */
export interface Recording {
  format: typeof FORMAT;
  request: RecordedRequest;
  response: ModelResponse;
  recordedAt: string;
  assayVersion: string;
}

/** A secret the recording must never contain: named by its variable, so errors can say which. */
export interface SecretValue {
  name: string;
  value: string;
}

export interface RecordingOptions {
  /** Values that must not appear in a recording (API keys, header secrets): such an exchange is refused. */
  secrets?: SecretValue[];
}

export interface ReplayOptions {
  /** The vendor model name, when the config names one (`model:`); else the recorded one, else the id's name. */
  modelName?: string;
}

/** Setting names that could only hold a credential: a request carrying one is never recorded. */
const credentialSetting = /^(api[-_]?key|authorization|headers?|password|secret|access[-_]?token|bearer)$/i;

/**
 * The canonical form of a request: a fixed set of fields copied one by one (never a spread, so the abort
 * signal and any future transport field stay out), messages reduced to role and content.
 */
export function canonicalRequest(
  port: { id: string; modelName: string },
  request: ModelRequest,
): RecordedRequest {
  for (const key of Object.keys(request.settings ?? {}))
    if (credentialSetting.test(key))
      throw new ModelCallError(
        `${port.id}: setting '${key}' looks like a credential; it is not recorded (put keys in apiKeyEnv or headers)`,
        { kind: 'client', retryable: false },
      );
  const out: RecordedRequest = {
    modelId: port.id,
    modelName: port.modelName,
    messages: request.messages.map(canonicalMessage),
    settings: { ...(request.settings ?? {}) },
    sample: request.sample ?? 0,
  };
  if (request.outputSchema !== undefined) out.outputSchema = request.outputSchema;
  if (request.tools !== undefined && request.tools.length > 0) out.tools = request.tools;
  if (request.topLogprobs !== undefined) out.topLogprobs = request.topLogprobs;
  return out;
}

/** Role and content, plus the tool-turn fields when present (absent fields keep older hashes valid). */
function canonicalMessage(m: ChatMessage): ChatMessage {
  const out: ChatMessage = { role: m.role, content: m.content };
  if (m.toolCalls !== undefined && m.toolCalls.length > 0)
    out.toolCalls = m.toolCalls.map((c) => ({
      ...(c.id !== undefined ? { id: c.id } : {}),
      name: c.name,
      arguments: c.arguments,
    }));
  if (m.toolCallId !== undefined) out.toolCallId = m.toolCallId;
  if (m.name !== undefined) out.name = m.name;
  return out;
}

/** The file name stem of a request: sha256 of its canonical JSON (keys sorted at every depth). */
export function requestHash(request: RecordedRequest): string {
  return createHash('sha256').update(`${FORMAT}\n`).update(canonicalJson(request)).digest('hex');
}

/** Path of the recording of a request in `dir`. */
export function recordingPath(dir: string, hash: string): string {
  return join(dir, `${hash}.json`);
}

/** Wraps a port: every answered call is also written to `dir`. Errors pass through unrecorded. */
export function recordingPort(port: ModelPort, dir: string, opts: RecordingOptions = {}): ModelPort {
  const secrets = (opts.secrets ?? []).filter((s) => s.value.length >= 8);
  let ready: Promise<void> | undefined;
  const prepare = () => {
    ready ??= (async () => {
      await mkdir(join(dir, 'models'), { recursive: true });
      const info = { modelId: port.id, provider: port.provider, modelName: port.modelName };
      await writeAtomic(modelInfoPath(dir, port.id), `${JSON.stringify(info, null, 2)}\n`);
    })();
    ready.catch(() => {
      ready = undefined;
    });
    return ready;
  };
  return {
    id: port.id,
    provider: port.provider,
    modelName: port.modelName,
    async generate(request: ModelRequest): Promise<ModelResponse> {
      const canonical = canonicalRequest(port, request);
      const hash = requestHash(canonical);
      const response = await port.generate(request);
      const recording: Recording = {
        format: FORMAT,
        request: canonical,
        response: responseFields(response),
        recordedAt: new Date().toISOString(),
        assayVersion: assayVersion(),
      };
      const text = `${JSON.stringify(JSON.parse(canonicalJson(recording)), null, 2)}\n`;
      for (const s of secrets)
        if (text.includes(s.value) || text.includes(JSON.stringify(s.value).slice(1, -1)))
          throw new ModelCallError(
            `${port.id}: request ${hash.slice(0, 12)} was not recorded: it contains the value of ${s.name}`,
            { kind: 'client', retryable: false },
          );
      try {
        await prepare();
        await writeAtomic(recordingPath(dir, hash), text);
      } catch (e) {
        throw new ModelCallError(
          `${port.id}: cannot write the recording ${recordingPath(dir, hash)}: ${(e as Error).message}`,
          { kind: 'client', retryable: false, cause: e },
        );
      }
      return response;
    },
  };
}

/**
 * A port answering from recordings in `dir`: no network, no API key, no vendor package loaded. A request
 * with no recording is a non-retryable `client` error naming the model, the request hash and its last
 * user message.
 */
export function replayPort(id: string, dir: string, opts: ReplayOptions = {}): ModelPort {
  const colon = id.indexOf(':');
  const provider = colon > 0 ? id.slice(0, colon) : id;
  const name = colon > 0 ? id.slice(colon + 1) : id;
  const modelName = opts.modelName ?? readModelInfo(dir, id)?.modelName ?? name;
  const port: ModelPort = {
    id,
    provider,
    modelName,
    async generate(request: ModelRequest): Promise<ModelResponse> {
      const canonical = canonicalRequest(port, request);
      const hash = requestHash(canonical);
      const file = recordingPath(dir, hash);
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw replayError(`cannot read ${file}`, e);
        throw new ModelCallError(
          `no recording for ${id} request ${hash.slice(0, 12)}: last user message '${excerpt(canonical.messages)}' (record it with --record)`,
          { kind: 'client', retryable: false },
        );
      }
      let recording: Recording;
      try {
        recording = JSON.parse(text) as Recording;
      } catch (e) {
        throw replayError(`recording ${file} is not valid JSON`, e);
      }
      if (canonicalJson(recording?.request) !== canonicalJson(canonical))
        throw replayError(`recording ${file} does not hold the request it is named after (edited?)`);
      return checkedResponse(recording.response, file);
    },
  };
  return port;
}

function replayError(message: string, cause?: unknown): ModelCallError {
  const detail = cause instanceof Error ? `: ${cause.message}` : '';
  return new ModelCallError(`${message}${detail}; record it again with --record`, {
    kind: 'client',
    retryable: false,
    cause,
  });
}

/** The recorded fields of an answer, copied one by one. */
function responseFields(r: ModelResponse): ModelResponse {
  const out: ModelResponse = {
    text: r.text,
    toolCalls: r.toolCalls ?? [],
    usage: { ...(r.usage ?? {}) },
    latencyMs: r.latencyMs,
  };
  if (r.finishReason !== undefined) out.finishReason = r.finishReason;
  if (r.responseModel !== undefined) out.responseModel = r.responseModel;
  if (r.logprobs !== undefined) out.logprobs = r.logprobs;
  return out;
}

function checkedResponse(value: unknown, file: string): ModelResponse {
  const r = value as Partial<ModelResponse> | undefined;
  if (
    !r ||
    typeof r.text !== 'string' ||
    !Array.isArray(r.toolCalls) ||
    typeof r.usage !== 'object' ||
    r.usage === null ||
    typeof r.latencyMs !== 'number'
  )
    throw replayError(`recording ${file} has no valid response (text, toolCalls, usage, latencyMs)`);
  const out: ModelResponse = {
    text: r.text,
    toolCalls: r.toolCalls as ToolCall[],
    usage: { ...(r.usage as Usage) },
    latencyMs: r.latencyMs,
  };
  if (typeof r.finishReason === 'string') out.finishReason = r.finishReason;
  if (typeof r.responseModel === 'string') out.responseModel = r.responseModel;
  if (Array.isArray(r.logprobs)) out.logprobs = r.logprobs;
  return out;
}

/** The last user message, on one line, cut to 60 characters. */
function excerpt(messages: ChatMessage[]): string {
  const last = messages.findLast((m) => m.role === 'user')?.content ?? '';
  const line = last.replace(/\s+/g, ' ').trim();
  return line.length > 60 ? `${line.slice(0, 59)}…` : line;
}

/** `DIR/models/<sha256(id)[:16]>.json`: the vendor model name the recordings were made with. */
function modelInfoPath(dir: string, id: string): string {
  return join(dir, 'models', `${createHash('sha256').update(id).digest('hex').slice(0, 16)}.json`);
}

function readModelInfo(dir: string, id: string): { modelName?: string } | undefined {
  try {
    const info = JSON.parse(readFileSync(modelInfoPath(dir, id), 'utf8')) as {
      modelId?: unknown;
      modelName?: unknown;
    };
    if (info.modelId === id && typeof info.modelName === 'string') return { modelName: info.modelName };
  } catch {
    // no info file (or an unreadable one): the caller falls back to the id's name
  }
  return undefined;
}

/** Temp file in the same folder, then rename: a reader sees the old file or the new one, never half. */
async function writeAtomic(path: string, text: string): Promise<void> {
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(tmp, text);
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}

let version: string | undefined;
function assayVersion(): string {
  version ??= (
    JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
  ).version;
  return version;
}
