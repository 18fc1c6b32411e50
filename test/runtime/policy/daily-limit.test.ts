import { test } from 'uvu';
import * as assert from 'uvu/assert';
import Database from 'better-sqlite3';
import { checkDailyBudget, parseDailyTokenLimit } from '../../../runtime/policy/daily-limit.js';
import { TimelineStore } from '../../../runtime/timeline/store.js';
import { tempDir } from '../fixtures.js';

test('parse: unset, empty and 0 mean no limit; whole numbers are limits; anything else is a problem', () => {
  for (const raw of [null, '', '  ', '0']) assert.equal(parseDailyTokenLimit(raw), { ok: true, limit: null }, String(raw));
  assert.equal(parseDailyTokenLimit('1000'), { ok: true, limit: 1000 });
  assert.equal(parseDailyTokenLimit(' 250 '), { ok: true, limit: 250 });
  for (const raw of ['abc', '-5', '1.5', '1e6', '10 tokens', '9999999999999999']) {
    const parsed = parseDailyTokenLimit(raw);
    assert.not.ok(parsed.ok, raw);
    assert.match(!parsed.ok ? parsed.problem : '', 'not a whole number of tokens', raw);
  }
});

function withStore(run: (store: TimelineStore) => void): void {
  const dir = tempDir();
  const store = TimelineStore.open(dir.path);
  try {
    run(store);
  } finally {
    store.close();
    dir.remove();
  }
}

const task = (store: TimelineStore, id: string, at: string, tokens: number) => {
  store.startTask({ taskId: id, traceId: 't', channel: 'c', senderId: 's', contentIn: 'x', messageType: 'external', providerId: 'p', modelName: 'm', at: new Date(at) });
  store.updateTaskUsage(id, { promptTokens: tokens, completionTokens: 0, totalTokens: tokens, costUsd: null });
};

test('the limit holds against today\'s UTC usage only; reaching it exactly refuses', () => {
  withStore((store) => {
    const now = new Date('2026-05-10T09:00:00Z');
    assert.equal(checkDailyBudget(store, now), { ok: true, limit: null, used: 0 }, 'no setting, no limit');
    task(store, 'yesterday', '2026-05-09T23:59:00Z', 10_000);
    task(store, 'today', '2026-05-10T00:01:00Z', 99);
    store.setSetting('daily_token_limit', '100');
    assert.equal(checkDailyBudget(store, now), { ok: true, limit: 100, used: 99 });
    store.updateTaskUsage('today', { promptTokens: 100, completionTokens: 0, totalTokens: 100, costUsd: null });
    assert.equal(checkDailyBudget(store, now), { ok: false, reason: 'daily_token_limit_reached', limit: 100, used: 100 });
    assert.equal(checkDailyBudget(store, new Date('2026-05-11T00:00:00Z')), { ok: true, limit: 100, used: 0 }, 'a new UTC day starts fresh');
  });
});

test('fails closed: an unreadable setting or usage table refuses, it does not let the call through', () => {
  withStore((store) => {
    store.setSetting('daily_token_limit', 'lots');
    const invalid = checkDailyBudget(store, new Date());
    assert.equal([invalid.ok, !invalid.ok && invalid.reason], [false, 'daily_token_limit_unavailable']);
    store.setSetting('daily_token_limit', '100');
    const other = new Database(store.file);
    other.exec('ALTER TABLE tasks RENAME TO tasks_moved');
    const noTasks = checkDailyBudget(store, new Date());
    assert.equal(noTasks, { ok: false, reason: 'daily_token_limit_unavailable', problem: 'the token usage could not be read from the timeline database (SQLITE_ERROR)' });
    other.exec('ALTER TABLE tasks_moved RENAME TO tasks');
    other.exec('DROP TABLE settings');
    other.close();
    const noSettings = checkDailyBudget(store, new Date());
    assert.equal([noSettings.ok, !noSettings.ok && noSettings.reason], [false, 'daily_token_limit_unavailable']);
  });
});

test.run();
