/**
 * KafClaw's core timeline tables with its exact column names (facts §3), so monitoring and backup
 * code reads a real KafClaw `timeline.db` and ours alike. Columns KafClaw added by later migrations
 * are listed in ADDED_COLUMNS and added to an older database when missing.
 */
export const CORE_TABLES: readonly string[] = [
  `CREATE TABLE IF NOT EXISTS timeline (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id TEXT NOT NULL UNIQUE,
    trace_id TEXT,
    span_id TEXT,
    parent_span_id TEXT,
    timestamp DATETIME NOT NULL,
    sender_id TEXT,
    sender_name TEXT,
    event_type TEXT NOT NULL,
    content_text TEXT,
    media_path TEXT,
    vector_id TEXT,
    classification TEXT,
    authorized BOOLEAN DEFAULT 1,
    metadata TEXT,
    span_started_at DATETIME,
    span_ended_at DATETIME,
    span_duration_ms INTEGER
  )`,
  `CREATE TABLE IF NOT EXISTS settings (
    key TEXT PRIMARY KEY,
    value TEXT,
    updated_at DATETIME DEFAULT CURRENT_TIMESTAMP
  )`,
  `CREATE TABLE IF NOT EXISTS tasks (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    task_id TEXT NOT NULL UNIQUE,
    idempotency_key TEXT UNIQUE,
    trace_id TEXT,
    channel TEXT,
    chat_id TEXT,
    sender_id TEXT,
    status TEXT NOT NULL DEFAULT 'pending',
    content_in TEXT,
    content_out TEXT,
    error_text TEXT,
    prompt_tokens INTEGER DEFAULT 0,
    completion_tokens INTEGER DEFAULT 0,
    total_tokens INTEGER DEFAULT 0,
    delivery_status TEXT DEFAULT 'pending',
    delivery_attempts INTEGER DEFAULT 0,
    delivery_next_at DATETIME,
    created_at DATETIME DEFAULT CURRENT_TIMESTAMP,
    updated_at DATETIME DEFAULT CURRENT_TIMESTAMP,
    completed_at DATETIME,
    message_type TEXT,
    provider_id TEXT,
    model_name TEXT,
    cost_usd REAL DEFAULT 0
  )`,
  `CREATE TABLE IF NOT EXISTS policy_decisions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    trace_id TEXT,
    task_id TEXT,
    tool TEXT,
    tier INTEGER,
    sender TEXT,
    channel TEXT,
    allowed BOOLEAN,
    reason TEXT,
    created_at DATETIME DEFAULT CURRENT_TIMESTAMP
  )`,
];

/** [table, column, definition usable in ALTER TABLE ADD COLUMN]. */
export const ADDED_COLUMNS: ReadonlyArray<readonly [string, string, string]> = [
  ['timeline', 'classification', 'TEXT'],
  ['timeline', 'authorized', 'BOOLEAN DEFAULT 1'],
  ['timeline', 'metadata', 'TEXT'],
  ['timeline', 'span_id', 'TEXT'],
  ['timeline', 'parent_span_id', 'TEXT'],
  ['timeline', 'span_started_at', 'DATETIME'],
  ['timeline', 'span_ended_at', 'DATETIME'],
  ['timeline', 'span_duration_ms', 'INTEGER'],
  ['tasks', 'idempotency_key', 'TEXT'],
  ['tasks', 'prompt_tokens', 'INTEGER DEFAULT 0'],
  ['tasks', 'completion_tokens', 'INTEGER DEFAULT 0'],
  ['tasks', 'total_tokens', 'INTEGER DEFAULT 0'],
  ['tasks', 'delivery_status', "TEXT DEFAULT 'pending'"],
  ['tasks', 'delivery_attempts', 'INTEGER DEFAULT 0'],
  ['tasks', 'delivery_next_at', 'DATETIME'],
  ['tasks', 'message_type', 'TEXT'],
  ['tasks', 'provider_id', 'TEXT'],
  ['tasks', 'model_name', 'TEXT'],
  ['tasks', 'cost_usd', 'REAL DEFAULT 0'],
];

/** KafClaw's `approval_requests` table, exactly as KafClaw creates it (facts §3). */
export const APPROVAL_TABLE = `CREATE TABLE IF NOT EXISTS approval_requests (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    approval_id TEXT UNIQUE NOT NULL,
    trace_id TEXT,
    task_id TEXT,
    tool TEXT NOT NULL,
    tier INTEGER NOT NULL,
    arguments TEXT,
    sender TEXT,
    channel TEXT,
    status TEXT NOT NULL DEFAULT 'pending',
    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    responded_at DATETIME
  )`;

/** KafClaw's own index names, so a KafClaw database is not given a second copy of each. */
export const APPROVAL_INDEXES: readonly string[] = [
  'CREATE INDEX IF NOT EXISTS idx_approval_status ON approval_requests(status)',
  'CREATE INDEX IF NOT EXISTS idx_approval_id ON approval_requests(approval_id)',
];

export const CORE_INDEXES: readonly string[] = [
  'CREATE INDEX IF NOT EXISTS idx_timeline_timestamp ON timeline(timestamp)',
  'CREATE INDEX IF NOT EXISTS idx_timeline_trace ON timeline(trace_id)',
  'CREATE INDEX IF NOT EXISTS idx_timeline_sender ON timeline(sender_id)',
  'CREATE INDEX IF NOT EXISTS idx_timeline_type_class ON timeline(event_type, classification)',
  'CREATE INDEX IF NOT EXISTS idx_tasks_created ON tasks(created_at)',
  'CREATE INDEX IF NOT EXISTS idx_policy_decisions_trace ON policy_decisions(trace_id)',
];
