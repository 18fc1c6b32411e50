import { test } from 'uvu';
import * as assert from 'uvu/assert';
import Database from 'better-sqlite3';
import { existsSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { openStore, openStoreReadOnly, newestVerifiedBackup, StoreError, SCHEMA_VERSION, recordBackup } from '../../../lib/store/index.js';
import { tempStore } from './helpers.js';

test('a new store is 0600 in a 0700 dir, WAL, migrated; its sidecars are private too', () => {
  const t = tempStore();
  try {
    assert.is(statSync(dirname(t.path)).mode & 0o777, 0o700);
    assert.is(t.store.db.pragma('journal_mode', { simple: true }), 'wal');
    assert.is(t.store.db.pragma('user_version', { simple: true }), SCHEMA_VERSION);
    recordBackup(t.store, { host: 'h', path: '/b/1', name: '1', createdAt: '2026-01-01T00:00:00.000Z', sizeBytes: 1, manifestSha256: 'a'.repeat(64), encrypted: false, verified: true, verifiedAt: null });
    for (const path of [t.path, `${t.path}-wal`, `${t.path}-shm`]) {
      assert.ok(existsSync(path), path);
      assert.is(statSync(path).mode & 0o777, 0o600, path);
    }
    const tables = (t.store.db.prepare("SELECT name FROM sqlite_schema WHERE type='table' ORDER BY name").all() as Array<{ name: string }>).map((r) => r.name);
    assert.equal(tables, ['attestations', 'audit_runs', 'backups', 'restore_tests', 'token_rotations']);
  } finally {
    t.cleanup();
  }
});

test('reopening keeps data and does not migrate twice; a newer schema is refused with advice', () => {
  const t = tempStore();
  try {
    recordBackup(t.store, { host: 'h', path: '/b/1', name: '1', createdAt: '2026-01-01T00:00:00.000Z', sizeBytes: 1, manifestSha256: 'a'.repeat(64), encrypted: false, verified: true, verifiedAt: null });
    t.store.close();
    const again = openStore(t.path);
    assert.is((again.db.prepare('SELECT count(*) AS n FROM backups').get() as { n: number }).n, 1);
    again.close();
    const raw = new Database(t.path);
    raw.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    raw.close();
    try {
      openStore(t.path);
      assert.unreachable();
    } catch (error) {
      assert.instance(error, StoreError);
      assert.match((error as Error).message, /newer than this kafclaw/);
      assert.match((error as Error).message, t.path);
    }
  } finally {
    t.cleanup();
  }
});

test('a read-only open sees the data, creates nothing, and refuses writes; a missing file is null', () => {
  const t = tempStore();
  try {
    recordBackup(t.store, { host: 'h', path: '/b/1', name: '1', createdAt: '2026-01-01T00:00:00.000Z', sizeBytes: 1, manifestSha256: 'a'.repeat(64), encrypted: false, verified: true, verifiedAt: null });
    t.store.close();
    const ro = openStoreReadOnly(t.path)!;
    try {
      assert.is(newestVerifiedBackup(ro)?.name, '1');
      assert.throws(() => ro.db.exec('DELETE FROM backups'), /readonly/);
    } finally {
      ro.close();
    }
    assert.is(openStoreReadOnly(`${t.root}/nothing/ops.db`), null);
    assert.not.ok(existsSync(`${t.root}/nothing`));
  } finally {
    t.cleanup();
  }
});

test('a read-only open of an older schema says how to migrate it', () => {
  const t = tempStore();
  try {
    t.store.db.pragma('user_version = 0');
    t.store.close();
    assert.throws(() => openStoreReadOnly(t.path), (e: Error) => e instanceof StoreError && /kafclaw backup/.test(e.message));
  } finally {
    t.cleanup();
  }
});

test.run();
