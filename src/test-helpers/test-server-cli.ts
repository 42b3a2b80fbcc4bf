/**
 * Starts the test server as its own process, for end-to-end tests that spawn the CLI:
 *
 *   node src/test-helpers/test-server-cli.ts --port-file FILE [--latency-ms N] [--max-seconds S]
 *
 * Writes the port to FILE once listening (atomically: the file appears complete). Counters at
 * `GET /__stats` (`{requests, completions, faults, inFlight}`), zeroed by `POST /__reset`.
 * Stops on SIGTERM/SIGINT, or by itself after --max-seconds (default 600) so a crashed test leaves nothing.
 */
import { renameSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { startTestServer } from './test-server.ts';

const { values } = parseArgs({
  options: {
    'port-file': { type: 'string' },
    'latency-ms': { type: 'string', default: '0' },
    'max-seconds': { type: 'string', default: '600' },
  },
});

const latencyMs = Number(values['latency-ms']);
const maxSeconds = Number(values['max-seconds']);
if (!Number.isFinite(latencyMs) || latencyMs < 0) throw new Error('--latency-ms must be a number >= 0');
if (!Number.isFinite(maxSeconds) || maxSeconds <= 0) throw new Error('--max-seconds must be a number > 0');

const server = await startTestServer({ latencyMs });
const portFile = values['port-file'];
if (portFile) {
  writeFileSync(`${portFile}.tmp`, String(server.port));
  renameSync(`${portFile}.tmp`, portFile);
}
process.stdout.write(`test server listening ${server.url} pid=${process.pid}\n`);

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  await server.close();
  process.exit(0);
}
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
setTimeout(() => void stop(), maxSeconds * 1000).unref();
