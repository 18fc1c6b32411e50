import { test } from 'uvu';
import * as assert from 'uvu/assert';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { migrate, MIGRATIONS, SCHEMA_VERSION } from '../../../runtime/timeline/migrations.js';
import { TimelineStore } from '../../../runtime/timeline/store.js';
import { tempDir } from '../fixtures.js';

function columns(db: Database.Database, table: string): string[] {
  return (db.prepare('SELECT name FROM pragma_table_info(?)').all(table) as Array<{ name: string }>).map((r) => r.name);
}

test('a fresh database gets the four core tables with KafClaw column names', () => {
  const db = new Database(':memory:');
  assert.equal(migrate(db, ':memory:'), [1, 2]);
  assert.is(db.pragma('user_version', { simple: true }), SCHEMA_VERSION);
  assert.equal(columns(db, 'timeline'), [
    'id', 'event_id', 'trace_id', 'span_id', 'parent_span_id', 'timestamp', 'sender_id', 'sender_name', 'event_type',
    'content_text', 'media_path', 'vector_id', 'classification', 'authorized', 'metadata', 'span_started_at',
    'span_ended_at', 'span_duration_ms',
  ]);
  assert.equal(columns(db, 'settings'), ['key', 'value', 'updated_at']);
  assert.equal(columns(db, 'tasks'), [
    'id', 'task_id', 'idempotency_key', 'trace_id', 'channel', 'chat_id', 'sender_id', 'status', 'content_in',
    'content_out', 'error_text', 'prompt_tokens', 'completion_tokens', 'total_tokens', 'delivery_status',
    'delivery_attempts', 'delivery_next_at', 'created_at', 'updated_at', 'completed_at', 'message_type',
    'provider_id', 'model_name', 'cost_usd',
  ]);
  assert.equal(columns(db, 'policy_decisions'), ['id', 'trace_id', 'task_id', 'tool', 'tier', 'sender', 'channel', 'allowed', 'reason', 'created_at']);
  assert.equal(migrate(db, ':memory:'), []);
  db.close();
});

test('an older KafClaw database (user_version 0, early columns only) keeps its rows and gains the missing columns', () => {
  const dir = tempDir();
  try {
    const file = join(dir.path, 'timeline.db');
    const old = new Database(file);
    old.exec(`CREATE TABLE timeline (id INTEGER PRIMARY KEY AUTOINCREMENT, event_id TEXT UNIQUE, trace_id TEXT,
      timestamp DATETIME, sender_id TEXT, sender_name TEXT, event_type TEXT, content_text TEXT, media_path TEXT, vector_id TEXT)`);
    old.exec(`CREATE TABLE tasks (id INTEGER PRIMARY KEY AUTOINCREMENT, task_id TEXT UNIQUE, trace_id TEXT, channel TEXT,
      chat_id TEXT, sender_id TEXT, status TEXT, content_in TEXT, content_out TEXT, error_text TEXT,
      created_at DATETIME DEFAULT CURRENT_TIMESTAMP, updated_at DATETIME, completed_at DATETIME)`);
    old.exec(`CREATE TABLE web_users (id INTEGER PRIMARY KEY, name TEXT UNIQUE)`);
    old.prepare(`INSERT INTO timeline (event_id, timestamp, sender_id, event_type, content_text) VALUES ('e1', '2026-01-01 00:00:00', 'u', 'TEXT', 'kept')`).run();
    old.close();

    const store = TimelineStore.open(dir.path);
    const events = store.list({ limit: 10, offset: 0 });
    assert.equal(events.map((e) => [e.event_id, e.content_text, e.authorized]), [['e1', 'kept', 1]]);
    store.close();

    const db = new Database(file, { readonly: true });
    assert.ok(columns(db, 'timeline').includes('classification'));
    assert.ok(columns(db, 'tasks').includes('total_tokens'));
    assert.ok(columns(db, 'tasks').includes('cost_usd'));
    assert.equal(columns(db, 'web_users'), ['id', 'name']);
    assert.is(db.pragma('user_version', { simple: true }), SCHEMA_VERSION);
    db.close();
  } finally {
    dir.remove();
  }
});

test('a database from a newer version is refused with what to do', () => {
  const db = new Database(':memory:');
  db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
  assert.throws(() => migrate(db, '/x/timeline.db'), new RegExp(`/x/timeline\\.db has schema version ${SCHEMA_VERSION + 1}, newer .*upgrade kafclaw-hardening`));
  db.close();
});

test('version 2 adds approval_requests with KafClaw columns; a version-1 database gets it, keeping its rows', () => {
  const dir = tempDir();
  try {
    const file = join(dir.path, 'timeline.db');
    const v1 = new Database(file);
    // exactly what a gateway before this migration left behind
    const first = MIGRATIONS.find((m) => m.version === 1)!;
    v1.transaction(() => {
      first.up(v1);
      v1.pragma('user_version = 1');
    })();
    v1.prepare(`INSERT INTO tasks (task_id, total_tokens) VALUES ('t1', 42)`).run();
    v1.close();
    const store = TimelineStore.open(dir.path);
    assert.is(store.schemaVersion, 2);
    store.close();
    const db = new Database(file, { readonly: true });
    assert.equal(columns(db, 'approval_requests'), [
      'id', 'approval_id', 'trace_id', 'task_id', 'tool', 'tier', 'arguments', 'sender', 'channel', 'status', 'created_at', 'responded_at',
    ]);
    assert.is((db.prepare(`SELECT total_tokens FROM tasks WHERE task_id = 't1'`).get() as { total_tokens: number }).total_tokens, 42);
    db.close();
  } finally {
    dir.remove();
  }
});

test('a KafClaw database that already has approval_requests keeps its table and rows', () => {
  const dir = tempDir();
  try {
    const file = join(dir.path, 'timeline.db');
    const kafclaw = new Database(file);
    kafclaw.exec(`CREATE TABLE approval_requests (id INTEGER PRIMARY KEY AUTOINCREMENT, approval_id TEXT UNIQUE NOT NULL, trace_id TEXT,
      task_id TEXT, tool TEXT NOT NULL, tier INTEGER NOT NULL, arguments TEXT, sender TEXT, channel TEXT,
      status TEXT NOT NULL DEFAULT 'pending', created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP, responded_at DATETIME)`);
    kafclaw.exec('CREATE INDEX idx_approval_status ON approval_requests(status)');
    kafclaw.prepare(`INSERT INTO approval_requests (approval_id, tool, tier, status) VALUES ('0123456789abcdef', 'exec', 3, 'timeout')`).run();
    kafclaw.close();
    const store = TimelineStore.open(dir.path);
    assert.equal([store.getApproval('0123456789abcdef')?.tool, store.getApproval('0123456789abcdef')?.status], ['exec', 'timeout']);
    store.close();
  } finally {
    dir.remove();
  }
});

test.run();
