import { backupNameOfArchive } from './archive.js';
import { isBackupName } from './layout.js';

/** The backup name an entry of a backup directory stands for: a backup directory or its `.tar` archive. */
export function backupNameOfEntry(entry: string): string | null {
  return isBackupName(entry) ? entry : backupNameOfArchive(entry);
}

/** The newest of a directory listing's backup entries (directories or archives); null when there is none. */
export function newestBackupEntry(entries: readonly string[]): string | null {
  let newest: { entry: string; name: string } | null = null;
  for (const entry of entries) {
    const name = backupNameOfEntry(entry);
    if (name !== null && (newest === null || name >= newest.name)) newest = { entry, name };
  }
  return newest?.entry ?? null;
}
