/**
 * Write throughput of the SQLite run store: 5,000 realistic results in batches of 50 to a temp file, as the
 * engine writes them. Not a test. Run: `node bench/store-write.ts [results] [batch]`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ResultRecord, RunManifest } from '../src/core/types.ts';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.ts';

const total = Number(process.argv[2] ?? 5000);
const batchSize = Number(process.argv[3] ?? 50);
const dir = mkdtempSync(join(tmpdir(), 'assay-bench-'));
const store = openSqliteStore(join(dir, 'assay.db'));
const runId = 'bench-run';
const manifest = {
  schemaVersion: 1,
  project: 'bench',
  createdAt: new Date().toISOString(),
} as unknown as RunManifest;
await store.createRun({ id: runId, manifest, planned: total });

const output = 'Thanks for reaching out! I have started a refund for order #1234. '.repeat(8); // ~540 chars
const results: ResultRecord[] = Array.from({ length: total }, (_, i) => ({
  runId,
  prompt: 'support',
  promptVersion: 'sha256-3f2a9c0d',
  modelId: 'openai:gpt-4o-mini',
  caseId: `case-${i}`,
  repeat: 0,
  status: i % 10 === 0 ? 'fail' : 'pass',
  output,
  toolCalls: [{ id: 'call_1', name: 'refund', arguments: { order: 1234 } }],
  checks: [
    { type: 'contains', pass: true, reason: 'found "refund"' },
    { type: 'json-schema', pass: true, score: 1, reason: 'valid' },
    {
      type: 'llm-rubric',
      pass: i % 10 !== 0,
      score: 0.8,
      reason: 'polite and correct',
      details: { judge: 'j1' },
    },
  ],
  score: 0.93,
  usage: { inputTokens: 812, outputTokens: 140, totalTokens: 952 },
  latencyMs: 734.2,
  cost: i % 50 === 0 ? null : 0.000206,
  attempts: 1,
  cached: false,
  category: 'representative',
  tags: ['billing', 'refund'],
  createdAt: new Date().toISOString(),
}));

const cpu0 = process.cpuUsage();
const t0 = performance.now();
for (let i = 0; i < total; i += batchSize) await store.writeResults(results.slice(i, i + batchSize));
const wallMs = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);
const cpuMs = (cpu.user + cpu.system) / 1000;

const t1 = performance.now();
let n = 0;
for await (const _ of store.iterateResults(runId)) n++;
const readMs = performance.now() - t1;
await store.close();
rmSync(dir, { recursive: true, force: true });

const us = (ms: number) => ((ms * 1000) / total).toFixed(1);
console.log(`node ${process.version}: wrote ${total} results in batches of ${batchSize}`);
console.log(
  `  write: ${wallMs.toFixed(1)} ms wall, ${cpuMs.toFixed(1)} ms CPU → ${us(cpuMs)} µs CPU per result`,
);
console.log(`  read back ${n} with iterateResults: ${readMs.toFixed(1)} ms (${us(readMs)} µs per result)`);
