import { Database, type SqliteDatabase } from './sqlite.js';
import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import { MIGRATIONS, SCHEMA_VERSION } from './migrations.js';

export interface OpsStore {
  readonly path: string;
  readonly db: SqliteDatabase;
  close(): void;
}

/** A problem with the operations database file itself; the message names the file and what to do. */
export class StoreError extends Error {
  override readonly name = 'StoreError';
}

function migrate(db: SqliteDatabase, path: string): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > SCHEMA_VERSION) {
    throw new StoreError(`the operations database ${path} has schema version ${version}, newer than this kafclaw (${SCHEMA_VERSION}); upgrade kafclaw`);
  }
  for (let v = version; v < SCHEMA_VERSION; v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v]!);
      db.pragma(`user_version = ${v + 1}`);
    }).immediate();
  }
}

/**
 * Open (creating if needed) the operations database: a new directory 0700, the file 0600 before
 * SQLite first writes it (its -wal and -shm inherit that mode), WAL, foreign keys, migrated to the
 * current schema.
 */
export function openStore(path: string): OpsStore {
  const dir = dirname(path);
  // an existing directory keeps its mode: it may be shared or belong to someone else
  if (mkdirSync(dir, { recursive: true, mode: 0o700 }) !== undefined) chmodSync(dir, 0o700);
  if (!existsSync(path)) closeSync(openSync(path, 'wx', 0o600));
  chmodSync(path, 0o600);
  let db: SqliteDatabase;
  try {
    db = new Database(path, { timeout: 5000 });
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.pragma('synchronous = NORMAL');
    migrate(db, path);
  } catch (error) {
    if (error instanceof StoreError) throw error;
    throw new StoreError(`cannot open the operations database ${path}: ${(error as Error).message}`);
  }
  return { path, db, close: () => db.close() };
}

/**
 * Open an existing operations database for reading only (status, checks): nothing is created or
 * migrated. Null when the file does not exist.
 */
export function openStoreReadOnly(path: string): OpsStore | null {
  if (!existsSync(path)) return null;
  let db: SqliteDatabase;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true, timeout: 5000 });
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > SCHEMA_VERSION) {
      db.close();
      throw new StoreError(`the operations database ${path} has schema version ${version}, newer than this kafclaw (${SCHEMA_VERSION}); upgrade kafclaw`);
    }
    if (version < SCHEMA_VERSION) {
      db.close();
      throw new StoreError(`the operations database ${path} has schema version ${version}; run any kafclaw command that records (kafclaw backup) to migrate it`);
    }
  } catch (error) {
    if (error instanceof StoreError) throw error;
    throw new StoreError(`cannot open the operations database ${path}: ${(error as Error).message}`);
  }
  return { path, db, close: () => db.close() };
}

