import type { Target } from '../lib/target/types.js';
import { FactError, type FactSnapshot } from '../lib/facts/snapshot.js';
import { opsStorePath } from '../lib/backup/locations.js';
import { readOpsStore } from './ops-store.js';
import { serviceHome, type OpsStoreFacts } from './backup-facts.js';
import { gatewayEndpoint } from './gateway-facts.js';
import { GATEWAY_TOKEN_KIND } from './token-rotation.js';
import type { ConfigFact } from './config-fact.js';

const STORE = 'ops.store';
const ROTATED_AT = 'ops.token-rotated-at';

export interface StoreFacts {
  store: OpsStoreFacts;
  /** The newest rotation recorded for the token with the given fingerprint; null without one. */
  tokenRotatedAt: string | null;
}

/** Both store facts from one read of the store at `path` (on a remote host: one copy of it and its WAL). */
export async function readStoreFacts(target: Target, path: string, sudo: boolean, fingerprint: string | null): Promise<StoreFacts> {
  const read = await readOpsStore(target, path, sudo, (store, lib): StoreFacts => ({
    store: {
      path,
      exists: true,
      newestVerifiedBackup: lib.newestVerifiedBackup(store),
      newestSuccessfulRestoreTest: lib.newestSuccessfulRestoreTest(store),
      newestRestoreTest: lib.newestRestoreTest(store),
    },
    tokenRotatedAt: fingerprint ? lib.tokenRotationsOf(store, GATEWAY_TOKEN_KIND, fingerprint).current?.rotatedAt ?? null : null,
  }));
  return read ?? { store: { path, exists: false, newestVerifiedBackup: null, newestSuccessfulRestoreTest: null, newestRestoreTest: null }, tokenRotatedAt: null };
}

function tokenFingerprint(snapshot: FactSnapshot): string | null {
  try {
    return snapshot.has('config') ? gatewayEndpoint(snapshot.get<ConfigFact>('config')).token?.fingerprint() ?? null : null;
  } catch {
    return null;
  }
}

/**
 * The facts of the gateway user's operations store that the checks need, from one read: `ops.store`
 * (backups and restore tests) and `ops.token-rotated-at` (the current token's last rotation; null
 * when there is no token, no store or no record of this token). Without a token and without a need
 * for `ops.store` nothing is read, so SQLite is not loaded.
 */
export async function collectStoreFacts(target: Target, needs: ReadonlySet<string>, snapshot: FactSnapshot, sudo: boolean): Promise<void> {
  const wantsStore = needs.has(STORE);
  const wantsRotation = needs.has(ROTATED_AT) && !snapshot.has(ROTATED_AT);
  const fingerprint = wantsRotation ? tokenFingerprint(snapshot) : null;
  if (wantsRotation && !fingerprint) snapshot.set(ROTATED_AT, null);
  if (!wantsStore && !fingerprint) return;
  try {
    const read = await readStoreFacts(target, opsStorePath(serviceHome(target, snapshot)), sudo, fingerprint);
    if (wantsStore) snapshot.set(STORE, read.store);
    if (fingerprint) snapshot.set(ROTATED_AT, read.tokenRotatedAt);
  } catch (error) {
    const reason = (error as Error).message;
    if (wantsStore) snapshot.set(STORE, new FactError(STORE, reason));
    if (fingerprint) snapshot.set(ROTATED_AT, new FactError(ROTATED_AT, reason));
  }
}
