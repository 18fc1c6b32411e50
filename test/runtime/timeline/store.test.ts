import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { TimelineStore } from '../../../runtime/timeline/store.js';
import { SCHEMA_VERSION } from '../../../runtime/timeline/migrations.js';
import { tempDir } from '../fixtures.js';

test('opens <stateDir>/timeline.db private, in WAL mode, with a busy timeout, migrated', () => {
  const dir = tempDir();
  try {
    const stateDir = join(dir.path, 'deep', 'state');
    const store = TimelineStore.open(stateDir);
    store.record({ eventType: 'SYSTEM', contentText: 'hello' });
    assert.is(store.file, join(stateDir, 'timeline.db'));
    assert.is(store.pragma('journal_mode'), 'wal');
    assert.is(store.pragma('busy_timeout'), 5000);
    assert.is(store.schemaVersion, SCHEMA_VERSION);
    assert.is(statSync(stateDir).mode & 0o777, 0o700);
    for (const suffix of ['', '-wal', '-shm']) assert.is(statSync(store.file + suffix).mode & 0o777, 0o600, suffix);
    store.close();
    store.close();
    assert.not.ok(store.isOpen);
  } finally {
    dir.remove();
  }
});

test('records events with KafClaw columns and lists them newest first with filters', () => {
  const dir = tempDir();
  try {
    const store = TimelineStore.open(dir.path);
    store.record({ eventType: 'TEXT', senderId: 'alice', traceId: 't1', contentText: 'one', at: new Date('2026-11-25T01:00:00Z') });
    store.record({ eventType: 'TEXT', senderId: 'bob', traceId: 't2', contentText: 'two', at: new Date('2026-11-25T02:00:00Z') });
    const id = store.record({
      eventType: 'SECURITY', classification: 'AUTH_FAILURE', senderId: 'alice', authorized: false,
      metadata: { route: '/x' }, at: new Date('2026-11-25T03:00:00Z'),
    });
    const all = store.list({ limit: 10, offset: 0 });
    assert.equal(all.map((e) => e.content_text), [null, 'two', 'one']);
    assert.is(all[0]!.event_id, id);
    assert.is(all[0]!.timestamp, '2026-11-25 03:00:00.000');
    assert.is(all[0]!.authorized, 0);
    assert.is(all[1]!.authorized, 1);
    assert.equal(JSON.parse(all[0]!.metadata!), { route: '/x' });
    assert.equal(store.list({ limit: 10, offset: 0, sender: 'alice' }).length, 2);
    assert.equal(store.list({ limit: 10, offset: 0, traceId: 't2' }).map((e) => e.sender_id), ['bob']);
    assert.equal(store.list({ limit: 1, offset: 1 }).map((e) => e.content_text), ['two']);
    store.close();
  } finally {
    dir.remove();
  }
});

test('tightens a state directory that was left wider', async () => {
  const dir = tempDir();
  try {
    const { chmodSync, mkdirSync, writeFileSync } = await import('node:fs');
    const stateDir = join(dir.path, 'state');
    mkdirSync(stateDir, { mode: 0o755 });
    chmodSync(stateDir, 0o755);
    writeFileSync(join(stateDir, 'timeline.db'), '', { mode: 0o644 });
    chmodSync(join(stateDir, 'timeline.db'), 0o644);
    const store = TimelineStore.open(stateDir);
    assert.is(statSync(stateDir).mode & 0o777, 0o700);
    assert.is(statSync(store.file).mode & 0o777, 0o600);
    store.close();
  } finally {
    dir.remove();
  }
});

test('tasks: started processing, finished with token use; security events and monitor readings come from the same file', () => {
  const dir = tempDir();
  const store = TimelineStore.open(join(dir.path, 'state'));
  try {
    const at = new Date('2026-11-25T10:00:00Z');
    store.startTask({ taskId: 't1', traceId: 'tr', channel: 'slack', chatId: 'D1', senderId: 'u1', contentIn: 'hi', messageType: 'external', providerId: 'offline', modelName: 'm0', at });
    assert.equal([store.getTask('t1')!.status, store.getTask('t1')!.total_tokens, store.getTask('t1')!.completed_at], ['processing', 0, null]);
    store.finishTask('t1', { status: 'completed', contentOut: 'ok', promptTokens: 3, completionTokens: 4, totalTokens: 7, modelName: 'm1', at });
    const task = store.getTask('t1')!;
    assert.equal([task.status, task.prompt_tokens, task.completion_tokens, task.total_tokens, task.model_name, task.created_at], ['completed', 3, 4, 7, 'm1', '2026-11-25 10:00:00.000']);
    assert.is(store.getTask('nope'), null);
    store.record({ eventType: 'TEXT', senderId: 'ok', contentText: 'fine' });
    store.record({ eventType: 'TEXT', senderId: 'stranger', authorized: false });
    store.record({ eventType: 'SECURITY', classification: 'AUTH_FAILURE', senderId: '127.0.0.9', authorized: false });
    assert.equal(store.securityEvents(10).map((e) => e.sender_id), ['127.0.0.9', 'stranger']);
    const readings = store.monitorReadings(new Date('2026-11-25T12:00:00Z'), 24);
    assert.equal([readings.tokensToday, readings.authFailuresByAddress], [7, [{ subject: '127.0.0.9', count: 1 }]]);
  } finally {
    store.close();
    dir.remove();
  }
});

