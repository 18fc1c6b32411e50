import { readdirSync } from 'node:fs';
import { newestBackupEntry } from '../../lib/backup/entries.js';

/** The newest backup entry (directory or archive) in a controller directory; null when none or absent. */
export function newestLocalBackup(dir: string): string | null {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  return newestBackupEntry(entries);
}
