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

export function newestTokenRotation(store: OpsStore, host: string, kind: string): TokenRotationRecord | null {
  const row = store.db
    .prepare(`SELECT * FROM token_rotations WHERE host = ? AND kind = ? ORDER BY rotated_at DESC, id DESC LIMIT 1`)
    .get(host, kind) as { host: string; kind: string; fingerprint: string; rotated_at: string; actor: string; reason: string } | undefined;
  if (!row) return null;
  return { host: row.host, kind: row.kind, fingerprint: row.fingerprint, rotatedAt: row.rotated_at, actor: row.actor, reason: row.reason };
}
