import Database from 'better-sqlite3';
import { randomBytes, randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { join } from 'node:path';
import { readMonitorReadings } from '../../lib/monitor/index.js';
import type { MonitorReadings } from '../../lib/monitor/index.js';
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

/** An agent task as it starts (a `tasks` row with status `processing`). */
export interface TaskStart {
  taskId: string;
  traceId: string;
  channel: string;
  chatId?: string;
  senderId: string;
  contentIn: string;
  messageType: string;
  providerId: string;
  modelName: string;
  at?: Date;
}

/** Token counts given here replace the task's; counts left out keep what the task already has. */
export interface TaskEnd {
  status: 'completed' | 'failed';
  contentOut?: string;
  errorText?: string;
  promptTokens?: number;
  completionTokens?: number;
  totalTokens?: number;
  modelName?: string;
  at?: Date;
}

/** A task's running totals, written after every model call so the daily sum sees them at once. */
export interface TaskUsage {
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
  /** null when a model's price is unknown: not known to be free. */
  costUsd: number | null;
  modelName?: string;
  at?: Date;
}

/** KafClaw's vocabulary (internal/approval): a request the gateway stopped waiting for, for whatever reason, is `timeout`. */
export type ApprovalStatus = 'pending' | 'approved' | 'denied' | 'timeout';

/** A tool call waiting for an operator: an `approval_requests` row. `arguments` must already be scrubbed. */
export interface ApprovalInput {
  traceId?: string;
  taskId?: string;
  tool: string;
  tier: number;
  arguments: string;
  sender: string;
  channel: string;
  at?: Date;
}

export interface ApprovalRow {
  id: number;
  approval_id: string;
  trace_id: string | null;
  task_id: string | null;
  tool: string;
  tier: number;
  arguments: string | null;
  sender: string | null;
  channel: string | null;
  status: string;
  created_at: string;
  responded_at: string | null;
}

/** What answering a request did: changed it, or why not. */
export type ApprovalAnswer =
  | { ok: true; row: ApprovalRow }
  | { ok: false; problem: 'not_found' }
  | { ok: false; problem: 'not_pending'; row: ApprovalRow };

export interface TaskRow {
  task_id: string;
  trace_id: string | null;
  channel: string | null;
  sender_id: string | null;
  status: string;
  content_out: string | null;
  error_text: string | null;
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  cost_usd: number | null;
  provider_id: string | null;
  model_name: string | null;
  message_type: string | null;
  created_at: string;
  completed_at: string | null;
}

export interface TimelineQuery {
  limit: number;
  offset: number;
  sender?: string;
  traceId?: string;
}

const APPROVAL_COLUMNS = 'id, approval_id, trace_id, task_id, tool, tier, arguments, sender, channel, status, created_at, responded_at';

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
  readonly #insertTask: Database.Statement;
  readonly #finishTask: Database.Statement;
  readonly #getTask: Database.Statement;
  readonly #securityEvents: Database.Statement;
  readonly #updateUsage: Database.Statement;
  readonly #dailyTokens: Database.Statement;
  readonly #insertApproval: Database.Statement;
  readonly #getApproval: Database.Statement;
  readonly #pendingApprovals: Database.Statement;
  readonly #closeApproval: Database.Statement;
  readonly #expireApprovals: Database.Statement;
  /** Emits `approval` with the approval_id whenever a request leaves `pending` through this store. */
  readonly #approvalEvents = new EventEmitter().setMaxListeners(0);

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
    this.#insertTask = db.prepare(
      `INSERT INTO tasks (task_id, trace_id, channel, chat_id, sender_id, status, content_in, message_type, provider_id,
         model_name, delivery_status, cost_usd, created_at, updated_at)
       VALUES (@task_id, @trace_id, @channel, @chat_id, @sender_id, 'processing', @content_in, @message_type, @provider_id,
         @model_name, 'skipped', NULL, @at, @at)`,
    );
    this.#finishTask = db.prepare(
      `UPDATE tasks SET status = @status, content_out = @content_out, error_text = @error_text,
         prompt_tokens = COALESCE(@prompt_tokens, prompt_tokens), completion_tokens = COALESCE(@completion_tokens, completion_tokens),
         total_tokens = COALESCE(@total_tokens, total_tokens),
         model_name = COALESCE(@model_name, model_name), updated_at = @at, completed_at = @at
       WHERE task_id = @task_id`,
    );
    this.#updateUsage = db.prepare(
      `UPDATE tasks SET prompt_tokens = @prompt_tokens, completion_tokens = @completion_tokens, total_tokens = @total_tokens,
         cost_usd = @cost_usd, model_name = COALESCE(@model_name, model_name), updated_at = @at
       WHERE task_id = @task_id`,
    );
    // date() reads our timestamps, CURRENT_TIMESTAMP and Go's text times alike, as the monitor does.
    this.#dailyTokens = db.prepare(`SELECT COALESCE(SUM(total_tokens), 0) AS n FROM tasks WHERE date(created_at) = date(?)`);
    this.#getTask = db.prepare(
      `SELECT task_id, trace_id, channel, sender_id, status, content_out, error_text, prompt_tokens, completion_tokens,
         total_tokens, cost_usd, provider_id, model_name, message_type, created_at, completed_at FROM tasks WHERE task_id = ?`,
    );
    this.#insertApproval = db.prepare(
      `INSERT INTO approval_requests (approval_id, trace_id, task_id, tool, tier, arguments, sender, channel, status, created_at)
       VALUES (@approval_id, @trace_id, @task_id, @tool, @tier, @arguments, @sender, @channel, 'pending', @at)`,
    );
    this.#getApproval = db.prepare(`SELECT ${APPROVAL_COLUMNS} FROM approval_requests WHERE approval_id = ?`);
    this.#pendingApprovals = db.prepare(
      `SELECT ${APPROVAL_COLUMNS} FROM approval_requests WHERE status = 'pending' ORDER BY created_at, id LIMIT ?`,
    );
    this.#closeApproval = db.prepare(
      `UPDATE approval_requests SET status = @status, responded_at = @at
       WHERE approval_id = @approval_id AND status = 'pending' AND julianday(created_at) >= julianday(@not_before)`,
    );
    this.#expireApprovals = db.prepare(
      `UPDATE approval_requests SET status = 'timeout', responded_at = @at
       WHERE status = 'pending' AND julianday(created_at) < julianday(@not_before) RETURNING approval_id`,
    );
    this.#securityEvents = db.prepare(
      `SELECT ${EVENT_COLUMNS} FROM timeline WHERE event_type = 'SECURITY' OR authorized = 0
       ORDER BY timestamp DESC, id DESC LIMIT ?`,
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

  startTask(task: TaskStart): void {
    this.#insertTask.run({
      task_id: task.taskId,
      trace_id: task.traceId,
      channel: task.channel,
      chat_id: task.chatId ?? null,
      sender_id: task.senderId,
      content_in: task.contentIn,
      message_type: task.messageType,
      provider_id: task.providerId,
      model_name: task.modelName,
      at: sqliteTimestamp(task.at ?? new Date()),
    });
  }

  finishTask(taskId: string, end: TaskEnd): void {
    this.#finishTask.run({
      task_id: taskId,
      status: end.status,
      content_out: end.contentOut ?? null,
      error_text: end.errorText ?? null,
      prompt_tokens: end.promptTokens ?? null,
      completion_tokens: end.completionTokens ?? null,
      total_tokens: end.totalTokens ?? null,
      model_name: end.modelName ?? null,
      at: sqliteTimestamp(end.at ?? new Date()),
    });
  }

  updateTaskUsage(taskId: string, usage: TaskUsage): void {
    this.#updateUsage.run({
      task_id: taskId,
      prompt_tokens: usage.promptTokens,
      completion_tokens: usage.completionTokens,
      total_tokens: usage.totalTokens,
      cost_usd: usage.costUsd,
      model_name: usage.modelName ?? null,
      at: sqliteTimestamp(usage.at ?? new Date()),
    });
  }

  /** SUM(total_tokens) of the tasks created on `now`'s UTC date: what `daily_token_limit` is held against. */
  tokensUsedOn(now: Date): number {
    return (this.#dailyTokens.get(sqliteTimestamp(now)) as { n: number }).n;
  }

  createApproval(input: ApprovalInput): ApprovalRow {
    const approvalId = randomBytes(8).toString('hex');
    this.#insertApproval.run({
      approval_id: approvalId,
      trace_id: input.traceId ?? null,
      task_id: input.taskId ?? null,
      tool: input.tool,
      tier: input.tier,
      arguments: input.arguments,
      sender: input.sender,
      channel: input.channel,
      at: sqliteTimestamp(input.at ?? new Date()),
    });
    return this.getApproval(approvalId)!;
  }

  getApproval(approvalId: string): ApprovalRow | null {
    return (this.#getApproval.get(approvalId) as ApprovalRow | undefined) ?? null;
  }

  /** Pending requests, oldest first; call `expireApprovals` before, so none listed is already out of time. */
  pendingApprovals(limit: number): ApprovalRow[] {
    return this.#pendingApprovals.all(limit) as ApprovalRow[];
  }

  /**
   * Moves a pending request created at or after `notBefore` to `status`. A request that is no longer
   * pending, or that is older than `notBefore` (out of time), is left as it is and reported.
   */
  closeApproval(approvalId: string, status: Exclude<ApprovalStatus, 'pending'>, notBefore: Date, at: Date = new Date()): ApprovalAnswer {
    const changed = this.#closeApproval.run({
      approval_id: approvalId,
      status,
      at: sqliteTimestamp(at),
      not_before: sqliteTimestamp(notBefore),
    }).changes;
    const row = this.getApproval(approvalId);
    if (!row) return { ok: false, problem: 'not_found' };
    if (changed === 0) return { ok: false, problem: 'not_pending', row };
    this.#approvalEvents.emit('approval', approvalId);
    return { ok: true, row };
  }

  /** Marks every pending request created before `notBefore` as timed out; returns their ids. */
  expireApprovals(notBefore: Date, at: Date = new Date()): string[] {
    const ids = (this.#expireApprovals.all({ at: sqliteTimestamp(at), not_before: sqliteTimestamp(notBefore) }) as Array<{ approval_id: string }>).map(
      (row) => row.approval_id,
    );
    for (const id of ids) this.#approvalEvents.emit('approval', id);
    return ids;
  }

  /** Calls `listener` with the approval_id of each request this store moves out of `pending`; returns the unsubscribe. */
  onApprovalClosed(listener: (approvalId: string) => void): () => void {
    this.#approvalEvents.on('approval', listener);
    return () => this.#approvalEvents.off('approval', listener);
  }

  getTask(taskId: string): TaskRow | null {
    return (this.#getTask.get(taskId) as TaskRow | undefined) ?? null;
  }

  /** Security events and unauthorized messages, newest first. */
  securityEvents(limit: number): TimelineEvent[] {
    return this.#securityEvents.all(limit) as TimelineEvent[];
  }

  /** What the monitoring signals read, from this database. */
  monitorReadings(now: Date, windowHours: number): MonitorReadings {
    return readMonitorReadings(this.#db, now, windowHours);
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
