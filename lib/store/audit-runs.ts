import { scrub } from '../secrets/index.js';
import type { OpsStore } from './open.js';

export interface AuditRunRecord {
  host: string;
  profile: string;
  startedAt: string;
  finishedAt: string;
  passed: number;
  failed: number;
  waived: number;
  exitCode: number;
  /** Any JSON-serialisable summary (check ids and verdicts); stored scrubbed. */
  summary: unknown;
}

export function recordAuditRun(store: OpsStore, record: AuditRunRecord): void {
  store.db
    .prepare(
      `INSERT INTO audit_runs (host, profile, started_at, finished_at, passed, failed, waived, exit_code, summary)
       VALUES (@host, @profile, @startedAt, @finishedAt, @passed, @failed, @waived, @exitCode, @summary)`,
    )
    .run({ ...record, summary: scrub(JSON.stringify(record.summary ?? null)) });
}

export function newestAuditRun(store: OpsStore, host?: string): AuditRunRecord | null {
  const row = store.db
    .prepare(`SELECT * FROM audit_runs WHERE (@host IS NULL OR host = @host) ORDER BY started_at DESC, id DESC LIMIT 1`)
    .get({ host: host ?? null }) as
    | { host: string; profile: string; started_at: string; finished_at: string; passed: number; failed: number; waived: number; exit_code: number; summary: string }
    | undefined;
  if (!row) return null;
  return {
    host: row.host,
    profile: row.profile,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    passed: row.passed,
    failed: row.failed,
    waived: row.waived,
    exitCode: row.exit_code,
    summary: JSON.parse(row.summary),
  };
}
