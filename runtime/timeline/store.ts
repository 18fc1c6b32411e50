import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { ensurePrivateDir, ensurePrivateFile } from './files.js';
import { migrate } from './migrations.js';
import { sqliteTimestamp } from './timestamp.js';

export const TIMELINE_FILE = 'timeline.db';
export const BUSY_TIMEOUT_MS = 5000;

export interface TimelineEventInput {
  eventType: 'TEXT' | 'AUDIO' | 'IMAGE' | 'SYSTEM' | 'SECURITY';
  classification?: string;
  senderId?: string;
  senderName?: string;
  contentText?: string;
  traceId?: string;
  authorized?: boolean;
  metadata?: Record<string, unknown>;
  at?: Date;
}

export interface TimelineEvent {
  id: number;
  event_id: string;
  trace_id: string | null;
  timestamp: string;
  sender_id: string | null;
  sender_name: string | null;
  event_type: string;
  content_text: string | null;
  classification: string | null;
  authorized: number;
  metadata: string | null;
}

/** One tool-policy evaluation, a `policy_decisions` row. */
export interface PolicyDecisionInput {
  traceId?: string;
  taskId?: string;
  tool: string;
  tier: number;
  sender: string;
  channel: string;
  allowed: boolean;
  reason: string;
  at?: Date;
}

export interface TimelineQuery {
  limit: number;
  offset: number;
  sender?: string;
  traceId?: string;
}

const EVENT_COLUMNS =
  'id, event_id, trace_id, timestamp, sender_id, sender_name, event_type, content_text, classification, authorized, metadata';

/** `<stateDir>/timeline.db`: KafClaw's timeline database, opened private, in WAL mode, migrated. */
export class TimelineStore {
  readonly file: string;
  readonly #db: Database.Database;
  readonly #insertEvent: Database.Statement;
  readonly #listEvents: Database.Statement;
  readonly #getSetting: Database.Statement;
  readonly #setSetting: Database.Statement;
  readonly #insertDecision: Database.Statement;

  private constructor(file: string, db: Database.Database) {
    this.file = file;
    this.#db = db;
    this.#insertEvent = db.prepare(
      `INSERT INTO timeline (event_id, trace_id, timestamp, sender_id, sender_name, event_type, content_text,
         classification, authorized, metadata)
       VALUES (@event_id, @trace_id, @timestamp, @sender_id, @sender_name, @event_type, @content_text,
         @classification, @authorized, @metadata)`,
    );
    this.#listEvents = db.prepare(
      `SELECT ${EVENT_COLUMNS} FROM timeline
       WHERE (@sender IS NULL OR sender_id = @sender) AND (@trace_id IS NULL OR trace_id = @trace_id)
       ORDER BY timestamp DESC, id DESC LIMIT @limit OFFSET @offset`,
    );
    this.#getSetting = db.prepare('SELECT value FROM settings WHERE key = ?');
    this.#insertDecision = db.prepare(
      `INSERT INTO policy_decisions (trace_id, task_id, tool, tier, sender, channel, allowed, reason, created_at)
       VALUES (@trace_id, @task_id, @tool, @tier, @sender, @channel, @allowed, @reason, @created_at)`,
    );
    this.#setSetting = db.prepare(
      `INSERT INTO settings (key, value, updated_at) VALUES (?, ?, CURRENT_TIMESTAMP)
       ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
    );
  }

  static open(stateDir: string): TimelineStore {
    ensurePrivateDir(stateDir);
    const file = join(stateDir, TIMELINE_FILE);
    ensurePrivateFile(file);
    const db = new Database(file);
    try {
      db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      db.pragma('foreign_keys = ON');
      migrate(db, file);
      ensurePrivateFile(file);
      return new TimelineStore(file, db);
    } catch (error) {
      db.close();
      throw error;
    }
  }

  get schemaVersion(): number {
    return this.#db.pragma('user_version', { simple: true }) as number;
  }

  pragma(name: string): unknown {
    return this.#db.pragma(name, { simple: true });
  }

  record(event: TimelineEventInput): string {
    const eventId = randomUUID();
    this.#insertEvent.run({
      event_id: eventId,
      trace_id: event.traceId ?? null,
      timestamp: sqliteTimestamp(event.at ?? new Date()),
      sender_id: event.senderId ?? null,
      sender_name: event.senderName ?? null,
      event_type: event.eventType,
      content_text: event.contentText ?? null,
      classification: event.classification ?? null,
      authorized: event.authorized === false ? 0 : 1,
      metadata: event.metadata ? JSON.stringify(event.metadata) : null,
    });
    return eventId;
  }

  list(query: TimelineQuery): TimelineEvent[] {
    return this.#listEvents.all({
      limit: query.limit,
      offset: query.offset,
      sender: query.sender ?? null,
      trace_id: query.traceId ?? null,
    }) as TimelineEvent[];
  }

  recordPolicyDecision(decision: PolicyDecisionInput): void {
    this.#insertDecision.run({
      trace_id: decision.traceId ?? null,
      task_id: decision.taskId ?? null,
      tool: decision.tool,
      tier: decision.tier,
      sender: decision.sender,
      channel: decision.channel,
      allowed: decision.allowed ? 1 : 0,
      reason: decision.reason,
      created_at: sqliteTimestamp(decision.at ?? new Date()),
    });
  }

  getSetting(key: string): string | null {
    const row = this.#getSetting.get(key) as { value: string | null } | undefined;
    return row?.value ?? null;
  }

  setSetting(key: string, value: string): void {
    this.#setSetting.run(key, value);
  }

  /** Runs `work` in one immediate transaction (read-modify-write of settings, several rows at once). */
  transaction<T>(work: () => T): T {
    return this.#db.transaction(work).immediate();
  }

  get isOpen(): boolean {
    return this.#db.open;
  }

  /** Checkpoints the WAL into the main file and closes; safe to call twice. */
  close(): void {
    if (!this.#db.open) return;
    this.#db.pragma('wal_checkpoint(TRUNCATE)');
    this.#db.close();
  }
}
