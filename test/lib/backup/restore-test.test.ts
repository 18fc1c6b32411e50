import { test } from 'uvu';
import * as assert from 'uvu/assert';
import Database from 'better-sqlite3';
import { existsSync, openSync, readdirSync, readFileSync, rmSync, writeSync, closeSync, mkdirSync, writeFileSync } from 'node:fs';
import { createHash, randomBytes } from 'node:crypto';
import { Secret } from '../../../lib/secrets/index.js';
import { join } from 'node:path';
import { createBackup, type CreatedBackup } from '../../../lib/backup/create.js';
import { restoreTest, type RestoreTestResult } from '../../../lib/backup/restore-test.js';
import { makeFixture, type Fixture } from './kafclaw-db.js';
import { flipByte, resign } from './damage.js';

let fx: Fixture;
let backup: CreatedBackup;
let work: string;
test.before.each(async () => {
  fx = makeFixture(500);
  work = join(fx.root, 'work');
  mkdirSync(work);
  backup = await createBackup({ stateDir: fx.stateDir, configPath: fx.configPath, workspace: fx.workspace, dest: fx.dest, sourceHost: 'gw1', toolVersion: '0.1.0' });
});
test.after.each(() => fx.cleanup());

function show(result: RestoreTestResult): string {
  return result.steps.map((s) => `${s.status} ${s.name} ${s.durationMs}ms: ${s.detail}`).join('\n');
}

test('a good backup passes every step; the gateway step waits for the runtime; the scratch dir is removed', async () => {
  const result = await restoreTest(backup.path, { workDir: work });
  console.log(`    restore-test: ${result.durationMs} ms\n` + show(result).replace(/^/gm, '      '));
  assert.ok(result.ok, show(result));
  assert.equal(result.failed, []);
  assert.equal(result.steps.map((s) => s.name), [
    'verify', 'restore', 'checksums', 'database.open', 'database.integrity_check', 'database.foreign_key_check',
    'database.tables', 'database.schema', 'database.row-counts', 'config.parses', 'identity-files', 'gateway.smoke',
  ]);
  assert.is(result.steps.at(-1)!.status, 'skipped');
  assert.is(result.backupName, backup.name);
  assert.is(result.manifestSha256, backup.manifestSha256);
  assert.equal(readdirSync(work), []);
});

test('the gateway hook runs on the restored state, and its failure fails the test', async () => {
  let seen = '';
  const result = await restoreTest(backup.path, {
    workDir: work,
    gatewaySmoke: async (dir) => {
      seen = dir;
      return { ok: existsSync(join(dir, 'timeline.db')) && false, detail: '/healthz refused' };
    },
  });
  assert.ok(seen.endsWith('restored'));
  assert.not.ok(result.ok);
  assert.equal(result.failed, ['gateway.smoke']);
});

const damages: Array<[string, (dir: string) => void]> = [
  ['a flipped byte in the database', (d) => flipByte(join(d, 'timeline.db'))],
  ['a flipped byte in the manifest', (d) => flipByte(join(d, 'manifest.json'))],
  ['a flipped byte in the config', (d) => flipByte(join(d, 'config.json'))],
  ['a flipped byte in an identity file', (d) => flipByte(join(d, 'workspace/AGENTS.md'))],
  ['a missing file', (d) => rmSync(join(d, 'workspace/TOOLS.md'))],
];
for (const [label, damage] of damages) {
  test(`restore-test catches ${label}, and runs nothing past verify`, async () => {
    damage(backup.path);
    const result = await restoreTest(backup.path, { workDir: work });
    assert.not.ok(result.ok);
    assert.equal(result.failed, ['verify'], show(result));
    assert.ok(result.steps.slice(1).every((s) => s.status === 'skipped'));
    assert.equal(readdirSync(work), []);
  });
}

test('a corrupt database with a consistent manifest fails the SQLite checks', async () => {
  const path = join(backup.path, 'timeline.db');
  const fd = openSync(path, 'r+');
  writeSync(fd, Buffer.alloc(4096, 0xa5), 0, 4096, 4096 * 3);
  closeSync(fd);
  resign(backup.path, 'timeline.db');
  const result = await restoreTest(backup.path, { workDir: work });
  assert.not.ok(result.ok);
  assert.ok(result.failed.includes('database.integrity_check') || result.failed.includes('database.open'), show(result));
  for (const name of ['config.parses', 'identity-files']) assert.is(result.steps.find((s) => s.name === name)?.status, 'passed', 'checks that do not need the database still run');
});

test('a dangling foreign key, missing KafClaw tables and wrong row counts are each caught', async () => {
  const path = join(backup.path, 'timeline.db');
  const db = new Database(path);
  db.pragma('foreign_keys = OFF');
  db.prepare("INSERT INTO web_links (web_user_id, whatsapp_jid) VALUES (999999, 'ghost')").run();
  db.exec('DROP TABLE policy_decisions');
  db.close();
  resign(backup.path, 'timeline.db');
  const result = await restoreTest(backup.path, { workDir: work });
  assert.not.ok(result.ok);
  assert.equal(result.failed, ['database.foreign_key_check', 'database.tables', 'database.schema', 'database.row-counts'], show(result));
});

