import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync, cpSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Secret } from '../../../lib/secrets/index.js';
import { createBackup, type CreatedBackup } from '../../../lib/backup/create.js';
import { verifyBackup } from '../../../lib/backup/verify.js';
import { makeFixture, type Fixture } from './kafclaw-db.js';
import { flipByte } from './damage.js';

let fx: Fixture;
let backup: CreatedBackup;
test.before.each(async () => {
  fx = makeFixture(200);
  backup = await createBackup({ stateDir: fx.stateDir, configPath: fx.configPath, workspace: fx.workspace, dest: fx.dest, sourceHost: 'gw1', toolVersion: '0.1.0' });
});
test.after.each(() => fx.cleanup());

test('a fresh backup verifies, without writing anything', async () => {
  const before = readFileSync(join(backup.path, 'manifest.json'));
  const result = await verifyBackup(backup.path);
  console.log(`    verify: ${result.durationMs} ms for ${result.bytesChecked} bytes`);
  assert.ok(result.ok, JSON.stringify(result.problems));
  assert.is(result.filesChecked, backup.manifest.files.length);
  assert.is(result.manifestSha256, backup.manifestSha256);
  assert.equal(readFileSync(join(backup.path, 'manifest.json')), before);
});

const damages: Array<[string, (dir: string) => void, string, string]> = [
  ['a flipped byte in the database', (d) => flipByte(join(d, 'timeline.db')), 'timeline.db', 'checksum'],
  ['a flipped byte in the manifest', (d) => flipByte(join(d, 'manifest.json')), 'manifest.json', 'checksum'],
  ['a flipped byte in the config', (d) => flipByte(join(d, 'config.json')), 'config.json', 'checksum'],
  ['a flipped byte in an identity file', (d) => flipByte(join(d, 'workspace/SOUL.md')), 'workspace/SOUL.md', 'checksum'],
  ['a missing identity file', (d) => rmSync(join(d, 'workspace/USER.md')), 'workspace/USER.md', 'missing'],
  ['a missing database', (d) => rmSync(join(d, 'timeline.db')), 'timeline.db', 'missing'],
  ['a missing manifest checksum', (d) => rmSync(join(d, 'manifest.json.sha256')), 'manifest.json.sha256', 'missing'],
  ['a truncated database', (d) => writeFileSync(join(d, 'timeline.db'), readFileSync(join(d, 'timeline.db')).subarray(0, 4096)), 'timeline.db', 'size'],
  ['an extra file', (d) => writeFileSync(join(d, 'timeline.db-wal'), 'x'), 'timeline.db-wal', 'unexpected'],
  ['a symlink in place of a file', (d) => { rmSync(join(d, 'workspace/SOUL.md')); symlinkSync('/etc/hostname', join(d, 'workspace/SOUL.md')); }, 'workspace/SOUL.md', 'not-a-file'],
];
for (const [label, damage, path, kind] of damages) {
  test(`verify catches ${label}`, async () => {
    damage(backup.path);
    const result = await verifyBackup(backup.path);
    assert.not.ok(result.ok);
    assert.ok(result.problems.some((p) => p.path === path && p.kind === kind), JSON.stringify(result.problems));
  });
}

test('a manifest rewritten with its checksum updated still has to match the files', async () => {
  const manifest = JSON.parse(readFileSync(join(backup.path, 'manifest.json'), 'utf8'));
  manifest.files = manifest.files.filter((f: { path: string }) => f.path !== 'config.json');
  const text = JSON.stringify(manifest, null, 2) + '\n';
  writeFileSync(join(backup.path, 'manifest.json'), text);
  const { createHash } = await import('node:crypto');
  writeFileSync(join(backup.path, 'manifest.json.sha256'), `${createHash('sha256').update(text).digest('hex')}  manifest.json\n`);
  const result = await verifyBackup(backup.path);
  assert.not.ok(result.ok);
  assert.ok(result.problems.some((p) => p.kind === 'manifest' || p.path === 'config.json'), JSON.stringify(result.problems));
});

test('a copy under another name (such as an unfinished temp dir) does not verify; the published name does', async () => {
  const other = join(fx.root, '.kafclaw-backup-tmp-x-1-ab');
  cpSync(backup.path, other, { recursive: true });
  const result = await verifyBackup(other);
  assert.not.ok(result.ok);
  assert.equal(result.problems.map((p) => p.kind), ['name']);
  mkdirSync(join(fx.root, 'elsewhere'));
  const moved = join(fx.root, 'elsewhere', backup.name);
  renameSync(other, moved);
  assert.ok((await verifyBackup(moved)).ok, 'a backup moved to another dir keeps verifying');
});

test('a directory that is not a backup is rejected with a reason', async () => {
  const result = await verifyBackup(fx.workspace);
  assert.not.ok(result.ok);
  assert.is(result.problems[0]?.path, 'manifest.json');
  assert.not.ok((await verifyBackup(join(fx.root, 'nope'))).ok);
});

test('an encrypted backup verifies its stored bytes without a key, and its content with one', async () => {
  const key = new Secret(randomBytes(32).toString('hex'), 'test');
  const enc = await createBackup({ stateDir: fx.stateDir, configPath: fx.configPath, workspace: fx.workspace, dest: join(fx.root, 'enc'), sourceHost: 'gw1', toolVersion: '0.1.0', encryptionKey: key });
  const withoutKey = await verifyBackup(enc.path);
  assert.ok(withoutKey.ok, JSON.stringify(withoutKey.problems));
  assert.not.ok(withoutKey.decrypted);
  const withKey = await verifyBackup(enc.path, { encryptionKey: key });
  assert.ok(withKey.ok && withKey.decrypted);
  rmSync(join(enc.path, 'manifest.json.hmac'));
  const noMac = await verifyBackup(enc.path, { encryptionKey: key });
  assert.equal(noMac.problems.map((p) => p.path), ['manifest.json.hmac']);
});

test('hashContents false checks everything but the bytes: a same-size flip passes it, a size change or a forged manifest does not', async () => {
  const b = await createBackup({ stateDir: fx.stateDir, configPath: fx.configPath, workspace: fx.workspace, dest: join(fx.root, 'quick'), sourceHost: 'gw1', toolVersion: '0.1.0' });
  flipByte(join(b.path, 'timeline.db'));
  assert.ok((await verifyBackup(b.path, { hashContents: false })).ok);
  assert.not.ok((await verifyBackup(b.path)).ok);
  writeFileSync(join(b.path, 'config.json'), readFileSync(join(b.path, 'config.json'), 'utf8') + ' ');
  assert.equal((await verifyBackup(b.path, { hashContents: false })).problems.map((p) => p.kind), ['size']);
  flipByte(join(b.path, 'manifest.json'));
  assert.equal((await verifyBackup(b.path, { hashContents: false })).problems.map((p) => p.kind), ['checksum']);
});

test.run();
