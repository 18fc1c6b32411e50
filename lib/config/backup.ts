/**
 * The backup an edit writes before it replaces a config or env file. Both kinds may hold secrets, so
 * a backup is 0600 (owner kept) whatever the original's mode. Inside a fix run (`inBackupRun`) a file
 * is backed up once, at its first edit: the backup holds the file as it was before the run.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { Secret } from '../secrets/secret.js';
import type { FileStat, Target } from '../target/types.js';

export type BackupIo = Pick<Target, 'writeFileAtomic' | 'stat'>;

/** A file and the backup that holds it as it was before the edits. */
export interface BackupRecord {
  file: string;
  backup: string;
}

interface Scope {
  /** File → its backup for the whole run; null for a file the run created (there was nothing to back up). */
  run: Map<string, string | null>;
  /** The backups the edits of the innermost `recordBackups` wrote or relied on. */
  used: Map<string, string>;
}

const scope = new AsyncLocalStorage<Scope>();

/** `config.json` → `config.json.bak-20261125T021500Z`. */
export function backupPathFor(path: string, now: Date): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return `${path}.bak-${stamp}`;
}

/** The first unused backup name for `path` at `now`. */
export async function freeBackupPath(io: Pick<Target, 'stat'>, path: string, now: Date): Promise<string> {
  const base = backupPathFor(path, now);
  let candidate = base;
  for (let n = 1; (await io.stat(candidate)) !== null; n++) candidate = `${base}.${n}`;
  return candidate;
}

/** An edit created `path`: later edits in the same run have nothing from before the run to back up. */
export function noteCreated(path: string): void {
  const current = scope.getStore();
  if (current && !current.run.has(path)) current.run.set(path, null);
}

/**
 * Backs up `path` (whose current bytes are `content` and stat `stat`) before an edit, and returns the
 * backup that holds it as it was before the run: inside a run that already backed it up, that earlier
 * backup; undefined when the run created the file.
 */
export async function backUpBeforeEdit(io: BackupIo, path: string, content: string, stat: FileStat, now = new Date()): Promise<string | undefined> {
  const current = scope.getStore();
  let backup = current?.run.get(path);
  if (backup === null) return undefined;
  if (backup === undefined) {
    backup = await freeBackupPath(io, path, now);
    await io.writeFileAtomic(backup, new Secret(content, `backup of ${path}`), { mode: 0o600, owner: String(stat.uid), group: String(stat.gid) });
    current?.run.set(path, backup);
  }
  current?.used.set(path, backup);
  return backup;
}

/** Runs `fn` as one fix run: each file it edits is backed up once, at its first edit. */
export function inBackupRun<T>(fn: () => Promise<T>): Promise<T> {
  return scope.run({ run: new Map(), used: new Map() }, fn);
}

/**
 * Runs `fn` and returns the backups its edits wrote or relied on (in the order of each file's first
 * edit), and what it threw: the backups made before a failure are reported too.
 */
export async function recordBackups(fn: () => Promise<void>): Promise<{ backups: BackupRecord[]; error?: Error }> {
  const used = new Map<string, string>();
  let error: Error | undefined;
  await scope.run({ run: scope.getStore()?.run ?? new Map(), used }, async () => {
    try {
      await fn();
    } catch (thrown) {
      error = thrown as Error;
    }
  });
  const backups = [...used].map(([file, backup]) => ({ file, backup }));
  return error ? { backups, error } : { backups };
}
