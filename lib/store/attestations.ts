import { scrub } from '../secrets/index.js';
import type { OpsStore } from './open.js';

/** An operator's signed-off statement that a check's condition holds (e.g. "the env file is in the vault"). */
export interface AttestationRecord {
  checkId: string;
  host: string;
  statement: string;
  attestedBy: string;
  attestedAt: string;
  expiresAt: string | null;
}

export function recordAttestation(store: OpsStore, record: AttestationRecord): void {
  store.db
    .prepare(
      `INSERT INTO attestations (check_id, host, statement, attested_by, attested_at, expires_at)
       VALUES (@checkId, @host, @statement, @attestedBy, @attestedAt, @expiresAt)`,
    )
    .run({ ...record, statement: scrub(record.statement) });
}

/** The newest attestation for a check on a host that has not expired at `at`. */
export function currentAttestation(store: OpsStore, checkId: string, host: string, at = new Date()): AttestationRecord | null {
  const row = store.db
    .prepare(
      `SELECT * FROM attestations WHERE check_id = ? AND host = ? AND attested_at <= ? AND (expires_at IS NULL OR expires_at > ?)
       ORDER BY attested_at DESC, id DESC LIMIT 1`,
    )
    .get(checkId, host, at.toISOString(), at.toISOString()) as
    | { check_id: string; host: string; statement: string; attested_by: string; attested_at: string; expires_at: string | null }
    | undefined;
  if (!row) return null;
  return { checkId: row.check_id, host: row.host, statement: row.statement, attestedBy: row.attested_by, attestedAt: row.attested_at, expiresAt: row.expires_at };
}
