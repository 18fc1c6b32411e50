import type { OpsStore } from './open.js';
import { StoreError } from './open.js';

/** A token rotation; the token itself is never stored, only `Secret.fingerprint()`. */
export interface TokenRotationRecord {
  host: string;
  /** What was rotated, e.g. `gateway.authToken`. */
  kind: string;
  /** `sha256:` + 12 hex characters, from `Secret.fingerprint()`. */
  fingerprint: string;
  rotatedAt: string;
  actor: string;
  reason: string;
}

const FINGERPRINT = /^sha256:[0-9a-f]{12}$/;

export function recordTokenRotation(store: OpsStore, record: TokenRotationRecord): void {
  if (!FINGERPRINT.test(record.fingerprint)) {
    throw new StoreError(`a token rotation must be recorded with Secret.fingerprint() (sha256:<12 hex>), not a token value (kind ${record.kind})`);
  }
  store.db
    .prepare(
      `INSERT INTO token_rotations (host, kind, fingerprint, rotated_at, actor, reason) VALUES (@host, @kind, @fingerprint, @rotatedAt, @actor, @reason)`,
    )
    .run(record);
}

interface TokenRotationRow {
  host: string;
  kind: string;
  fingerprint: string;
  rotated_at: string;
  actor: string;
  reason: string;
}

function fromRow(row: TokenRotationRow | undefined): TokenRotationRecord | null {
  if (!row) return null;
  return { host: row.host, kind: row.kind, fingerprint: row.fingerprint, rotatedAt: row.rotated_at, actor: row.actor, reason: row.reason };
}

export function newestTokenRotation(store: OpsStore, host: string, kind: string): TokenRotationRecord | null {
  const row = store.db.prepare(`SELECT * FROM token_rotations WHERE host = ? AND kind = ? ORDER BY rotated_at DESC, id DESC LIMIT 1`).get(host, kind);
  return fromRow(row as TokenRotationRow | undefined);
}

/** What the store knows about one token: its newest rotation, and the newest rotation of `kind` for any token. */
export interface TokenRotationLookup {
  current: TokenRotationRecord | null;
  newest: TokenRotationRecord | null;
}

/**
 * The rotations of `kind` matched to the token with this fingerprint, on any host: the store lives
 * beside the gateway, and a fingerprint names one token wherever it was recorded.
 */
export function tokenRotationsOf(store: OpsStore, kind: string, fingerprint: string): TokenRotationLookup {
  const newest = store.db.prepare(`SELECT * FROM token_rotations WHERE kind = ? ORDER BY rotated_at DESC, id DESC LIMIT 1`).get(kind) as TokenRotationRow | undefined;
  if (!newest || newest.fingerprint === fingerprint) return { current: fromRow(newest), newest: fromRow(newest) };
  const current = store.db
    .prepare(`SELECT * FROM token_rotations WHERE kind = ? AND fingerprint = ? ORDER BY rotated_at DESC, id DESC LIMIT 1`)
    .get(kind, fingerprint) as TokenRotationRow | undefined;
  return { current: fromRow(current), newest: fromRow(newest) };
}