test('a config that no longer parses is caught', async () => {
  writeFileSync(join(backup.path, 'config.json'), '{"gateway": ');
  resign(backup.path, 'config.json');
  const result = await restoreTest(backup.path, { workDir: work });
  assert.equal(result.failed, ['config.parses'], show(result));
});

test('a config that parses as JSON but fails KafClaw validation is caught with its key', async () => {
  const path = join(backup.path, 'config.json');
  const config = JSON.parse(readFileSync(path, 'utf8'));
  config.gateway.port = 'not-a-port';
  writeFileSync(path, JSON.stringify(config, null, 2));
  resign(backup.path, 'config.json');
  const result = await restoreTest(backup.path, { workDir: work });
  assert.equal(result.failed, ['config.parses'], show(result));
  const detail = result.steps.find((s) => s.name === 'config.parses')!.detail;
  assert.match(detail, /gateway\.port/);
  assert.match(detail, /^config\.json:\d+/);
});

test('an $include pointing outside the backup is not read from the machine running the test', async () => {
  const outside = join(fx.root, 'outside.json');
  writeFileSync(outside, JSON.stringify({ gateway: { port: 'bad' } }));
  const path = join(backup.path, 'config.json');
  const config = JSON.parse(readFileSync(path, 'utf8'));
  config.$include = outside;
  writeFileSync(path, JSON.stringify(config, null, 2));
  resign(backup.path, 'config.json');
  const result = await restoreTest(backup.path, { workDir: work });
  const step = result.steps.find((s) => s.name === 'config.parses')!;
  assert.is(step.status, 'failed', show(result));
  assert.not.match(step.detail, /gateway\.port/);
});

test('an encrypted backup holds no plaintext, restores and verifies with its key, and fails cleanly with a wrong or missing key', async () => {
  const key = new Secret(randomBytes(32).toString('hex'), 'env:KAFCLAW_BACKUP_KEY');
  const wrong = new Secret(randomBytes(32).toString('hex'), 'env:OTHER');
  const enc = await createBackup({ stateDir: fx.stateDir, configPath: fx.configPath, workspace: fx.workspace, dest: join(fx.root, 'enc'), sourceHost: 'gw1', toolVersion: '0.1.0', encryptionKey: key });
  assert.is(enc.manifest.encryption?.algorithm, 'aes-256-gcm-chunked');
  assert.is(readFileSync(join(enc.path, 'timeline.db')).indexOf('SQLite format 3'), -1);
  assert.is(readFileSync(join(enc.path, 'workspace/SOUL.md')).indexOf('test agent'), -1);
  assert.not.ok(readdirSync(enc.path).includes('.snapshot.db'));
  const good = await restoreTest(enc.path, { workDir: work, encryptionKey: key });
  assert.ok(good.ok, show(good));
  const bad = await restoreTest(enc.path, { workDir: work, encryptionKey: wrong });
  assert.equal(bad.failed, ['verify']);
  assert.match(bad.steps[0]!.detail, /wrong encryption key/);
  const none = await restoreTest(enc.path, { workDir: work });
  assert.equal(none.failed, ['verify']);
  assert.match(none.steps[0]!.detail, /no key/);
  assert.equal(readdirSync(work), []);
});

test('a truncated encrypted file is caught; forging the manifest to match it is caught by the manifest MAC', async () => {
  const key = new Secret(randomBytes(32).toString('hex'), 'env:KAFCLAW_BACKUP_KEY');
  const enc = await createBackup({ stateDir: fx.stateDir, configPath: fx.configPath, dest: join(fx.root, 'enc'), sourceHost: 'gw1', toolVersion: '0.1.0', encryptionKey: key });
  const path = join(enc.path, 'timeline.db');
  const truncated = readFileSync(path).subarray(0, 24 + 65552);
  writeFileSync(path, truncated);
  const result = await restoreTest(enc.path, { workDir: work, encryptionKey: key });
  assert.equal(result.failed, ['verify']);
  assert.match(result.steps[0]!.detail, /timeline.db: size/);

  const manifestPath = join(enc.path, 'manifest.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  const entry = manifest.files.find((f: { path: string }) => f.path === 'timeline.db');
  entry.stored = { size: truncated.length, sha256: createHash('sha256').update(truncated).digest('hex') };
  const text = JSON.stringify(manifest, null, 2) + '\n';
  writeFileSync(manifestPath, text);
  writeFileSync(join(enc.path, 'manifest.json.sha256'), `${createHash('sha256').update(text).digest('hex')}  manifest.json\n`);
  const forged = await restoreTest(enc.path, { workDir: work, encryptionKey: key });
  assert.equal(forged.failed, ['verify']);
  assert.match(forged.steps[0]!.detail, /manifest MAC does not match/);
});

test.run();
