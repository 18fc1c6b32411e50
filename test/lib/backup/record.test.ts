import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { createBackup } from '../../../lib/backup/create.js';
import { verifyBackup } from '../../../lib/backup/verify.js';
import { restoreTest } from '../../../lib/backup/restore-test.js';
import { backupRecordOf, restoreTestRecordOf } from '../../../lib/backup/record.js';
import { openStore, newestVerifiedBackup, newestSuccessfulRestoreTest, newestRestoreTest, recordBackup, recordRestoreTest } from '../../../lib/store/index.js';
import { makeFixture } from './kafclaw-db.js';
import { flipByte } from './damage.js';

test('a backup and its restore test land in the store where backup.fresh and backup.restore-tested will read them', async () => {
  const fx = makeFixture(50);
  const store = openStore(join(fx.root, 'ops', 'ops.db'));
  try {
    const backup = await createBackup({ stateDir: fx.stateDir, configPath: fx.configPath, workspace: fx.workspace, dest: fx.dest, sourceHost: 'gw1', toolVersion: '0.1.0' });
    recordBackup(store, backupRecordOf(backup, (await verifyBackup(backup.path)).ok));
    const newest = newestVerifiedBackup(store, 'gw1');
    assert.is(newest?.path, backup.path);
    assert.is(newest?.manifestSha256, backup.manifestSha256);
    assert.ok(newest!.sizeBytes > 0);

    const good = await restoreTest(backup.path, { workDir: fx.root });
    recordRestoreTest(store, restoreTestRecordOf(good, 'gw1'));
    flipByte(join(backup.path, 'timeline.db'));
    const bad = await restoreTest(backup.path, { workDir: fx.root });
    recordRestoreTest(store, restoreTestRecordOf(bad, 'gw1'));
    assert.is(newestSuccessfulRestoreTest(store, 'gw1')?.startedAt, good.startedAt);
    assert.equal(newestRestoreTest(store, 'gw1')?.failedSteps, ['verify']);
    assert.is(newestRestoreTest(store, 'gw1')?.steps.length, good.steps.length);
  } finally {
    store.close();
    fx.cleanup();
  }
});

test.run();
