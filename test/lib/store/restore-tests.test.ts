import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Secret } from '../../../lib/secrets/index.js';
import { recordRestoreTest, newestSuccessfulRestoreTest, newestRestoreTest, type RestoreTestRecord } from '../../../lib/store/index.js';
import { tempStore } from './helpers.js';

function run(startedAt: string, ok: boolean, detail = 'fine'): RestoreTestRecord {
  return {
    host: 'gw1', backupPath: '/b/x', backupName: 'x', manifestSha256: 'c'.repeat(64), target: 'local-temp', startedAt, durationMs: 42, ok,
    failedSteps: ok ? [] : ['database.integrity_check'],
    steps: [{ name: 'database.integrity_check', status: ok ? 'passed' : 'failed', detail, durationMs: 7 }],
  };
}

test('the newest successful restore test is found past a newer failure; steps round-trip', () => {
  const t = tempStore();
  try {
    assert.is(newestSuccessfulRestoreTest(t.store), null);
    recordRestoreTest(t.store, run('2026-11-20T00:00:00.000Z', true));
    recordRestoreTest(t.store, run('2026-11-21T00:00:00.000Z', false));
    assert.is(newestSuccessfulRestoreTest(t.store, 'gw1')?.startedAt, '2026-11-20T00:00:00.000Z');
    const last = newestRestoreTest(t.store, 'gw1');
    assert.equal(last, run('2026-11-21T00:00:00.000Z', false));
  } finally {
    t.cleanup();
  }
});

test('a secret that slipped into a step detail is not stored', () => {
  const t = tempStore();
  try {
    const canary = new Secret('canary-rt-7c1e9a2b4d6f8a0c2e4f6a8b', 'test');
    recordRestoreTest(t.store, run('2026-11-22T00:00:00.000Z', false, `auth failed with ${canary.reveal()}`));
    const raw = JSON.stringify(t.store.db.prepare('SELECT * FROM restore_tests').all());
    assert.not.ok(raw.includes(canary.reveal()));
    assert.ok(raw.includes('(secret)'));
  } finally {
    t.cleanup();
  }
});

test.run();
