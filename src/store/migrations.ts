/**
 * One schema change for both back ends: the same version number means the same tables and columns in SQLite
 * and in PostgreSQL; only the SQL dialect differs (types, auto-increment). Applied once, in its own
 * transaction, and recorded in `schema_migrations`.
 */
export interface StoreMigration {
  /** 1, 2, 3…: strictly increasing, never reused, never edited once released. */
  version: number;
  name: string;
  /** Statements for SQLite (node:sqlite `exec`). */
  sqlite: string;
  /** Statements for PostgreSQL (one simple-protocol query). */
  postgres: string;
}

/**
 * The run store's schema history, oldest first, for both back ends. Policy: only ever append. A released
 * migration is never edited or removed; a change to the schema is a new migration (see docs/store.md).
 * PostgreSQL keeps timestamps as ISO-8601 text (as SQLite does), so they round-trip exactly, and JSON as
 * text (jsonb would reject the NUL characters model text may hold).
 */
export const storeMigrations: readonly StoreMigration[] = [
  {
    version: 1,
    name: 'runs, results and response cache',
    sqlite: `
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
    postgres: `
CREATE TABLE runs (
  seq BIGSERIAL NOT NULL UNIQUE,
  id TEXT PRIMARY KEY,
  status TEXT NOT NULL,
  manifest TEXT NOT NULL,
  planned INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  finished_at TEXT,
  cost DOUBLE PRECISION NOT NULL DEFAULT 0,
  cost_unknown BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX runs_created_at ON runs (created_at, seq);

CREATE TABLE results (
  seq BIGSERIAL PRIMARY KEY,
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
  score DOUBLE PRECISION,
  error TEXT,
  usage TEXT NOT NULL,
  latency_ms DOUBLE PRECISION,
  cost DOUBLE PRECISION,
  attempts INTEGER NOT NULL,
  cached BOOLEAN NOT NULL,
  category TEXT,
  tags TEXT,
  created_at TEXT NOT NULL,
  UNIQUE (run_id, prompt_version, model_id, case_id, repeat)
);
CREATE INDEX results_run_seq ON results (run_id, seq);
CREATE INDEX results_unknown_cost ON results (run_id) WHERE cost IS NULL AND NOT cached;

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
    sqlite: 'ALTER TABLE results ADD COLUMN cluster TEXT;',
    postgres: 'ALTER TABLE results ADD COLUMN cluster TEXT;',
  },
  {
    version: 3,
    name: 'prompt versions and label history',
    sqlite: `
CREATE TABLE prompt_versions (
  name TEXT NOT NULL,
  version TEXT NOT NULL,
  file TEXT NOT NULL,
  source TEXT NOT NULL,
  parent TEXT,
  author TEXT,
  git_commit TEXT,
  message TEXT,
  created_at TEXT NOT NULL,
  PRIMARY KEY (name, version)
);
CREATE INDEX prompt_versions_created ON prompt_versions (name, created_at);

CREATE TABLE label_events (
  name TEXT NOT NULL,
  label TEXT NOT NULL,
  version TEXT NOT NULL,
  previous TEXT,
  moved_at TEXT NOT NULL,
  author TEXT,
  message TEXT,
  PRIMARY KEY (name, label, moved_at, version)
);
`,
    postgres: `
CREATE TABLE prompt_versions (
  seq BIGSERIAL NOT NULL UNIQUE,
  name TEXT NOT NULL,
  version TEXT NOT NULL,
  file TEXT NOT NULL,
  source TEXT NOT NULL,
  parent TEXT,
  author TEXT,
  git_commit TEXT,
  message TEXT,
  created_at TEXT NOT NULL,
  PRIMARY KEY (name, version)
);
CREATE INDEX prompt_versions_created ON prompt_versions (name, created_at);

CREATE TABLE label_events (
  seq BIGSERIAL NOT NULL UNIQUE,
  name TEXT NOT NULL,
  label TEXT NOT NULL,
  version TEXT NOT NULL,
  previous TEXT,
  moved_at TEXT NOT NULL,
  author TEXT,
  message TEXT,
  PRIMARY KEY (name, label, moved_at, version)
);
`,
  },
  {
    version: 4,
    name: 'human annotations mirrored from annotations/<suite>.jsonl',
    // record_hash is sha256 of the whole record (annotationRecordHash): re-mirroring a file is a no-op, yet
    // two different lines sharing (key, annotator, at), as an import stamps them, are both kept. at_ms
    // orders by time whatever offset `at` was written with.
    sqlite: `
CREATE TABLE annotations (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  suite TEXT NOT NULL,
  key TEXT NOT NULL,
  run_id TEXT,
  case_id TEXT NOT NULL,
  prompt_version TEXT,
  annotator TEXT NOT NULL,
  verdict TEXT CHECK (verdict IN ('pass', 'fail')),
  score REAL,
  retracted INTEGER NOT NULL DEFAULT 0,
  note TEXT,
  at TEXT NOT NULL,
  at_ms INTEGER NOT NULL,
  record_hash TEXT NOT NULL,
  UNIQUE (suite, record_hash)
);
CREATE INDEX annotations_at ON annotations (at_ms, seq);
CREATE INDEX annotations_suite_key ON annotations (suite, key);
`,
    postgres: `
CREATE TABLE annotations (
  seq BIGSERIAL PRIMARY KEY,
  suite TEXT NOT NULL,
  key TEXT NOT NULL,
  run_id TEXT,
  case_id TEXT NOT NULL,
  prompt_version TEXT,
  annotator TEXT NOT NULL,
  verdict TEXT CHECK (verdict IN ('pass', 'fail')),
  score DOUBLE PRECISION,
  retracted BOOLEAN NOT NULL DEFAULT FALSE,
  note TEXT,
  at TEXT NOT NULL,
  at_ms BIGINT NOT NULL,
  record_hash TEXT NOT NULL,
  UNIQUE (suite, record_hash)
);
CREATE INDEX annotations_at ON annotations (at_ms, seq);
CREATE INDEX annotations_suite_key ON annotations (suite, key);
`,
  },
  {
    version: 5,
    name: 'results keep the trajectory of agent loops and conversations',
    sqlite: 'ALTER TABLE results ADD COLUMN trajectory TEXT;',
    postgres: 'ALTER TABLE results ADD COLUMN trajectory TEXT;',
  },
  {
    version: 6,
    name: 'results keep the finish reason (truncation in the structured-output funnel)',
    sqlite: 'ALTER TABLE results ADD COLUMN finish_reason TEXT;',
    postgres: 'ALTER TABLE results ADD COLUMN finish_reason TEXT;',
  },
];
