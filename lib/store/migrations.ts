/**
 * The operations database's schema, one entry per version: entry i takes `PRAGMA user_version`
 * from i to i+1. Append only; never edit an entry that has shipped.
 */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE backups (
    id INTEGER PRIMARY KEY,
    host TEXT NOT NULL,
    path TEXT NOT NULL,
    name TEXT NOT NULL,
    created_at TEXT NOT NULL,
    size_bytes INTEGER NOT NULL,
    manifest_sha256 TEXT NOT NULL CHECK (length(manifest_sha256) = 64),
    encrypted INTEGER NOT NULL DEFAULT 0,
    verified INTEGER NOT NULL DEFAULT 0,
    verified_at TEXT,
    recorded_at TEXT NOT NULL,
    UNIQUE (host, path)
  );
  CREATE INDEX backups_newest ON backups (host, verified, created_at);

  CREATE TABLE restore_tests (
    id INTEGER PRIMARY KEY,
    host TEXT NOT NULL,
    backup_path TEXT NOT NULL,
    backup_name TEXT,
    manifest_sha256 TEXT,
    target TEXT NOT NULL,
    started_at TEXT NOT NULL,
    duration_ms INTEGER NOT NULL,
    ok INTEGER NOT NULL,
    failed_steps TEXT NOT NULL,
    steps TEXT NOT NULL
  );
  CREATE INDEX restore_tests_newest ON restore_tests (host, ok, started_at);

  CREATE TABLE audit_runs (
    id INTEGER PRIMARY KEY,
    host TEXT NOT NULL,
    profile TEXT NOT NULL,
    started_at TEXT NOT NULL,
    finished_at TEXT NOT NULL,
    passed INTEGER NOT NULL,
    failed INTEGER NOT NULL,
    waived INTEGER NOT NULL,
    exit_code INTEGER NOT NULL,
    summary TEXT NOT NULL
  );
  CREATE INDEX audit_runs_newest ON audit_runs (host, started_at);

  CREATE TABLE attestations (
    id INTEGER PRIMARY KEY,
    check_id TEXT NOT NULL,
    host TEXT NOT NULL,
    statement TEXT NOT NULL,
    attested_by TEXT NOT NULL,
    attested_at TEXT NOT NULL,
    expires_at TEXT
  );
  CREATE INDEX attestations_check ON attestations (check_id, host, attested_at);

  CREATE TABLE token_rotations (
    id INTEGER PRIMARY KEY,
    host TEXT NOT NULL,
    kind TEXT NOT NULL,
    fingerprint TEXT NOT NULL CHECK (fingerprint GLOB 'sha256:[0-9a-f]*' AND length(fingerprint) = 19),
    rotated_at TEXT NOT NULL,
    actor TEXT NOT NULL,
    reason TEXT NOT NULL
  );
  CREATE INDEX token_rotations_newest ON token_rotations (host, kind, rotated_at);
  `,
];

export const SCHEMA_VERSION = MIGRATIONS.length;
