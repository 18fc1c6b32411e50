import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createBackup, type CreatedBackup } from '../../../lib/backup/create.js';
import { restoreBackup } from '../../../lib/backup/restore.js';
import { verifyBackup } from '../../../lib/backup/verify.js';
import { BackupError } from '../../../lib/backup/errors.js';
import { makeFixture, type Fixture } from './kafclaw-db.js';
import { flipByte } from './damage.js';

let fx: Fixture;
let backup: CreatedBackup;
test.before.each(async () => {
  fx = makeFixture(200);
  backup = await createBackup({ stateDir: fx.stateDir, configPath: fx.configPath, workspace: fx.workspace, dest: fx.dest, sourceHost: 'gw1', toolVersion: '0.1.0' });
});
test.after.each(() => fx.cleanup());

test('restore writes every file, byte for byte, private, and nothing else', async () => {
  const to = join(fx.root, 'restored');
  const result = await restoreBackup(backup.path, { to });
  console.log(`    restore: ${result.durationMs} ms, ${result.bytes} bytes`);
  assert.is(result.files, backup.manifest.files.length);
  for (const file of backup.manifest.files) {
    assert.equal(readFileSync(join(to, file.path)), readFileSync(join(backup.path, file.path)), file.path);
    assert.is(statSync(join(to, file.path)).mode & 0o777, 0o600);
  }
  assert.is(statSync(to).mode & 0o777, 0o700);
  assert.is(statSync(join(to, 'workspace')).mode & 0o777, 0o700);
  assert.equal(readdirSync(to).sort(), ['config.json', 'timeline.db', 'workspace']);
  assert.equal(readdirSync(fx.root).filter((n) => n.startsWith('.')), [], 'no temp dirs left');
});

test('a non-empty target is refused unless replace is set; replace swaps it whole', async () => {
  const to = join(fx.root, 'restored');
  mkdirSync(to);
  writeFileSync(join(to, 'keep.txt'), 'precious');
  try {
    await restoreBackup(backup.path, { to });
    assert.unreachable('should refuse');
  } catch (error) {
    assert.instance(error, BackupError);
    assert.match((error as Error).message, /not empty/);
  }
  assert.equal(readdirSync(to), ['keep.txt']);
  await restoreBackup(backup.path, { to, replace: true });
  assert.not.ok(existsSync(join(to, 'keep.txt')));
  assert.ok(existsSync(join(to, 'timeline.db')));
  assert.equal(readdirSync(fx.root).filter((n) => n.startsWith('.')), []);
});

test('an existing parent keeps its mode (it may be shared, like /tmp)', async () => {
  const parent = join(fx.root, 'shared');
  mkdirSync(parent, { mode: 0o755 });
  chmodSync(parent, 0o1777);
  await restoreBackup(backup.path, { to: join(parent, 'restored') });
  assert.is(statSync(parent).mode & 0o7777, 0o1777);
  assert.is(statSync(join(parent, 'restored')).mode & 0o777, 0o700);
});

test('an empty existing target is fine', async () => {
  const to = join(fx.root, 'restored');
  mkdirSync(to);
  await restoreBackup(backup.path, { to });
  assert.ok(existsSync(join(to, 'config.json')));
});

test('a damaged backup writes nothing at all', async () => {
  flipByte(join(backup.path, 'workspace/IDENTITY.md'));
  const to = join(fx.root, 'restored');
  try {
    await restoreBackup(backup.path, { to });
    assert.unreachable('should refuse');
  } catch (error) {
    assert.instance(error, BackupError);
    assert.match((error as Error).message, 'workspace/IDENTITY.md: checksum');
  }
  assert.not.ok(existsSync(to));
  assert.equal(readdirSync(fx.root).filter((n) => n.startsWith('.')), []);
});

test('a verification reused from just before still catches a file changed since', async () => {
  const verified = await verifyBackup(backup.path);
  assert.ok(verified.ok);
  flipByte(join(backup.path, 'workspace/SOUL.md'));
  const to = join(fx.root, 'restored');
  try {
    await restoreBackup(backup.path, { to, verified });
    assert.unreachable('should refuse');
  } catch (error) {
    assert.instance(error, BackupError);
    assert.match((error as Error).message, 'workspace/SOUL.md changed');
  }
  assert.not.ok(existsSync(to));
  assert.equal(readdirSync(fx.root).filter((n) => n.startsWith('.')), []);
  flipByte(join(backup.path, 'manifest.json'));
  try {
    await restoreBackup(backup.path, { to, verified });
    assert.unreachable('should refuse');
  } catch (error) {
    assert.match((error as Error).message, 'manifest.json: checksum', 'a changed manifest means a full verification again');
  }
});

test.run();
