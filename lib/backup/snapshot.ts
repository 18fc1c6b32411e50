import Database from 'better-sqlite3';
import { BackupError } from './errors.js';
import { flushWhileWriting } from './early-flush.js';

/** SQLite's own ceiling for a memory map on Linux; a larger database is read through the map up to it. */
const SOURCE_MMAP_BYTES = 0x7fff0000;

export interface DatabaseFacts {
  userVersion: number;
  pageSize: number;
  pageCount: number;
  /** Ordinary tables, sorted; SQLite's internal and virtual tables left out. */
  tables: string[];
  rowCounts: Record<string, number>;
}

export interface SnapshotFacts extends DatabaseFacts {
  /** See credentialSettingKeys. */
  credentialSettings: string[];
}

export function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** Schema version, table list and row counts of an open database, all read in one transaction. */
export function readDatabaseFacts(db: Database.Database): DatabaseFacts {
  return db.transaction(() => {
    const tables = (
      db
        .prepare(
          "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND sql NOT LIKE 'CREATE VIRTUAL%' ORDER BY name",
        )
        .all() as Array<{ name: string }>
    ).map((row) => row.name);
    const rowCounts: Record<string, number> = {};
    for (const table of tables) {
      const row = db.prepare(`SELECT count(*) AS n FROM ${quoteIdentifier(table)}`).get() as { n: number };
      rowCounts[table] = row.n;
    }
    return {
      userVersion: db.pragma('user_version', { simple: true }) as number,
      pageSize: db.pragma('page_size', { simple: true }) as number,
      pageCount: db.pragma('page_count', { simple: true }) as number,
      tables,
      rowCounts,
    };
  })();
}

/**
 * Keys of non-empty `settings` rows whose names say they hold a credential (KafClaw keeps e.g.
 * `kafscale_lfs_proxy_api_key` and `whatsapp_pair_token` there). Values are never read out.
 */
export function credentialSettingKeys(db: Database.Database): string[] {
  const hasSettings = db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'settings'").get();
  if (!hasSettings) return [];
  const rows = db
    .prepare(
      `SELECT key FROM settings WHERE coalesce(value, '') <> '' AND (lower(key) LIKE '%api!_key' ESCAPE '!' OR lower(key) LIKE '%token'
         OR lower(key) LIKE '%password' OR lower(key) LIKE '%secret') ORDER BY key`,
    )
    .all() as Array<{ key: string }>;
  return rows.map((row) => row.key);
}

export type CheckLevel = 'full' | 'quick' | 'none';

/** The rows `integrity_check`/`quick_check` returned when they are not just "ok". */
export function integrityProblems(db: Database.Database, level: Exclude<CheckLevel, 'none'>, limit = 20): string[] {
  const pragma = level === 'full' ? 'integrity_check' : 'quick_check';
  const rows = db.pragma(`${pragma}(${limit})`, { simple: false }) as Array<Record<string, string>>;
  const messages = rows.map((row) => Object.values(row)[0] ?? '');
  return messages.length === 1 && messages[0] === 'ok' ? [] : messages;
}

export function foreignKeyProblems(db: Database.Database, limit = 20): string[] {
  const rows = db.pragma('foreign_key_check') as Array<{ table: string; rowid: number | null; parent: string; fkid: number }>;
  return rows.slice(0, limit).map((row) => `${row.table} row ${row.rowid ?? '?'} references a missing row in ${row.parent}`);
}

/**
 * Copy a live database with SQLite's online backup API into `destPath` (which must not exist):
 * one step under one read transaction, so the copy is the database as of one commit while other
 * connections keep writing (WAL readers do not block writers). The copy's pages are pushed to disk
 * while it is written (flushWhileWriting), so the backup's closing fsync is short. It is switched to rollback
 * journal mode, so it opens without sidecar files (its bytes are final from there: `onFinal`), and
 * checked at `check` level.
 */
export async function snapshotDatabase(
  sourcePath: string,
  destPath: string,
  check: CheckLevel = 'quick',
  /** Called once the copy's bytes are final, before its integrity check and row counts (which block this thread). */
  onFinal?: (destPath: string) => void,
): Promise<SnapshotFacts> {
  let source: Database.Database;
  try {
    source = new Database(sourcePath, { readonly: true, fileMustExist: true, timeout: 5000 });
  } catch (error) {
    throw new BackupError(
      `cannot open the database ${sourcePath}: ${(error as Error).message}. Check the path (stateDir) and that this user may read it.`,
    );
  }
  try {
    // reading the source through a memory map saves a pread per page
    source.pragma(`mmap_size = ${SOURCE_MMAP_BYTES}`);
    await flushWhileWriting(destPath, () => source.backup(destPath, { progress: () => 0x7fffffff }));
  } catch (error) {
    throw new BackupError(`the online backup of ${sourcePath} failed: ${(error as Error).message}`);
  } finally {
    source.close();
  }
  const copy = new Database(destPath, { fileMustExist: true });
  try {
    copy.pragma('journal_mode = DELETE');
    onFinal?.(destPath);
    if (check !== 'none') {
      const problems = integrityProblems(copy, check);
      if (problems.length > 0) throw new BackupError(`the snapshot of ${sourcePath} fails ${check}_check`, problems);
    }
    return { ...readDatabaseFacts(copy), credentialSettings: credentialSettingKeys(copy) };
  } finally {
    copy.close();
  }
}
