import { test } from 'uvu';
import * as assert from 'uvu/assert';
import Database from 'better-sqlite3';
import { readdirSync, readFileSync, statSync, writeFileSync, rmSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createBackup } from '../../../lib/backup/create.js';
import { BackupError } from '../../../lib/backup/errors.js';
import { isBackupName } from '../../../lib/backup/layout.js';
import { makeFixture, openKafclawDb, insertTurn, CANARY_TOKEN, CANARY_ANTHROPIC, CANARY_UNKNOWN_KEY, type Fixture } from './kafclaw-db.js';
import { startChild, stopChild } from './child.js';

function allFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? [join(dir, entry.name), ...allFiles(join(dir, entry.name))] : [join(dir, entry.name)],
  );
}

function counts(path: string): Record<string, number> {
  const db = new Database(path, { readonly: true });
  try {
    const out: Record<string, number> = {};
    for (const table of ['timeline', 'tasks', 'policy_decisions', 'web_users', 'web_links']) {
      out[table] = (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
    }
    return out;
  } finally {
    db.close();
  }
}

let fx: Fixture;
test.before.each(() => {
  fx = makeFixture(300);
});
test.after.each(() => fx.cleanup());

test('a backup holds the snapshot, sanitized config, identity files and extras, with a complete manifest', async () => {
  const extra = join(fx.root, 'notes.txt');
  writeFileSync(extra, 'operator notes\n');
  const backup = await createBackup({
    stateDir: fx.stateDir, configPath: fx.configPath, workspace: fx.workspace, extraFiles: [extra],
    dest: fx.dest, sourceHost: 'gw1', toolVersion: '0.1.0',
  });
  console.log(`    backup of 300 turns: ${backup.durationMs} ms`, backup.timings);
  assert.ok(isBackupName(backup.name));
  assert.equal(readdirSync(fx.dest), [backup.name]);
  const m = backup.manifest;
  assert.is(m.sourceHost, 'gw1');
  assert.is(m.toolVersion, '0.1.0');
  assert.is(m.formatVersion, 1);
  assert.equal(m.database.tables, ['policy_decisions', 'settings', 'tasks', 'timeline', 'web_links', 'web_users']);
  assert.equal(m.database.rowCounts, { policy_decisions: 300, settings: 2, tasks: 300, timeline: 300, web_links: 300, web_users: 300 });
  assert.equal(m.identity.present, ['SOUL.md', 'IDENTITY.md', 'AGENTS.md', 'TOOLS.md', 'USER.md']);
  assert.equal(m.files.map((f) => f.path).sort(), [
    'config.json', 'extra/notes.txt', 'timeline.db',
    'workspace/AGENTS.md', 'workspace/IDENTITY.md', 'workspace/SOUL.md', 'workspace/TOOLS.md', 'workspace/USER.md',
  ]);
  for (const path of allFiles(backup.path)) {
    const mode = statSync(path).mode & 0o777;
    assert.is(mode, statSync(path).isDirectory() ? 0o700 : 0o600, path);
    assert.not.ok(/-(wal|shm|journal)$/.test(path), `sidecar ${path}`);
  }
  assert.is(statSync(backup.path).mode & 0o777, 0o700);
  assert.is(statSync(fx.dest).mode & 0o777, 0o700);
  const manifestText = readFileSync(join(backup.path, 'manifest.json'), 'utf8');
  assert.is(readFileSync(join(backup.path, 'manifest.json.sha256'), 'utf8'), `${backup.manifestSha256}  manifest.json\n`);
  assert.ok(manifestText.includes('"gateway.authToken"'));
  const db = new Database(join(backup.path, 'timeline.db'), { readonly: true });
  assert.is(db.pragma('journal_mode', { simple: true }), 'delete');
  assert.is(db.pragma('integrity_check', { simple: true }), 'ok');
  db.close();
});

test('no canary credential appears in any byte of the backup', async () => {
  const backup = await createBackup({ stateDir: fx.stateDir, configPath: fx.configPath, workspace: fx.workspace, dest: fx.dest, sourceHost: 'gw1', toolVersion: '0.1.0' });
  const config = JSON.parse(readFileSync(join(backup.path, 'config.json'), 'utf8'));
  assert.is(config.providers.openai.apiKey, '${OPENAI_API_KEY}');
  for (const path of allFiles(backup.path)) {
    if (statSync(path).isDirectory()) continue;
    const bytes = readFileSync(path);
    for (const canary of [CANARY_TOKEN, CANARY_ANTHROPIC, CANARY_UNKNOWN_KEY, 'canary']) {
      assert.is(bytes.indexOf(canary), -1, `${canary} in ${path}`);
    }
  }
});

test('credentials the sanitizer cannot reach are named in warnings (never their values), unless the backup is encrypted', async () => {
  const db = new Database(join(fx.stateDir, 'timeline.db'));
  db.prepare("INSERT INTO settings (key, value) VALUES ('kafscale_lfs_proxy_api_key', ?), ('whatsapp_pair_token', '')").run(CANARY_TOKEN);
  db.close();
  const env = join(fx.root, 'env');
  writeFileSync(env, 'SLACK_BOT_TOKEN=xoxb-1111-2222-abcdefghijkl\n');
  const plain = await createBackup({ stateDir: fx.stateDir, extraFiles: [env], dest: fx.dest, sourceHost: 'h', toolVersion: 'v' });
  assert.equal(plain.warnings, [
    'timeline.db settings row kafscale_lfs_proxy_api_key holds a credential; encrypt backups to keep it out of the clear',
    'extra/env contains what looks like a Slack bot token; encrypt backups or remove it from the file',
  ]);
  const { Secret } = await import('../../../lib/secrets/index.js');
  const { randomBytes } = await import('node:crypto');
  const encrypted = await createBackup({ stateDir: fx.stateDir, extraFiles: [env], dest: join(fx.root, 'enc'), sourceHost: 'h', toolVersion: 'v', encryptionKey: new Secret(randomBytes(32).toString('hex')) });
  assert.equal(encrypted.warnings, []);
});

test('missing identity files are recorded, not invented; a missing database is a clear error', async () => {
  rmSync(join(fx.workspace, 'USER.md'));
  rmSync(join(fx.workspace, 'TOOLS.md'));
  const backup = await createBackup({ stateDir: fx.stateDir, workspace: fx.workspace, dest: fx.dest, sourceHost: 'h', toolVersion: 'v' });
  assert.equal(backup.manifest.identity.missing, ['TOOLS.md', 'USER.md']);
  assert.is(backup.manifest.config, null);
  const empty = join(fx.root, 'empty-state');
  mkdirSync(empty);
  try {
    await createBackup({ stateDir: empty, dest: fx.dest, sourceHost: 'h', toolVersion: 'v' });
    assert.unreachable('should have thrown');
  } catch (error) {
    assert.instance(error, BackupError);
    assert.match((error as Error).message, join(empty, 'timeline.db'));
  }
  assert.is(readdirSync(fx.dest).length, 1, 'a failed backup leaves nothing behind');
});

test('a backup taken while another process writes steadily is one consistent point in time', async () => {
  const dbPath = join(fx.stateDir, 'timeline.db');
  // grow the fixture's 300 turns to a size where the copy takes a while
  const grow = openKafclawDb(dbPath);
  grow.transaction(() => {
    for (let n = 300; n < 8000; n++) insertTurn(grow, n, 600);
  })();
  grow.close();
  const { child } = await startChild('writer-child.ts', [dbPath, '1000000', '1']);
  try {
    await new Promise((r) => setTimeout(r, 150));
    const before = counts(dbPath).timeline!;
    const backup = await createBackup({ stateDir: fx.stateDir, dest: fx.dest, sourceHost: 'h', toolVersion: 'v', snapshotCheck: 'full' });
    const after = counts(dbPath).timeline!;
    console.log(`    backup of ${(backup.manifest.database.pageCount * backup.manifest.database.pageSize / 1e6).toFixed(1)} MB under writes: ${backup.durationMs} ms`, backup.timings, `rows before ${before}, in backup ${backup.manifest.database.rowCounts['timeline']}, after ${after}`);
    assert.ok(after > before, 'the writer kept writing during the backup');
    const snap = join(backup.path, 'timeline.db');
    const got = counts(snap);
    assert.ok(got.timeline! >= before && got.timeline! <= after, `snapshot count ${got.timeline} within [${before}, ${after}]`);
    for (const table of ['tasks', 'policy_decisions', 'web_users', 'web_links']) assert.is(got[table], got.timeline, `${table} torn`);
    assert.equal(backup.manifest.database.rowCounts['timeline'], got.timeline);
    const db = new Database(snap, { readonly: true });
    assert.is(db.pragma('integrity_check', { simple: true }), 'ok');
    assert.equal(db.pragma('foreign_key_check'), []);
    db.close();
  } finally {
    await stopChild(child);
  }
});

test.run();
