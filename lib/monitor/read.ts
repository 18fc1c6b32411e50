import { Database, type SqliteDatabase } from '../store/sqlite.js';
import { existsSync } from 'node:fs';
import type { CountBy, MonitorReadings } from './signals.js';

/** The tables the signals read; KafClaw's own `timeline.db` has all of them (facts §3). */
const TABLES = ['timeline', 'tasks', 'policy_decisions'] as const;

/** UTC `YYYY-MM-DD HH:MM:SS.SSS`, comparable through SQLite's julianday() with KafClaw's and our timestamps. */
function sqliteTime(date: Date): string {
  return date.toISOString().replace('T', ' ').replace('Z', '');
}

/** Counts from a database that may hold JSON metadata written by anyone: invalid JSON is skipped, not an error. */
const SESSION_KEY = "CASE WHEN json_valid(metadata) THEN json_extract(metadata, '$.session_key') END";

/**
 * The readings behind the four signals, taken from an open timeline database (ours, or KafClaw's
 * with its own schema). Only SELECTs: a read-only handle is enough.
 */
export function readMonitorReadings(db: SqliteDatabase, now: Date, windowHours: number): MonitorReadings {
  const present = new Set(
    (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all() as Array<{ name: string }>).map((row) => row.name),
  );
  const missingTables = TABLES.filter((table) => !present.has(table));
  const params = { now: sqliteTime(now), since: sqliteTime(new Date(now.getTime() - windowHours * 3_600_000)) };
  const counts = (sql: string): CountBy[] => db.prepare(sql).all(params) as CountBy[];

  let tokensToday = 0;
  let trailingDailyTokens: number[] = [];
  if (present.has('tasks')) {
    tokensToday = (db.prepare(`SELECT COALESCE(SUM(total_tokens), 0) AS n FROM tasks WHERE date(created_at) = date(@now)`).get(params) as { n: number }).n;
    trailingDailyTokens = (
      db.prepare(
        `SELECT date(created_at) AS day, SUM(total_tokens) AS n FROM tasks
         WHERE date(created_at) >= date(@now, '-7 days') AND date(created_at) < date(@now)
         GROUP BY day HAVING n > 0 ORDER BY day`,
      ).all(params) as Array<{ n: number }>
    ).map((row) => row.n);
  }

  let unknownSenderEvents = 0;
  let unknownSenders = 0;
  let deniedHighTierBySession: CountBy[] = [];
  let authFailuresByAddress: CountBy[] = [];
  if (present.has('timeline')) {
    const unknown = db
      .prepare(
        `SELECT COUNT(*) AS events, COUNT(DISTINCT sender_id) AS senders FROM timeline
         WHERE authorized = 0 AND event_type <> 'SECURITY' AND julianday(timestamp) >= julianday(@since)`,
      )
      .get(params) as { events: number; senders: number };
    unknownSenderEvents = unknown.events;
    unknownSenders = unknown.senders;
    deniedHighTierBySession = counts(
      `SELECT ${SESSION_KEY} AS subject, COUNT(*) AS count FROM timeline
       WHERE event_type = 'SECURITY' AND classification = 'TOOL_DENIED' AND julianday(timestamp) >= julianday(@since)
         AND CASE WHEN json_valid(metadata) THEN json_extract(metadata, '$.tier') END >= 2
       GROUP BY subject HAVING subject IS NOT NULL ORDER BY count DESC, subject LIMIT 20`,
    );
    authFailuresByAddress = counts(
      `SELECT COALESCE(sender_id, '(unknown)') AS subject, COUNT(*) AS count FROM timeline
       WHERE event_type = 'SECURITY' AND classification = 'AUTH_FAILURE' AND julianday(timestamp) >= julianday(@since)
       GROUP BY subject ORDER BY count DESC, subject LIMIT 20`,
    );
  }

  const deniedHighTierBySender = present.has('policy_decisions')
    ? counts(
        `SELECT COALESCE(sender, '(unknown)') AS subject, COUNT(*) AS count FROM policy_decisions
         WHERE allowed = 0 AND tier >= 2 AND julianday(created_at) >= julianday(@since)
         GROUP BY subject ORDER BY count DESC, subject LIMIT 20`,
      )
    : [];

  return {
    at: now.toISOString(),
    windowHours,
    tokensToday,
    trailingDailyTokens,
    unknownSenderEvents,
    unknownSenders,
    deniedHighTierBySender,
    deniedHighTierBySession,
    authFailuresByAddress,
    missingTables,
  };
}

/**
 * Opens `file` read-only (never creating it, never migrating it), takes the readings and closes.
 * Returns null when there is no such file.
 */
export function readMonitorFile(file: string, now: Date, windowHours: number): MonitorReadings | null {
  if (!existsSync(file)) return null;
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    return readMonitorReadings(db, now, windowHours);
  } finally {
    db.close();
  }
}
