import type Database from 'better-sqlite3';
import { ADDED_COLUMNS, APPROVAL_INDEXES, APPROVAL_TABLE, CORE_INDEXES, CORE_TABLES } from './schema.js';

export interface Migration {
  version: number;
  description: string;
  up(db: Database.Database): void;
}

function columnsOf(db: Database.Database, table: string): Set<string> {
  const rows = db.prepare(`SELECT name FROM pragma_table_info(?)`).all(table) as Array<{ name: string }>;
  return new Set(rows.map((row) => row.name));
}

/**
 * Ordered, append-only. The version lives in `PRAGMA user_version`; KafClaw leaves it at 0, so a
 * KafClaw database is migrated like an empty one: tables are created only where missing and
 * missing columns are added after checking `table_info`, never by ignoring errors.
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'KafClaw core tables: timeline, settings, tasks, policy_decisions',
    up(db) {
      for (const statement of CORE_TABLES) db.exec(statement);
      for (const [table, column, definition] of ADDED_COLUMNS) {
        if (!columnsOf(db, table).has(column)) db.exec(`ALTER TABLE ${table} ADD COLUMN ${column} ${definition}`);
      }
      for (const statement of CORE_INDEXES) db.exec(statement);
    },
  },
  {
    version: 2,
    description: 'KafClaw approval_requests: tool calls above the automatic tier waiting for an operator',
    up(db) {
      db.exec(APPROVAL_TABLE);
      for (const statement of APPROVAL_INDEXES) db.exec(statement);
    },
  },
];

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

/** Applies the pending migrations, each in its own transaction; returns the versions applied. */
export function migrate(db: Database.Database, file: string): number[] {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > SCHEMA_VERSION) {
    throw new Error(
      `${file} has schema version ${current}, newer than this gateway knows (${SCHEMA_VERSION}): ` +
        'upgrade kafclaw-hardening, or restore a backup made by this version',
    );
  }
  const applied: number[] = [];
  for (const migration of MIGRATIONS) {
    if (migration.version <= current) continue;
    db.transaction(() => {
      migration.up(db);
      db.pragma(`user_version = ${migration.version}`);
    })();
    applied.push(migration.version);
  }
  return applied;
}
