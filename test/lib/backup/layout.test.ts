import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { backupName, isBackupName, timeOfBackupName, isSafeRelativePath, tempName, pidOfTempName, TEMP_PREFIX } from '../../../lib/backup/layout.js';

test('backup names carry their UTC time, sort by it, and nothing else passes for one', () => {
  const at = new Date('2026-11-25T02:16:12.345Z');
  assert.is(backupName(at), 'kafclaw-backup-20261125T021612.345Z');
  assert.equal(timeOfBackupName(backupName(at)), at);
  assert.ok(backupName(new Date('2026-11-25T02:16:12.346Z')) > backupName(at));
  for (const name of ['.kafclaw-backup-tmp-kafclaw-backup-20261125T021612.345Z-1-ab', 'kafclaw-backup-20261125T021612Z', 'kafclaw-backup-20261399T021612.345Z', 'x']) {
    assert.not.ok(isBackupName(name) && timeOfBackupName(name), name);
  }
});

test('temp names record the pid that owns them', () => {
  const name = tempName(TEMP_PREFIX, 'kafclaw-backup-20261125T021612.345Z', 4242, 'deadbeef');
  assert.ok(name.startsWith('.'));
  assert.is(pidOfTempName(TEMP_PREFIX, name), 4242);
  assert.is(pidOfTempName(TEMP_PREFIX, 'kafclaw-backup-x'), null);
});

test('paths inside a backup cannot escape it or be SQLite sidecars', () => {
  for (const ok of ['timeline.db', 'workspace/SOUL.md', 'extra/notes.txt']) assert.ok(isSafeRelativePath(ok), ok);
  for (const bad of ['', '/etc/passwd', '../x', 'a/../../x', 'a//b', './a', 'timeline.db-wal', 'timeline.db-shm', 'timeline.db-journal', 'a\\b']) {
    assert.not.ok(isSafeRelativePath(bad), bad);
  }
});

test.run();
