import { test } from 'uvu';
import * as assert from 'uvu/assert';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readMonitorFile, readMonitorReadings } from '../../../lib/monitor/read.js';
import { evaluateSignals } from '../../../lib/monitor/signals.js';

const NOW = new Date('2026-11-25T12:00:00Z');

/** KafClaw's own schema (facts §3) as its Go code creates it, without our migrations. */
const KAFCLAW_SCHEMA = `
CREATE TABLE timeline (id INTEGER PRIMARY KEY AUTOINCREMENT, event_id TEXT UNIQUE, trace_id TEXT, span_id TEXT, parent_span_id TEXT,
  timestamp DATETIME, sender_id TEXT, sender_name TEXT, event_type TEXT, content_text TEXT, media_path TEXT, vector_id TEXT,
  classification TEXT, authorized BOOLEAN DEFAULT 1, metadata TEXT, span_started_at DATETIME, span_ended_at DATETIME, span_duration_ms INTEGER);
CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT, updated_at DATETIME DEFAULT CURRENT_TIMESTAMP);
CREATE TABLE tasks (id INTEGER PRIMARY KEY AUTOINCREMENT, task_id TEXT UNIQUE, idempotency_key TEXT UNIQUE, trace_id TEXT, channel TEXT,
  chat_id TEXT, sender_id TEXT, status TEXT, content_in TEXT, content_out TEXT, error_text TEXT, prompt_tokens INTEGER DEFAULT 0,
  completion_tokens INTEGER DEFAULT 0, total_tokens INTEGER DEFAULT 0, delivery_status TEXT, delivery_attempts INTEGER, delivery_next_at DATETIME,
  created_at DATETIME DEFAULT CURRENT_TIMESTAMP, updated_at DATETIME, completed_at DATETIME, message_type TEXT, provider_id TEXT, model_name TEXT, cost_usd REAL);
CREATE TABLE policy_decisions (id INTEGER PRIMARY KEY AUTOINCREMENT, trace_id TEXT, task_id TEXT, tool TEXT, tier INTEGER, sender TEXT,
  channel TEXT, allowed BOOLEAN, reason TEXT, created_at DATETIME DEFAULT CURRENT_TIMESTAMP);`;

function withDb(run: (db: Database.Database, file: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'kafclaw-monitor-'));
  const file = join(dir, 'timeline.db');
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    db.exec(KAFCLAW_SCHEMA);
    run(db, file);
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

let seq = 0;
function event(db: Database.Database, timestamp: string, fields: { sender: string; type: string; classification?: string; authorized?: number; metadata?: string }): void {
  db.prepare(`INSERT INTO timeline (event_id, timestamp, sender_id, event_type, classification, authorized, metadata) VALUES (?, ?, ?, ?, ?, ?, ?)`)
    .run(`e${++seq}`, timestamp, fields.sender, fields.type, fields.classification ?? null, fields.authorized ?? 1, fields.metadata ?? null);
}

function task(db: Database.Database, createdAt: string, total: number): void {
  db.prepare(`INSERT INTO tasks (task_id, status, total_tokens, created_at) VALUES (?, 'completed', ?, ?)`).run(`t${++seq}`, total, createdAt);
}

