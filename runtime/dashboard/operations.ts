import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { listBackupRecords, newestAuditRun, newestRestoreTest } from '../../lib/store/index.js';
import type { OpsStore } from '../../lib/store/index.js';

export interface OperationsSummary {
  /** Where the records come from, or null when no operations database is configured or present. */
  source: string | null;
  audit: { host: string; profile: string; finishedAt: string; passed: number; failed: number; waived: number; exitCode: number } | null;
  backup: { host: string; name: string; createdAt: string; encrypted: boolean; verified: boolean } | null;
  restoreTest: { host: string; target: string; startedAt: string; ok: boolean; failedSteps: string[] } | null;
}

const NONE: OperationsSummary = { source: null, audit: null, backup: null, restoreTest: null };

function attempt<T>(read: () => T): T | null {
  try {
    return read();
  } catch {
    return null; // an older store without this table: nothing recorded
  }
}

/**
 * The latest audit, backup and restore test from the operations database, opened read-only and
 * never created; only fields fit for a dashboard (no paths to backup files, no summaries).
 */
export function readOperations(path: string | undefined): OperationsSummary {
  if (!path || !existsSync(path)) return NONE;
  const db = new Database(path, { readonly: true, fileMustExist: true });
  const store: OpsStore = { path, db, close: () => db.close() };
  try {
    db.pragma('busy_timeout = 2000');
    const audit = attempt(() => newestAuditRun(store));
    const backup = attempt(() => listBackupRecords(store)[0] ?? null);
    const restore = attempt(() => newestRestoreTest(store));
    return {
      source: path,
      audit: audit && { host: audit.host, profile: audit.profile, finishedAt: audit.finishedAt, passed: audit.passed, failed: audit.failed, waived: audit.waived, exitCode: audit.exitCode },
      backup: backup && { host: backup.host, name: backup.name, createdAt: backup.createdAt, encrypted: backup.encrypted, verified: backup.verified },
      restoreTest: restore && { host: restore.host, target: restore.target, startedAt: restore.startedAt, ok: restore.ok, failedSteps: restore.failedSteps },
    };
  } finally {
    store.close();
  }
}
