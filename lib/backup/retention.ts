import { randomBytes } from 'node:crypto';
import { rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { tempName, TEMP_PREFIX } from './layout.js';
import { listBackups, sweepTempDirs } from './list.js';
import { verifyBackup, type VerifyOptions } from './verify.js';

/** Keep the newest backup of each of the last N days, ISO weeks and months that have backups (UTC). */
export interface RetentionPolicy {
  daily: number;
  weekly: number;
  monthly: number;
}

export interface RetentionCandidate {
  name: string;
  createdAt: Date;
  verified: boolean;
}

export interface RetentionDecision {
  keep: Array<{ name: string; reasons: string[] }>;
  remove: string[];
}

function isoWeek(at: Date): string {
  const day = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));
  const weekday = day.getUTCDay() || 7;
  day.setUTCDate(day.getUTCDate() + 4 - weekday);
  const yearStart = Date.UTC(day.getUTCFullYear(), 0, 1);
  const week = Math.ceil(((day.getTime() - yearStart) / 86400000 + 1) / 7);
  return `${day.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}

const BUCKETS: Array<[keyof RetentionPolicy, (at: Date) => string]> = [
  ['daily', (at) => at.toISOString().slice(0, 10)],
  ['weekly', isoWeek],
  ['monthly', (at) => at.toISOString().slice(0, 7)],
];

/**
 * Which backups a grandfather-father-son policy keeps: for each kind, walking newest first, the
 * first backup of each new bucket until N buckets are filled. The newest verified backup is always
 * kept, whatever the policy. Pure.
 */
export function selectRetention(candidates: readonly RetentionCandidate[], policy: RetentionPolicy): RetentionDecision {
  const sorted = [...candidates].sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.name < b.name ? 1 : -1));
  const reasons = new Map<string, string[]>(sorted.map((c) => [c.name, []]));
  for (const [kind, bucketOf] of BUCKETS) {
    const limit = Math.max(0, Math.floor(policy[kind]));
    const seen = new Set<string>();
    for (const candidate of sorted) {
      if (seen.size >= limit) break;
      const bucket = bucketOf(candidate.createdAt);
      if (seen.has(bucket)) continue;
      seen.add(bucket);
      reasons.get(candidate.name)!.push(`${kind} ${bucket}`);
    }
  }
  const newestVerified = sorted.find((c) => c.verified);
  if (newestVerified) reasons.get(newestVerified.name)!.push('newest verified');
  return {
    keep: sorted.filter((c) => reasons.get(c.name)!.length > 0).map((c) => ({ name: c.name, reasons: reasons.get(c.name)! })),
    remove: sorted.filter((c) => reasons.get(c.name)!.length === 0).map((c) => c.name),
  };
}

export interface PruneOptions extends VerifyOptions {
  /** Compute and return the decision without deleting anything. */
  dryRun?: boolean;
  /** Names known to be verified (e.g. from the store); when absent, backups are verified newest first until one passes. */
  verifiedNames?: ReadonlySet<string>;
}

export interface PruneResult extends RetentionDecision {
  newestVerified: string | null;
  removed: string[];
}

/**
 * Apply a retention policy to the backups in `dest`. A backup is deleted by renaming it to a temp
 * name first, so an interrupted delete never leaves a half backup under a backup's name.
 */
export async function pruneBackups(dest: string, policy: RetentionPolicy, options: PruneOptions = {}): Promise<PruneResult> {
  await sweepTempDirs(dest);
  const backups = await listBackups(dest);
  let newestVerified: string | null = null;
  for (const backup of backups) {
    const verified = options.verifiedNames
      ? options.verifiedNames.has(backup.name)
      : (await verifyBackup(backup.path, options.encryptionKey ? { encryptionKey: options.encryptionKey } : {})).ok;
    if (verified) {
      newestVerified = backup.name;
      break;
    }
  }
  const decision = selectRetention(
    backups.map((b) => ({ name: b.name, createdAt: b.createdAt, verified: b.name === newestVerified })),
    policy,
  );
  const removed: string[] = [];
  if (!options.dryRun) {
    for (const name of decision.remove) {
      const doomed = join(dest, tempName(TEMP_PREFIX, `deleting-${name}`, process.pid, randomBytes(4).toString('hex')));
      await rename(backups.find((b) => b.name === name)!.path, doomed);
      await rm(doomed, { recursive: true, force: true });
      removed.push(name);
    }
  }
  return { ...decision, newestVerified, removed };
}
