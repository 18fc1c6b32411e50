/**
 * Names inside a backup destination. A published backup is `kafclaw-backup-<UTC timestamp>`;
 * work in progress lives in dot-directories that listing, verification and restore ignore.
 */
export const BACKUP_PREFIX = 'kafclaw-backup-';
export const TEMP_PREFIX = '.kafclaw-backup-tmp-';
export const RESTORE_TEMP_PREFIX = '.kafclaw-restore-tmp-';
export const RESTORE_OLD_PREFIX = '.kafclaw-restore-old-';

export const MANIFEST_FILE = 'manifest.json';
/** `sha256sum` format: the manifest's own checksum, so a damaged manifest is caught before it is read. */
export const MANIFEST_SUM_FILE = 'manifest.json.sha256';
/** HMAC of the manifest under a key derived from the encryption key; present in encrypted backups only. */
export const MANIFEST_MAC_FILE = 'manifest.json.hmac';

export const DATABASE_FILE = 'timeline.db';
export const CONFIG_FILE = 'config.json';
export const WORKSPACE_DIR = 'workspace';
export const EXTRA_DIR = 'extra';

export const IDENTITY_FILES = ['SOUL.md', 'IDENTITY.md', 'AGENTS.md', 'TOOLS.md', 'USER.md'] as const;

const NAME_PATTERN = /^kafclaw-backup-(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})\.(\d{3})Z$/;

/** `kafclaw-backup-20261125T021612.345Z`: sorts by time as text. */
export function backupName(at: Date): string {
  const iso = at.toISOString(); // 2026-11-25T02:16:12.345Z
  return BACKUP_PREFIX + iso.replace(/[-:]/g, '');
}

export function isBackupName(name: string): boolean {
  return NAME_PATTERN.test(name);
}

/** The creation time encoded in a backup's name, or null for any other name. */
export function timeOfBackupName(name: string): Date | null {
  const m = NAME_PATTERN.exec(name);
  if (!m) return null;
  const [, y, mo, d, h, mi, s, ms] = m;
  const at = new Date(`${y}-${mo}-${d}T${h}:${mi}:${s}.${ms}Z`);
  return Number.isNaN(at.getTime()) ? null : at;
}

/** `<prefix><label>-<pid>-<random>`: the pid lets a sweep tell a live writer from a dead one. */
export function tempName(prefix: string, label: string, pid: number, random: string): string {
  return `${prefix}${label}-${pid}-${random}`;
}

export function pidOfTempName(prefix: string, name: string): number | null {
  if (!name.startsWith(prefix)) return null;
  const m = /-(\d+)-[0-9a-f]+$/.exec(name);
  return m ? Number(m[1]) : null;
}

/** A relative path inside a backup that cannot escape it and is not an SQLite sidecar. */
export function isSafeRelativePath(path: string): boolean {
  if (path.length === 0 || path.startsWith('/') || path.includes('\\') || path.includes('\0')) return false;
  const parts = path.split('/');
  if (parts.some((part) => part === '' || part === '.' || part === '..')) return false;
  if (/-(wal|shm|journal)$/.test(path)) return false;
  return true;
}
