/**
 * Client CPU per model call: raw fetch vs the model adapters, against the test server running in its own
 * process (so its CPU is not counted). Not a test; run by hand:
 *
 *   node bench/model-overhead.ts [--calls 3000] [--warmup 300] [--concurrency 1] [--rounds 3]
 *
 * Prints, per variant, the median over rounds of CPU ms per call (user + system of this process) and wall ms.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { ModelConfig } from '../src/core/config/project.ts';
import type { ModelPort, ModelRequest } from '../src/models/model-port.ts';
import { createModelRegistry } from '../src/models/model-registry.ts';

const { values } = parseArgs({
  options: {
    calls: { type: 'string', default: '3000' },
    warmup: { type: 'string', default: '300' },
    concurrency: { type: 'string', default: '1' },
    rounds: { type: 'string', default: '3' },
  },
});
const CALLS = Number(values.calls);
const WARMUP = Number(values.warmup);
const CONCURRENCY = Number(values.concurrency);
const ROUNDS = Number(values.rounds);

const dir = mkdtempSync(join(tmpdir(), 'assay-bench-'));
const portFile = join(dir, 'port');
const server = spawn(
  process.execPath,
  [join(import.meta.dirname, '../src/test-helpers/test-server-cli.ts'), '--port-file', portFile],
  { stdio: 'ignore' },
);
try {
  const deadline = Date.now() + 10_000;
  while (!existsSync(portFile)) {
    if (Date.now() > deadline) throw new Error('test server did not start');
    await new Promise((r) => setTimeout(r, 20));
  }
  const baseUrl = `http://127.0.0.1:${readFileSync(portFile, 'utf8')}/v1`;
  const env = { OPENAI_API_KEY: 'sk-bench', BENCH_KEY: 'sk-bench' };

  const request = (i: number): ModelRequest => ({
    messages: [
      { role: 'system', content: 'You are a support assistant. Answer briefly and politely.' },
      { role: 'user', content: `Case ${i}: my order #${1000 + i} arrived broken, what can I do?` },
    ],
    settings: { temperature: 0, maxTokens: 200 },
  });

  const rawFetch = async (i: number) => {
    const r = request(i);
    const res = await fetch(`${baseUrl}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer sk-bench' },
      body: JSON.stringify({ model: 'm', messages: r.messages, temperature: 0, max_tokens: 200 }),
    });
    const body = (await res.json()) as { choices: { message: { content: string } }[] };
    return body.choices[0]?.message.content;
  };

  const portOf = (config: ModelConfig): ModelPort =>
    createModelRegistry([config], { root: dir, env }).resolve(config.id);
  const variants: [string, (i: number) => Promise<unknown>][] = [['raw fetch + JSON.parse', rawFetch]];
  const add = (label: string, config: ModelConfig) => {
    const p = portOf(config);
    variants.push([label, (i) => p.generate(request(i))]);
  };
  add('ai-sdk openai-compatible', { id: 'openai-compatible:m', baseUrl, apiKeyEnv: 'BENCH_KEY' });
  add('ai-sdk openai .chat()', { id: 'openai:gpt-4o-mini', baseUrl });
  add('direct openai-compatible', {
    id: 'openai-compatible:d',
    baseUrl,
    apiKeyEnv: 'BENCH_KEY',
    adapter: 'direct',
  });
  add('fake (no HTTP)', { id: 'fake:echo' });

  async function run(fn: (i: number) => Promise<unknown>, n: number): Promise<void> {
    let next = 0;
    const worker = async () => {
      while (next < n) await fn(next++);
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  }

  const results = new Map<string, { cpu: number[]; wall: number[] }>();
  for (let round = 0; round < ROUNDS; round++) {
    for (const [label, fn] of variants) {
      await run(fn, WARMUP);
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      await run(fn, CALLS);
      const c = process.cpuUsage(c0);
      const wall = performance.now() - t0;
      const r = results.get(label) ?? { cpu: [], wall: [] };
      r.cpu.push((c.user + c.system) / 1000 / CALLS);
      r.wall.push(wall / CALLS);
      results.set(label, r);
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
  const base = median(results.get('raw fetch + JSON.parse')?.cpu ?? [0]);
  console.log(
    `node ${process.version}, ${CALLS} calls × ${ROUNDS} rounds, concurrency ${CONCURRENCY}, server in its own process`,
  );
  console.log('variant                       cpu ms/call   over raw   wall ms/call');
  for (const [label, r] of results) {
    const cpu = median(r.cpu);
    const over = `${cpu - base >= 0 ? '+' : ''}${(cpu - base).toFixed(3)}`;
    console.log(
      `${label.padEnd(30)}${cpu.toFixed(3).padStart(11)}${over.padStart(11)}${median(r.wall).toFixed(3).padStart(15)}`,
    );
  }
} finally {
  server.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
}
