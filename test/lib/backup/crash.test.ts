// SIGKILL a process in the middle of a backup, in every phase and at random points within it:
// whatever is left must never be accepted as a backup unless it is a complete one.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { BACKUP_PHASES } from '../../../lib/backup/create.js';
import { listBackups, sweepTempDirs } from '../../../lib/backup/list.js';
import { verifyBackup } from '../../../lib/backup/verify.js';
import { restoreTest } from '../../../lib/backup/restore-test.js';
import { makeFixture, openKafclawDb, insertTurn } from './kafclaw-db.js';
import { startChild, stopChild } from './child.js';

function list(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

for (const form of ['dir', 'archive'] as const) test(`a backup (${form}) killed with SIGKILL in any phase leaves nothing that verify or restore-test accepts`, async () => {
  const fx = makeFixture(100);
  try {
    const db = openKafclawDb(join(fx.stateDir, 'timeline.db'));
    db.transaction(() => {
      for (let n = 100; n < 3000; n++) insertTurn(db, n, 800);
    })();
    db.close();
    const outcomes: string[] = [];
    const phases = [...BACKUP_PHASES.filter((p) => p !== 'published'), 'snapshot', 'sync'];
    for (const [i, phase] of phases.entries()) {
      const dest = join(fx.root, `dest-${form}-${i}`);
      const { child, waitFor } = await startChild('backup-child.ts', [fx.stateDir, fx.configPath, fx.workspace, dest, form]);
      const extra = Math.random() * 30;
      await waitFor(`phase ${phase}`);
      await new Promise((r) => setTimeout(r, extra));
      await stopChild(child, 'SIGKILL');
      const listed = await listBackups(dest);
      for (const backup of listed) {
        const result = await restoreTest(backup.path, { workDir: fx.root });
        assert.ok(result.ok, `a listed backup must be complete: ${JSON.stringify(result.failed)}`);
      }
      for (const name of list(dest)) {
        if (listed.some((b) => basename(b.path) === name)) continue;
        assert.ok(name.startsWith('.kafclaw-backup-tmp-'), `unexpected entry ${name}`);
        assert.not.ok((await verifyBackup(join(dest, name))).ok, `${name} must not verify`);
        assert.not.ok((await restoreTest(join(dest, name), { workDir: fx.root })).ok, `${name} must not pass restore-test`);
      }
      const swept = await sweepTempDirs(dest);
      assert.equal(list(dest).sort(), listed.map((b) => basename(b.path)).sort(), 'the sweep leaves only published backups');
      outcomes.push(`${phase}+${extra.toFixed(0)}ms:${listed.length > 0 ? 'published' : swept.length > 0 ? 'temp swept' : 'nothing'}`);
    }
    console.log(`    kills (${form}): ${outcomes.join(', ')}`);
  } finally {
    fx.cleanup();
  }
});

test.run();
