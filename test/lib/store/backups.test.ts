import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { recordBackup, newestVerifiedBackup, listBackupRecords, type BackupRecord } from '../../../lib/store/index.js';
import { tempStore } from './helpers.js';

function backup(name: string, createdAt: string, verified: boolean, host = 'gw1'): BackupRecord {
  return { host, path: `/var/backups/kafclaw/${name}`, name, createdAt, sizeBytes: 100, manifestSha256: 'b'.repeat(64), encrypted: false, verified, verifiedAt: verified ? createdAt : null };
}

test('the newest verified backup wins over a newer unverified one, per host', () => {
  const t = tempStore();
  try {
    assert.is(newestVerifiedBackup(t.store), null);
    recordBackup(t.store, backup('a', '2026-11-20T00:00:00.000Z', true));
    recordBackup(t.store, backup('b', '2026-11-22T00:00:00.000Z', true));
    recordBackup(t.store, backup('c', '2026-11-24T00:00:00.000Z', false));
    recordBackup(t.store, backup('d', '2026-11-25T00:00:00.000Z', true, 'gw2'));
    assert.is(newestVerifiedBackup(t.store, 'gw1')?.name, 'b');
    assert.is(newestVerifiedBackup(t.store)?.name, 'd');
    assert.is(newestVerifiedBackup(t.store, 'gw3'), null);
    recordBackup(t.store, backup('c', '2026-11-24T00:00:00.000Z', true));
    assert.is(newestVerifiedBackup(t.store, 'gw1')?.name, 'c', 'recording again updates the row');
    assert.is(listBackupRecords(t.store, 'gw1').length, 3);
    assert.equal(newestVerifiedBackup(t.store, 'gw1'), { ...backup('c', '2026-11-24T00:00:00.000Z', true) });
  } finally {
    t.cleanup();
  }
});

test.run();
