import { test } from 'uvu';
import * as assert from 'uvu/assert';
import Database from 'better-sqlite3';
import { approvalTimeoutMs, currentApprovalTimeoutMs, waitForApproval } from '../../../runtime/policy/approval.js';
import { TimelineStore } from '../../../runtime/timeline/store.js';
import { tempDir } from '../fixtures.js';

test('approval_timeout_seconds: positive seconds (fractions too), capped at an hour; anything else is 60 s', () => {
  assert.is(approvalTimeoutMs(null), 60_000);
  assert.is(approvalTimeoutMs('30'), 30_000);
  assert.is(approvalTimeoutMs(' 0.25 '), 250);
  assert.is(approvalTimeoutMs('86400'), 3_600_000);
  for (const raw of ['', '0', '-1', 'soon', '1e3', 'Infinity']) assert.is(approvalTimeoutMs(raw), 60_000, raw);
});

async function withStore(run: (store: TimelineStore) => Promise<void>): Promise<void> {
  const dir = tempDir();
  const store = TimelineStore.open(dir.path);
  try {
    await run(store);
  } finally {
    store.close();
    dir.remove();
  }
}

const request = (store: TimelineStore) => store.createApproval({ tool: 'exec', tier: 2, arguments: '{}', sender: 'owner', channel: 'cli' }).approval_id;

test('an answer through the store ends the wait at once', async () => {
  await withStore(async (store) => {
    store.setSetting('approval_timeout_seconds', '5');
    assert.is(currentApprovalTimeoutMs(store), 5000);
    const id = request(store);
    const started = Date.now();
    const waiting = waitForApproval(store, id, { timeoutMs: currentApprovalTimeoutMs(store), pollMs: 10_000 });
    setTimeout(() => store.closeApproval(id, 'approved', new Date(0)), 50);
    const { outcome, row } = await waiting;
    assert.equal([outcome, row?.status], ['approved', 'approved']);
    assert.ok(Date.now() - started < 1000);
  });
});

test('an answer written by another process is seen by polling', async () => {
  await withStore(async (store) => {
    const id = request(store);
    const other = new Database(store.file);
    setTimeout(() => other.prepare(`UPDATE approval_requests SET status = 'denied', responded_at = CURRENT_TIMESTAMP WHERE approval_id = ?`).run(id), 50);
    const { outcome } = await waitForApproval(store, id, { timeoutMs: 5000, pollMs: 20 });
    other.close();
    assert.is(outcome, 'denied');
  });
});

test('no answer in time: the request is closed as timeout, and a later answer is refused', async () => {
  await withStore(async (store) => {
    const id = request(store);
    const { outcome, row } = await waitForApproval(store, id, { timeoutMs: 100, pollMs: 20 });
    assert.equal([outcome, row?.status], ['timeout', 'timeout']);
    assert.ok(row?.responded_at);
    const late = store.closeApproval(id, 'approved', new Date(0));
    assert.not.ok(late.ok);
    assert.is(store.getApproval(id)!.status, 'timeout');
  });
});

test('closing the gateway stops the wait: cancelled, and the row is not left pending', async () => {
  await withStore(async (store) => {
    const id = request(store);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 30);
    const { outcome } = await waitForApproval(store, id, { timeoutMs: 60_000, signal: controller.signal });
    assert.is(outcome, 'cancelled');
    assert.is(store.getApproval(id)!.status, 'timeout');
    const already = new AbortController();
    already.abort();
    assert.is((await waitForApproval(store, request(store), { timeoutMs: 60_000, signal: already.signal })).outcome, 'cancelled');
  });
});

test('a database that cannot be read never counts as approved', async () => {
  await withStore(async (store) => {
    const id = request(store);
    const other = new Database(store.file);
    other.exec('DROP TABLE approval_requests');
    other.close();
    assert.is((await waitForApproval(store, id, { timeoutMs: 5000, pollMs: 20 })).outcome, 'unavailable');
  });
});

test.run();
