import type { Target } from '../lib/target/types.js';
import type { TokenRotationLookup } from '../lib/store/index.js';
import { readOpsStore } from './ops-store.js';

/** The kind under which gateway token rotations are recorded in the operations store. */
export const GATEWAY_TOKEN_KIND = 'gateway.authToken';

const DAY_MS = 86_400_000;

/** What is known of the age of the gateway token. */
export type TokenRotationView =
  | { state: 'rotated'; rotatedAt: string; ageDays: number }
  | { state: 'no-token' }
  | { state: 'no-store'; store: string }
  /** The store has no record for this token; `otherToken` is the newest record of another one. */
  | { state: 'no-record'; fingerprint: string; otherToken: { fingerprint: string; rotatedAt: string } | null }
  | { state: 'unknown'; reason: string };

/**
 * The newest rotation recorded for the token with this fingerprint, or nothing: the rotations of
 * `kind` matched by fingerprint, whatever host recorded them. Null when the store does not exist.
 */
export function readTokenRotations(target: Target, storePath: string, fingerprint: string, sudo: boolean): Promise<TokenRotationLookup | null> {
  return readOpsStore(target, storePath, sudo, (store, lib) => lib.tokenRotationsOf(store, GATEWAY_TOKEN_KIND, fingerprint));
}

/** Pure: the token's rotation as the store knows it; `lookup` null when there is no store, an Error when it could not be read. */
export function tokenRotationView(fingerprint: string | null, lookup: TokenRotationLookup | null | Error, storePath: string, now: Date): TokenRotationView {
  if (fingerprint === null) return { state: 'no-token' };
  if (lookup instanceof Error) return { state: 'unknown', reason: lookup.message };
  if (lookup === null) return { state: 'no-store', store: storePath };
  if (!lookup.current) {
    const other = lookup.newest;
    return { state: 'no-record', fingerprint, otherToken: other ? { fingerprint: other.fingerprint, rotatedAt: other.rotatedAt } : null };
  }
  return rotationAge(lookup.current.rotatedAt, now);
}

/** Pure: the age in whole days of a rotation recorded at `rotatedAt`. */
export function rotationAge(rotatedAt: string, now: Date): Extract<TokenRotationView, { state: 'rotated' | 'unknown' }> {
  const time = Date.parse(rotatedAt);
  if (Number.isNaN(time)) return { state: 'unknown', reason: `the rotation record's time "${rotatedAt}" is not a date` };
  return { state: 'rotated', rotatedAt, ageDays: Math.floor((now.getTime() - time) / DAY_MS) };
}

const day = (iso: string) => {
  const time = Date.parse(iso);
  return Number.isNaN(time) ? iso : new Date(time).toISOString().slice(0, 10);
};

/** Pure: one line for `kafclaw status`, e.g. `rotated 12 days ago (2026-11-22)`. */
export function describeTokenRotation(view: TokenRotationView): string {
  switch (view.state) {
    case 'rotated': {
      const ago = view.ageDays === 0 ? 'today' : view.ageDays === 1 ? '1 day ago' : `${view.ageDays} days ago`;
      return `rotated ${ago} (${day(view.rotatedAt)})`;
    }
    case 'no-token':
      return 'no token set';
    case 'no-store':
      return `no rotation record (no operations store at ${view.store})`;
    case 'no-record':
      return view.otherToken
        ? `the current token (${view.fingerprint}) has no rotation record; the newest record (${day(view.otherToken.rotatedAt)}) is for another token (${view.otherToken.fingerprint})`
        : `the current token (${view.fingerprint}) has no rotation record`;
    case 'unknown':
      return `unknown (${view.reason})`;
  }
}