test('reads a KafClaw-schema database with Go timestamps (nanoseconds, offset) and our own format alike', () => {
  withDb((db) => {
    // trailing days: 3 days with use (median 200); an 8-days-old day is outside the window
    task(db, '2026-11-17 09:00:00', 50_000);
    task(db, '2026-11-20 09:00:00', 100);
    task(db, '2026-11-22 09:00:00', 150);
    task(db, '2026-11-22 10:00:00', 50);
    task(db, '2026-11-24 23:59:59', 300);
    task(db, '2026-11-25 00:00:01', 500);
    task(db, '2026-11-25 11:00:00.123', 150);
    // unauthorized WhatsApp senders: two inside the window (one with a Go timestamp), one outside
    event(db, '2026-11-25 02:15:00.123456789+00:00', { sender: '4917', type: 'TEXT', classification: 'AUTH_TOKEN_SUBMITTED', authorized: 0 });
    event(db, '2026-11-24T13:00:00Z', { sender: '4918', type: 'TEXT', authorized: 0 });
    event(db, '2026-11-24 11:59:00', { sender: '4919', type: 'TEXT', authorized: 0 });
    event(db, '2026-11-25 03:00:00', { sender: 'ok', type: 'TEXT', authorized: 1 });
    // auth failures per address (SECURITY events are not unknown senders)
    for (let i = 0; i < 4; i++) event(db, `2026-11-25 0${i}:00:00.000`, { sender: '10.0.0.9', type: 'SECURITY', classification: 'AUTH_FAILURE', authorized: 0 });
    event(db, '2026-11-25 05:00:00', { sender: '10.0.0.8', type: 'SECURITY', classification: 'AUTH_FAILURE', authorized: 0 });
    // denied tool attempts: by session from our TOOL_DENIED events, by sender from policy_decisions
    for (let i = 0; i < 3; i++) event(db, '2026-11-25 06:00:00', { sender: 'u1', type: 'SECURITY', classification: 'TOOL_DENIED', metadata: JSON.stringify({ tier: 2, session_key: 'slack:default:D1' }) });
    event(db, '2026-11-25 06:00:00', { sender: 'u1', type: 'SECURITY', classification: 'TOOL_DENIED', metadata: JSON.stringify({ tier: 1, session_key: 'slack:default:D1' }) });
    event(db, '2026-11-25 06:00:00', { sender: 'u1', type: 'SYSTEM', classification: 'TOOL', metadata: 'not json' });
    const decision = db.prepare(`INSERT INTO policy_decisions (tool, tier, sender, channel, allowed, reason, created_at) VALUES (?, ?, ?, 'slack', ?, 'r', ?)`);
    decision.run('exec', 2, 'u1', 0, '2026-11-25 06:00:00');
    decision.run('exec', 2, 'u1', 0, '2026-11-25 07:00:00');
    decision.run('exec', 2, 'u2', 0, '2026-11-25 07:00:00');
    decision.run('exec', 2, 'u2', 1, '2026-11-25 07:00:00');
    decision.run('write_file', 1, 'u2', 0, '2026-11-25 07:00:00');
    decision.run('exec', 2, 'u2', 0, '2026-11-23 07:00:00');

    const readings = readMonitorReadings(db, NOW, 24);
    assert.is(readings.tokensToday, 650);
    assert.equal(readings.trailingDailyTokens, [100, 200, 300]);
    assert.equal([readings.unknownSenderEvents, readings.unknownSenders], [2, 2]);
    assert.equal(readings.authFailuresByAddress, [{ subject: '10.0.0.9', count: 4 }, { subject: '10.0.0.8', count: 1 }]);
    assert.equal(readings.deniedHighTierBySession, [{ subject: 'slack:default:D1', count: 3 }]);
    assert.equal(readings.deniedHighTierBySender, [{ subject: 'u1', count: 2 }, { subject: 'u2', count: 1 }]);
    assert.equal(readings.missingTables, []);
    const verdicts = evaluateSignals(readings).map((s) => [s.id, s.verdict, s.observed]);
    assert.equal(verdicts, [
      ['token-usage-spike', 'alert', 650],
      ['unknown-senders', 'ok', 2],
      ['high-risk-tool-attempts', 'alert', 3],
      ['auth-failures', 'ok', 4],
    ]);
  });
});

test('readMonitorFile opens read-only: null without a file, no writes, missing tables read as zero', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kafclaw-monitor-'));
  try {
    assert.is(readMonitorFile(join(dir, 'timeline.db'), NOW, 24), null);
    const file = join(dir, 'other.db');
    const db = new Database(file);
    db.exec('CREATE TABLE timeline (id INTEGER, timestamp TEXT, sender_id TEXT, event_type TEXT, classification TEXT, authorized BOOLEAN, metadata TEXT)');
    db.close();
    const readings = readMonitorFile(file, NOW, 24)!;
    assert.equal(readings.missingTables, ['tasks', 'policy_decisions']);
    assert.is(readings.tokensToday, 0);
    const after = new Database(file, { readonly: true });
    assert.equal((after.prepare(`SELECT name FROM sqlite_master`).all() as Array<{ name: string }>).map((r) => r.name), ['timeline']);
    after.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