test('task usage: running totals and cost written per call, NULL cost until known, finishTask keeps them', () => {
  const dir = tempDir();
  const store = TimelineStore.open(dir.path);
  try {
    store.startTask({ taskId: 't1', traceId: 'tr', channel: 'slack', senderId: 'u1', contentIn: 'hi', messageType: 'external', providerId: 'openai', modelName: 'm' });
    assert.is(store.getTask('t1')!.cost_usd, null, 'a new task has no cost yet, not a zero one');
    store.updateTaskUsage('t1', { promptTokens: 10, completionTokens: 5, totalTokens: 15, costUsd: 0.25, modelName: 'm-2026' });
    store.finishTask('t1', { status: 'completed', contentOut: 'done' });
    const task = store.getTask('t1')!;
    assert.equal([task.prompt_tokens, task.completion_tokens, task.total_tokens, task.cost_usd, task.model_name], [10, 5, 15, 0.25, 'm-2026']);
    store.updateTaskUsage('t1', { promptTokens: 10, completionTokens: 5, totalTokens: 15, costUsd: null });
    assert.is(store.getTask('t1')!.cost_usd, null);
  } finally {
    store.close();
    dir.remove();
  }
});

test('tokensUsedOn sums the UTC date of created_at, in our format and in KafClaw\'s', async () => {
  const dir = tempDir();
  const store = TimelineStore.open(dir.path);
  try {
    const start = (taskId: string, at: string) =>
      store.startTask({ taskId, traceId: 'tr', channel: 'c', senderId: 's', contentIn: 'x', messageType: 'internal', providerId: 'p', modelName: 'm', at: new Date(at) });
    start('a', '2026-03-01T00:00:00.000Z');
    start('b', '2026-03-01T23:59:59.999Z');
    start('c', '2026-02-28T23:59:59.999Z');
    for (const [id, n] of [['a', 100], ['b', 20], ['c', 5000]] as const) store.updateTaskUsage(id, { promptTokens: n, completionTokens: 0, totalTokens: n, costUsd: null });
    const Database = (await import('better-sqlite3')).default;
    const other = new Database(store.file);
    // KafClaw writes CURRENT_TIMESTAMP, or Go's time text with an offset
    other.prepare(`INSERT INTO tasks (task_id, total_tokens, created_at) VALUES ('k1', 3, '2026-03-01 12:00:00'), ('k2', 4, '2026-03-01 08:00:00.123456789+00:00')`).run();
    other.close();
    assert.is(store.tokensUsedOn(new Date('2026-03-01T15:00:00Z')), 127);
    assert.is(store.tokensUsedOn(new Date('2026-02-28T01:00:00Z')), 5000);
    assert.is(store.tokensUsedOn(new Date('2026-03-02T00:00:00Z')), 0);
  } finally {
    store.close();
    dir.remove();
  }
});

test('approvals: created pending, listed oldest first, answered once, out-of-time ones refused and expired, each change announced', () => {
  const dir = tempDir();
  const store = TimelineStore.open(dir.path);
  try {
    const seen: string[] = [];
    const stop = store.onApprovalClosed((id) => seen.push(id));
    const make = (at: string) => store.createApproval({ traceId: 'tr', taskId: 'tk', tool: 'exec', tier: 2, arguments: '{"argv":["ls"]}', sender: 'owner', channel: 'cli', at: new Date(at) });
    const old = make('2026-03-01T10:00:00Z');
    const fresh = make('2026-03-01T10:05:00Z');
    assert.match(old.approval_id, /^[0-9a-f]{16}$/);
    assert.equal([old.status, old.tool, old.tier, old.arguments, old.sender, old.channel, old.responded_at], ['pending', 'exec', 2, '{"argv":["ls"]}', 'owner', 'cli', null]);
    assert.equal(store.pendingApprovals(10).map((r) => r.approval_id), [old.approval_id, fresh.approval_id]);

    const cutoff = new Date('2026-03-01T10:04:00Z');
    const late = store.closeApproval(old.approval_id, 'approved', cutoff);
    assert.equal([late.ok, late.ok ? null : late.problem], [false, 'not_pending'], 'too old to approve');
    const answered = store.closeApproval(fresh.approval_id, 'denied', cutoff, new Date('2026-03-01T10:05:30Z'));
    assert.ok(answered.ok);
    assert.equal(answered.ok && [answered.row.status, answered.row.responded_at], ['denied', '2026-03-01 10:05:30.000']);
    const again = store.closeApproval(fresh.approval_id, 'approved', cutoff);
    assert.equal([again.ok, !again.ok && again.problem === 'not_pending' && again.row.status], [false, 'denied']);
    assert.equal(store.closeApproval('ffffffffffffffff', 'approved', cutoff), { ok: false, problem: 'not_found' });

    assert.equal(store.expireApprovals(cutoff), [old.approval_id]);
    assert.is(store.getApproval(old.approval_id)!.status, 'timeout');
    assert.equal(store.pendingApprovals(10), []);
    assert.equal(seen, [fresh.approval_id, old.approval_id]);
    stop();
  } finally {
    store.close();
    dir.remove();
  }
});

test.run();
