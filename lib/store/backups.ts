import { scrub } from '../secrets/index.js';
import type { OpsStore } from './open.js';

export interface BackupRecord {
  host: string;
  path: string;
  name: string;
  createdAt: string;
  sizeBytes: number;
  manifestSha256: string;
  encrypted: boolean;
  verified: boolean;
  verifiedAt: string | null;
}

interface BackupRow {
  host: string;
  path: string;
  name: string;
  created_at: string;
  size_bytes: number;
  manifest_sha256: string;
  encrypted: number;
  verified: number;
  verified_at: string | null;
}

function fromRow(row: BackupRow): BackupRecord {
  return {
    host: row.host,
    path: row.path,
    name: row.name,
    createdAt: row.created_at,
    sizeBytes: row.size_bytes,
    manifestSha256: row.manifest_sha256,
    encrypted: row.encrypted === 1,
    verified: row.verified === 1,
    verifiedAt: row.verified_at,
  };
}

/** Insert or update (by host and path) a backup. */
export function recordBackup(store: OpsStore, record: BackupRecord, now = new Date()): void {
  store.db
    .prepare(
      `INSERT INTO backups (host, path, name, created_at, size_bytes, manifest_sha256, encrypted, verified, verified_at, recorded_at)
       VALUES (@host, @path, @name, @createdAt, @sizeBytes, @manifestSha256, @encrypted, @verified, @verifiedAt, @recordedAt)
       ON CONFLICT (host, path) DO UPDATE SET name = excluded.name, created_at = excluded.created_at, size_bytes = excluded.size_bytes,
         manifest_sha256 = excluded.manifest_sha256, encrypted = excluded.encrypted, verified = excluded.verified,
         verified_at = excluded.verified_at, recorded_at = excluded.recorded_at`,
    )
    .run({
      ...record,
      path: scrub(record.path),
      encrypted: record.encrypted ? 1 : 0,
      verified: record.verified ? 1 : 0,
      recordedAt: now.toISOString(),
    });
}

/** The newest verified backup (by creation time), for one host or any; `backup.fresh` reads it. */
export function newestVerifiedBackup(store: OpsStore, host?: string): BackupRecord | null {
  const row = store.db
    .prepare(
      `SELECT * FROM backups WHERE verified = 1 AND (@host IS NULL OR host = @host) ORDER BY created_at DESC, id DESC LIMIT 1`,
    )
    .get({ host: host ?? null }) as BackupRow | undefined;
  return row ? fromRow(row) : null;
}

export function listBackupRecords(store: OpsStore, host?: string): BackupRecord[] {
  const rows = store.db
    .prepare(`SELECT * FROM backups WHERE (@host IS NULL OR host = @host) ORDER BY created_at DESC, id DESC`)
    .all({ host: host ?? null }) as BackupRow[];
  return rows.map(fromRow);
}
