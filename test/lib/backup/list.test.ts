import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listBackups, sweepTempDirs } from '../../../lib/backup/list.js';

test('listing shows backup-named dirs newest first and ignores everything else; sweeping removes dead temp dirs only', async () => {
  const dest = mkdtempSync(join(tmpdir(), 'kafclaw-list-test-'));
  try {
    mkdirSync(join(dest, 'kafclaw-backup-20261124T020000.000Z'));
    mkdirSync(join(dest, 'kafclaw-backup-20261125T020000.000Z'));
    writeFileSync(join(dest, 'kafclaw-backup-20261123T020000.000Z'), 'a file, not a backup');
    mkdirSync(join(dest, 'notes'));
    const dead = '.kafclaw-backup-tmp-kafclaw-backup-20261125T030000.000Z-999999999-abcd';
    const live = `.kafclaw-backup-tmp-kafclaw-backup-20261125T030000.000Z-${process.pid}-abcd`;
    mkdirSync(join(dest, dead));
    mkdirSync(join(dest, live));
    assert.equal((await listBackups(dest)).map((b) => b.name), ['kafclaw-backup-20261125T020000.000Z', 'kafclaw-backup-20261124T020000.000Z']);
    assert.equal(await sweepTempDirs(dest), [dead]);
    assert.ok(readdirSync(dest).includes(live));
    assert.equal(await listBackups(join(dest, 'missing')), []);
  } finally {
    rmSync(dest, { recursive: true, force: true });
  }
});

test.run();
