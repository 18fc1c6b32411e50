// Test fixture (not a suite): a timeline.db with KafClaw's core schema, columns as in
// kafclaw-facts §3. The facts do not record foreign keys; web_links -> web_users carries one here so
// that foreign_key_check has something to check.
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const KAFCLAW_SCHEMA = `
CREATE TABLE IF NOT EXISTS timeline (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  event_id TEXT UNIQUE NOT NULL,
  trace_id TEXT, span_id TEXT, parent_span_id TEXT,
  timestamp DATETIME NOT NULL,
  sender_id TEXT, sender_name TEXT,
  event_type TEXT NOT NULL,
  content_text TEXT, media_path TEXT, vector_id TEXT, classification TEXT,
  authorized BOOLEAN DEFAULT 1,
  metadata TEXT,
  span_started_at DATETIME, span_ended_at DATETIME, span_duration_ms INTEGER
);
CREATE TABLE IF NOT EXISTS settings (key TEXT PRIMARY KEY, value TEXT, updated_at DATETIME DEFAULT CURRENT_TIMESTAMP);
CREATE TABLE IF NOT EXISTS web_users (
  id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT UNIQUE NOT NULL, force_send BOOLEAN DEFAULT 1,
  created_at DATETIME DEFAULT CURRENT_TIMESTAMP
);
CREATE TABLE IF NOT EXISTS web_links (
  web_user_id INTEGER PRIMARY KEY REFERENCES web_users(id), whatsapp_jid TEXT,
  created_at DATETIME DEFAULT CURRENT_TIMESTAMP, updated_at DATETIME DEFAULT CURRENT_TIMESTAMP
);
CREATE TABLE IF NOT EXISTS tasks (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  task_id TEXT UNIQUE NOT NULL, idempotency_key TEXT UNIQUE,
  trace_id TEXT, channel TEXT, chat_id TEXT, sender_id TEXT,
  status TEXT NOT NULL DEFAULT 'pending',
  content_in TEXT, content_out TEXT, error_text TEXT,
  prompt_tokens INTEGER DEFAULT 0, completion_tokens INTEGER DEFAULT 0, total_tokens INTEGER DEFAULT 0,
  delivery_status TEXT DEFAULT 'pending', delivery_attempts INTEGER DEFAULT 0, delivery_next_at DATETIME,
  created_at DATETIME DEFAULT CURRENT_TIMESTAMP, updated_at DATETIME DEFAULT CURRENT_TIMESTAMP, completed_at DATETIME,
  message_type TEXT, provider_id TEXT, model_name TEXT, cost_usd REAL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS policy_decisions (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  trace_id TEXT, task_id TEXT, tool TEXT, tier INTEGER, sender TEXT, channel TEXT,
  allowed BOOLEAN, reason TEXT, created_at DATETIME DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX IF NOT EXISTS idx_timeline_trace ON timeline(trace_id);
CREATE INDEX IF NOT EXISTS idx_tasks_trace ON tasks(trace_id);
`;

export function openKafclawDb(path: string): Database.Database {
  const db = new Database(path, { timeout: 5000 });
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  db.exec(KAFCLAW_SCHEMA);
  return db;
}

