import { test } from 'uvu';
import * as assert from 'uvu/assert';
import Database from 'better-sqlite3';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { snapshotDatabase } from '../../../lib/backup/snapshot.js';
import { BackupError } from '../../../lib/backup/errors.js';
import { makeFixture } from './kafclaw-db.js';

test('a snapshot of a WAL database holds committed WAL content, opens without sidecars, and reports its facts', async () => {
  const fx = makeFixture(10);
  try {
    const live = new Database(join(fx.stateDir, 'timeline.db'));
    live.pragma('wal_autocheckpoint = 0');
    live.prepare("INSERT INTO settings (key, value) VALUES ('only_in_wal', '1')").run();
    live.pragma('user_version = 7');
    const dest = join(fx.root, 'snap.db');
    const facts = await snapshotDatabase(join(fx.stateDir, 'timeline.db'), dest, 'full');
    live.close();
    assert.is(facts.userVersion, 7);
    assert.is(facts.rowCounts['settings'], 3);
    assert.is(facts.rowCounts['timeline'], 10);
    assert.not.ok(existsSync(dest + '-wal'));
    assert.not.ok(existsSync(dest + '-journal'));
    const copy = new Database(dest, { readonly: true });
    assert.is(copy.pragma('journal_mode', { simple: true }), 'delete');
    copy.close();
  } finally {
    fx.cleanup();
  }
});

test('a file that is not SQLite is refused with its path', async () => {
  const fx = makeFixture(1);
  try {
    const bogus = join(fx.root, 'bogus.db');
    writeFileSync(bogus, 'not a database at all, just text that is long enough to be a header'.repeat(100));
    try {
      await snapshotDatabase(bogus, join(fx.root, 'out.db'));
      assert.unreachable();
    } catch (error) {
      assert.instance(error, BackupError);
      assert.match((error as Error).message, bogus);
    }
  } finally {
    fx.cleanup();
  }
});

test.run();
