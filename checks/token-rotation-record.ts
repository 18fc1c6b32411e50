import { hostname, userInfo } from 'node:os';
import type { Resource } from '../lib/resources/types.js';
import type { TokenRotationRecord } from '../lib/store/index.js';
import type { Secret } from '../lib/secrets/secret.js';
import { DryRunTarget } from './dry-run-target.js';
import { GATEWAY_TOKEN_KIND } from './token-rotation.js';

/** The login that runs kafclaw; a uid without a passwd entry falls back to LOGNAME / USER, then to the uid. */
function login(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env.LOGNAME || process.env.USER || `uid ${process.getuid?.() ?? 'unknown'}`;
  }
}

/** The record of a rotation of the gateway token to `token`, made now on this machine by this login. */
export function gatewayTokenRotation(token: Secret, reason: string, now = new Date()): TokenRotationRecord {
  return { host: hostname(), kind: GATEWAY_TOKEN_KIND, fingerprint: token.fingerprint(), rotatedAt: now.toISOString(), actor: login(), reason };
}

/** Records a rotation in the operations store at `storePath`, creating the store if needed. SQLite loads only here. */
export async function recordGatewayTokenRotation(storePath: string, record: TokenRotationRecord): Promise<void> {
  const lib = await import('../lib/store/index.js');
  const store = lib.openStore(storePath);
  try {
    lib.recordTokenRotation(store, record);
  } finally {
    store.close();
  }
}

/**
 * A fix's record of the token rotation it makes, in this machine's operations store. The store is
 * written directly, not through the target: a dry run (a DryRunTarget) records nothing, and the
 * fixes that use it run only on a local target.
 */
export function tokenRotationRecord(storePath: string, record: TokenRotationRecord): Resource {
  const id = `ops:${storePath}`;
  return {
    kind: 'token-rotation-record',
    id,
    probes: () => [],
    diff: () => [{ resource: id, field: 'token rotation', before: null, after: `${record.kind} ${record.fingerprint} (${record.reason})` }],
    async apply(target) {
      if (target instanceof DryRunTarget) return;
      if (target.kind !== 'local') throw new Error(`the token rotation can be recorded only in this machine's operations store, not on ${target.name}`);
      try {
        await recordGatewayTokenRotation(storePath, record);
      } catch (error) {
        throw new Error(`the new token is in place, but its rotation could not be recorded in ${storePath}: ${(error as Error).message}`);
      }
    },
  };
}
