/** One schema change. Applied once, in its own transaction, and recorded in `schema_migrations`. */
export interface Migration {
  /** 1, 2, 3…: strictly increasing, never reused, never edited once released. */
  version: number;
  name: string;
  /** One or more statements, run with `exec`. */
  sql: string;
}

/**
 * The SQLite store's schema history, oldest first. Policy: only ever append. A released migration is never
 * edited or removed; a change to the schema is a new migration (see docs/store.md).
 */
export const migrations: readonly Migration[] = [
  {
    version: 1,
    name: 'runs, results and response cache',
    sql: `
CREATE TABLE runs (
  id TEXT PRIMARY KEY,
  status TEXT NOT NULL,
  manifest TEXT NOT NULL,
  planned INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  finished_at TEXT,
  cost REAL NOT NULL DEFAULT 0,
  cost_unknown INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX runs_created_at ON runs (created_at);

CREATE TABLE results (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  prompt TEXT NOT NULL,
  prompt_version TEXT NOT NULL,
  model_id TEXT NOT NULL,
  case_id TEXT NOT NULL,
  repeat INTEGER NOT NULL,
  status TEXT NOT NULL,
  output TEXT,
  tool_calls TEXT,
  checks TEXT NOT NULL,
  score REAL,
  error TEXT,
  usage TEXT NOT NULL,
  latency_ms REAL,
  cost REAL,
  attempts INTEGER NOT NULL,
  cached INTEGER NOT NULL,
  category TEXT,
  tags TEXT,
  created_at TEXT NOT NULL,
  UNIQUE (run_id, prompt_version, model_id, case_id, repeat)
);
CREATE INDEX results_run_seq ON results (run_id, seq);
CREATE INDEX results_unknown_cost ON results (run_id) WHERE cost IS NULL AND cached = 0;

CREATE TABLE cache (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL,
  created_at TEXT NOT NULL
);
`,
  },
  {
    version: 2,
    name: 'results keep the case cluster',
    sql: 'ALTER TABLE results ADD COLUMN cluster TEXT;',
  },
];
