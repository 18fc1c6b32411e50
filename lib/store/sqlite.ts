import { createRequire } from 'node:module';
import type BetterSqlite3 from 'better-sqlite3';

/**
 * better-sqlite3, loaded through require. Imported as an ES module, the CommonJS package is first
 * parsed for its export names (cjs-module-lexer, resolved through the ESM resolver): ~10 ms of a cold
 * `kafclaw doctor` that reads the operations store.
 */
export const Database = createRequire(import.meta.url)('better-sqlite3') as typeof BetterSqlite3;
export type SqliteDatabase = BetterSqlite3.Database;
