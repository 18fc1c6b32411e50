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

test.run();
