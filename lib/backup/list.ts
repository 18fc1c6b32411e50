import { lstat, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { backupNameOfArchive } from './archive.js';
import { isBackupName, pidOfTempName, timeOfBackupName, TEMP_PREFIX, RESTORE_TEMP_PREFIX, RESTORE_OLD_PREFIX } from './layout.js';

export interface BackupEntry {
  /** The backup's name (an archive's without `.tar`). */
  name: string;
  path: string;
  createdAt: Date;
  kind: 'dir' | 'archive';
}

/** Published backups in `dest`, newest first. Temp dirs and anything else are not listed. */
export async function listBackups(dest: string): Promise<BackupEntry[]> {
  let names: string[];
  try {
    names = await readdir(dest);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const entries: BackupEntry[] = [];
  for (const fileName of names) {
    const archiveOf = backupNameOfArchive(fileName);
    const name = archiveOf ?? fileName;
    const createdAt = timeOfBackupName(name);
    if (!createdAt || !isBackupName(name)) continue;
    const stat = await lstat(join(dest, fileName));
    if (!archiveOf && stat.isDirectory()) entries.push({ name, path: join(dest, fileName), createdAt, kind: 'dir' });
    if (archiveOf && stat.isFile()) entries.push({ name, path: join(dest, fileName), createdAt, kind: 'archive' });
  }
  return entries.sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.name < b.name ? 1 : -1));
}

function isAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Remove unfinished work left by crashed backups or restores in `dir`: temp dirs whose process is
 * gone, or that are older than `maxAgeMs` whatever their process. Returns the names removed.
 */
export async function sweepTempDirs(dir: string, maxAgeMs = 24 * 3600 * 1000): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const removed: string[] = [];
  for (const name of names) {
    const prefix = [TEMP_PREFIX, RESTORE_TEMP_PREFIX, RESTORE_OLD_PREFIX].find((p) => name.startsWith(p));
    if (!prefix) continue;
    const pid = pidOfTempName(prefix, name);
    const stat = await lstat(join(dir, name));
    const old = Date.now() - stat.mtimeMs > maxAgeMs;
    if (pid !== null && isAlive(pid) && !old) continue;
    await rm(join(dir, name), { recursive: true, force: true });
    removed.push(name);
  }
  return removed;
}
