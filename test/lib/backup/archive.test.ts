import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, statSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { createBackup, type CreatedBackup } from '../../../lib/backup/create.js';
import { extractArchive } from '../../../lib/backup/archive.js';
import { verifyBackup } from '../../../lib/backup/verify.js';
import { restoreBackup } from '../../../lib/backup/restore.js';
import { restoreTest, type RestoreTestResult } from '../../../lib/backup/restore-test.js';
import { listBackups } from '../../../lib/backup/list.js';
import { makeFixture, type Fixture } from './kafclaw-db.js';
import { flipByte, truncate } from './damage.js';

let fx: Fixture;
let archive: CreatedBackup;
let work: string;
test.before.each(async () => {
  fx = makeFixture(300);
  work = join(fx.root, 'work');
  mkdirSync(work);
  archive = await createBackup({ stateDir: fx.stateDir, configPath: fx.configPath, workspace: fx.workspace, dest: fx.dest, sourceHost: 'gw1', toolVersion: '0.1.0', archive: true });
});
test.after.each(() => fx.cleanup());

const show = (r: RestoreTestResult) => r.steps.map((s) => `${s.status} ${s.name}: ${s.detail}`).join('\n');

test('--archive publishes one 0600 tar file and nothing else; any tar reads it, and what it holds verifies', async () => {
  assert.equal(readdirSync(fx.dest), [`${archive.name}.tar`]);
  assert.is(archive.path, join(fx.dest, `${archive.name}.tar`));
  assert.is(statSync(archive.path).mode & 0o777, 0o600);
  const listing = execFileSync('tar', ['-tf', archive.path], { encoding: 'utf8' }).trim().split('\n');
  assert.ok(listing.includes(`${archive.name}/manifest.json`));
  assert.ok(listing.includes(`${archive.name}/workspace/SOUL.md`));
  execFileSync('tar', ['-xf', archive.path, '-C', work]);
  assert.ok((await verifyBackup(join(work, archive.name))).ok);
  const listed = await listBackups(fx.dest);
  assert.equal(listed.map((b) => [b.name, b.kind]), [[archive.name, 'archive']]);
});

test('restore-test unpacks the archive first and passes; restore and verify take the archive too', async () => {
  const result = await restoreTest(archive.path, { workDir: work });
  assert.ok(result.ok, show(result));
  assert.is(result.steps[0]!.name, 'unpack');
  assert.is(result.backupName, archive.name);
  assert.equal(readdirSync(work), []);
  const verified = await verifyBackup(archive.path);
  assert.ok(verified.ok);
  assert.is(verified.dir, archive.path);
  const restored = await restoreBackup(archive.path, { to: join(fx.root, 'restored') });
  assert.is(restored.files, archive.manifest.files.length);
  assert.ok(existsSync(join(fx.root, 'restored', 'timeline.db')));
});

const size = () => statSync(archive.path).size;
const truncations: Array<[string, () => number]> = [
  ['inside the database', () => Math.floor(size() / 2)],
  ['before the end-of-archive blocks', () => size() - 1024],
  ['inside the end-of-archive blocks', () => size() - 100],
  ['inside the first header', () => 300],
];
for (const [label, keep] of truncations) {
  test(`a truncated archive (${label}) is refused by restore-test at unpack, and nothing past it runs`, async () => {
    truncate(archive.path, keep());
    const result = await restoreTest(archive.path, { workDir: work });
    assert.not.ok(result.ok);
    assert.equal(result.failed, ['unpack'], show(result));
    assert.match(result.steps[0]!.detail, /truncated|damaged/);
    assert.ok(result.steps.slice(1).every((s) => s.status === 'skipped'));
    const verified = await verifyBackup(archive.path);
    assert.not.ok(verified.ok);
    assert.is(verified.problems[0]!.kind, 'archive');
    assert.equal(readdirSync(work), []);
  });
}

test('a flipped byte in a tar header fails unpack; one in the payload fails verify', async () => {
  flipByte(archive.path, 520);
  let result = await restoreTest(archive.path, { workDir: work });
  assert.equal(result.failed, ['unpack'], show(result));
  flipByte(archive.path, 520);
  flipByte(archive.path, Math.floor(size() / 2));
  result = await restoreTest(archive.path, { workDir: work });
  assert.equal(result.failed, ['verify'], show(result));
});

test('an archive whose name does not match its content is refused', async () => {
  const { renameSync } = await import('node:fs');
  const other = join(fx.dest, 'kafclaw-backup-20200101T000000.000Z.tar');
  renameSync(archive.path, other);
  const error = await extractArchive(other, work).then(() => null, (e: Error) => e);
  assert.match(error?.message ?? 'no error', /unexpected entry|holds no/);
});

test.run();
