import { access, constants, stat } from 'node:fs/promises';
import { posix } from 'node:path';

/** The system-wide backup destination the provisioner creates (host end state §4), kafclaw:kafclaw 0700. */
export const SYSTEM_BACKUP_DIR = '/var/backups/kafclaw';

/** The operations database (backups, restore tests, audits): `$HOME/.kafclaw/ops.db`, beside KafClaw's state. */
export function opsStorePath(home: string): string {
  return posix.join(home, '.kafclaw', 'ops.db');
}

/** KafClaw's state dir, `$HOME/.kafclaw`, holding timeline.db. */
export function stateDirOf(home: string): string {
  return posix.join(home, '.kafclaw');
}

/** The per-user fallback when the system destination is not there or not writable. */
export function userBackupDir(home: string): string {
  return posix.join(home, '.kafclaw', 'backups');
}

async function writableDir(path: string): Promise<boolean> {
  try {
    if (!(await stat(path)).isDirectory()) return false;
    await access(path, constants.W_OK | constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** `/var/backups/kafclaw` when it exists and this user may write it, else `$HOME/.kafclaw/backups`. */
export async function defaultBackupDest(home: string, systemDir = SYSTEM_BACKUP_DIR): Promise<string> {
  return (await writableDir(systemDir)) ? systemDir : userBackupDir(home);
}