/** One unit of gateway work, all in one transaction: a task, its timeline event, its policy decision, a web user and its link. */
export function insertTurn(db: Database.Database, n: number, payloadBytes = 400): void {
  const trace = `trace-${n}`;
  const text = `message ${n} `.padEnd(payloadBytes, 'x');
  db.transaction(() => {
    db.prepare(
      `INSERT INTO timeline (event_id, trace_id, span_id, timestamp, sender_id, sender_name, event_type, content_text, classification, authorized, metadata)
       VALUES (?, ?, ?, datetime('now'), ?, ?, 'TEXT', ?, 'TURN', 1, ?)`,
    ).run(`ev-${n}`, trace, `span-${n}`, `sender-${n % 17}`, 'Someone', text, JSON.stringify({ n }));
    db.prepare(
      `INSERT INTO tasks (task_id, idempotency_key, trace_id, channel, chat_id, sender_id, status, content_in, content_out, prompt_tokens, completion_tokens, total_tokens, provider_id, model_name, cost_usd)
       VALUES (?, ?, ?, 'slack', 'C1', ?, 'completed', ?, ?, 10, 20, 30, 'anthropic', 'claude', 0.001)`,
    ).run(`task-${n}`, `idem-${n}`, trace, `sender-${n % 17}`, text, text);
    db.prepare(
      `INSERT INTO policy_decisions (trace_id, task_id, tool, tier, sender, channel, allowed, reason) VALUES (?, ?, 'read_file', 0, ?, 'slack', 1, 'tier 0')`,
    ).run(trace, `task-${n}`, `sender-${n % 17}`);
    const user = db.prepare('INSERT INTO web_users (name) VALUES (?)').run(`user-${n}`);
    db.prepare('INSERT INTO web_links (web_user_id, whatsapp_jid) VALUES (?, ?)').run(user.lastInsertRowid, `jid-${n}`);
  })();
}

export function seedKafclawDb(path: string, turns: number, payloadBytes = 400): void {
  const db = openKafclawDb(path);
  const insert = db.transaction(() => {
    for (let n = 0; n < turns; n++) insertTurn(db, n, payloadBytes);
  });
  insert();
  db.prepare("INSERT INTO settings (key, value) VALUES ('silent_mode', 'false'), ('daily_token_limit', '100000')").run();
  db.close();
}

export interface Fixture {
  root: string;
  stateDir: string;
  workspace: string;
  configPath: string;
  dest: string;
  cleanup(): void;
}

export const CANARY_TOKEN = 'canary0a1b2c3d4e5f60718293a4b5c6d7e8f9012345';
export const CANARY_ANTHROPIC = 'sk-ant-canary-9f8e7d6c5b4a39281706f5e4d3c2b1a0';
export const CANARY_UNKNOWN_KEY = 'canary-unknown-key-5d41402abc4b2a76b9719d911017c592';

export function kafclawConfig(): Record<string, unknown> {
  return {
    gateway: { host: '127.0.0.1', port: 18790, authToken: CANARY_TOKEN },
    providers: { anthropic: { apiKey: CANARY_ANTHROPIC, apiBase: '' }, openai: { apiKey: '${OPENAI_API_KEY}' } },
    channels: {
      slack: { enabled: true, botToken: '${SLACK_BOT_TOKEN}', appToken: CANARY_TOKEN + 'app', accounts: [{ id: 'a', botToken: CANARY_TOKEN + 'acct' }] },
    },
    model: { name: 'anthropic/claude-sonnet-4-5', maxTokens: 8192, notes: `pasted by mistake: ${CANARY_ANTHROPIC}` },
    custom: { webhookSecret: CANARY_UNKNOWN_KEY },
  };
}

/** A state dir with timeline.db (`turns` rows per core table), a workspace with identity files, and a config. */
export function makeFixture(turns = 200, options: { identity?: readonly string[] } = {}): Fixture {
  const root = mkdtempSync(join(tmpdir(), 'kafclaw-backup-test-'));
  const stateDir = join(root, 'state');
  const workspace = join(root, 'workspace');
  mkdirSync(stateDir);
  mkdirSync(workspace);
  seedKafclawDb(join(stateDir, 'timeline.db'), turns);
  for (const name of options.identity ?? ['SOUL.md', 'IDENTITY.md', 'AGENTS.md', 'TOOLS.md', 'USER.md']) {
    writeFileSync(join(workspace, name), `# ${name}\nI am the test agent.\n`);
  }
  const configPath = join(stateDir, 'config.json');
  writeFileSync(configPath, JSON.stringify(kafclawConfig(), null, 2));
  return { root, stateDir, workspace, configPath, dest: join(root, 'backups'), cleanup: () => rmSync(root, { recursive: true, force: true }) };
}
