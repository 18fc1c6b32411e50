import { scrub } from '../secrets/index.js';
import type { OpsStore } from './open.js';

export interface RestoreTestStepRecord {
  name: string;
  status: 'passed' | 'failed' | 'skipped';
  detail: string;
  durationMs: number;
}

export interface RestoreTestRecord {
  /** The host the backup came from. */
  host: string;
  backupPath: string;
  backupName: string | null;
  manifestSha256: string | null;
  /** Where the restore ran: `local-temp`, or the clean host's name. */
  target: string;
  startedAt: string;
  durationMs: number;
  ok: boolean;
  failedSteps: string[];
  steps: RestoreTestStepRecord[];
}

interface RestoreTestRow {
  host: string;
  backup_path: string;
  backup_name: string | null;
  manifest_sha256: string | null;
  target: string;
  started_at: string;
  duration_ms: number;
  ok: number;
  failed_steps: string;
  steps: string;
}

function fromRow(row: RestoreTestRow): RestoreTestRecord {
  return {
    host: row.host,
    backupPath: row.backup_path,
    backupName: row.backup_name,
    manifestSha256: row.manifest_sha256,
    target: row.target,
    startedAt: row.started_at,
    durationMs: row.duration_ms,
    ok: row.ok === 1,
    failedSteps: JSON.parse(row.failed_steps) as string[],
    steps: JSON.parse(row.steps) as RestoreTestStepRecord[],
  };
}

/** Step details pass through `scrub`, so a secret that slipped into an error message is not stored. */
export function recordRestoreTest(store: OpsStore, record: RestoreTestRecord): void {
  store.db
    .prepare(
      `INSERT INTO restore_tests (host, backup_path, backup_name, manifest_sha256, target, started_at, duration_ms, ok, failed_steps, steps)
       VALUES (@host, @backupPath, @backupName, @manifestSha256, @target, @startedAt, @durationMs, @ok, @failedSteps, @steps)`,
    )
    .run({
      ...record,
      backupPath: scrub(record.backupPath),
      ok: record.ok ? 1 : 0,
      failedSteps: JSON.stringify(record.failedSteps),
      steps: scrub(JSON.stringify(record.steps.map(({ name, status, detail, durationMs }) => ({ name, status, detail, durationMs })))),
    });
}

/** The newest restore test that passed, for one host or any; `backup.restore-tested` reads it. */
export function newestSuccessfulRestoreTest(store: OpsStore, host?: string): RestoreTestRecord | null {
  const row = store.db
    .prepare(`SELECT * FROM restore_tests WHERE ok = 1 AND (@host IS NULL OR host = @host) ORDER BY started_at DESC, id DESC LIMIT 1`)
    .get({ host: host ?? null }) as RestoreTestRow | undefined;
  return row ? fromRow(row) : null;
}

/** The newest restore test whatever its outcome (for status displays). */
export function newestRestoreTest(store: OpsStore, host?: string): RestoreTestRecord | null {
  const row = store.db
    .prepare(`SELECT * FROM restore_tests WHERE (@host IS NULL OR host = @host) ORDER BY started_at DESC, id DESC LIMIT 1`)
    .get({ host: host ?? null }) as RestoreTestRow | undefined;
  return row ? fromRow(row) : null;
}
