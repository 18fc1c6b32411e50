// The clean-host drill between two real Debian 12 lab hosts: a backup on host A (the "gateway"),
// fetched by the controller and restore-tested on host B, which has neither Node.js nor sqlite3.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { useLabHosts, labTarget, type LabHost } from '../lab/hosts.js';
import { createBackup, type CreatedBackup } from '../../lib/backup/create.js';
import { remoteRestoreTest } from '../../cli/backup-remote.js';
import { fetchNewestBackup } from '../../lib/backup/drill.js';
import { newestRestoreTest, openStoreReadOnly } from '../../lib/store/index.js';
import { Secret } from '../../lib/secrets/index.js';
import type { Target } from '../../lib/target/types.js';
import { makeFixture, type Fixture } from '../lib/backup/kafclaw-db.js';

const test = suite('clean-host drill');
const lab = useLabHosts(test, 2);
const root = fileURLToPath(new URL('../..', import.meta.url));
const flagsFor = (host: LabHost) => ({ host: `root@${host.address}`, identity: host.privateKeyPath, knownHosts: host.knownHostsPath });

async function hostnameOf(target: Target): Promise<string> {
  return (await target.run(['hostname'])).stdout.trim();
}

/** Put a backup where `kafclaw backup` would have left it on the gateway host. */
async function publishOn(target: Target, backup: CreatedBackup): Promise<void> {
  const base = `/var/backups/kafclaw/${backup.name}`;
  assert.is((await target.run(['install', '-d', '-m', '0700', '/var/backups/kafclaw', base, `${base}/workspace`])).exitCode, 0);
  for (const rel of ['manifest.json', 'manifest.json.sha256', ...(backup.manifest.encryption ? ['manifest.json.hmac'] : []), ...backup.manifest.files.map((f) => f.path)]) {
    await target.writeFileAtomic(`${base}/${rel}`, readFileSync(join(backup.path, rel)), { mode: 0o600 });
  }
}

let fx: Fixture;
test.before.each(() => {
  fx = makeFixture(400);
});
test.after.each(() => fx.cleanup());

const show = (steps: Array<{ status: string; name: string; detail: string }>) => steps.map((s) => `${s.status} ${s.name}: ${s.detail}`).join('\n');

test('a backup on host A restores, verifies and serves on clean host B; B keeps nothing', async () => {
  const [a, b] = lab.hosts as [LabHost, LabHost];
  const gateway = labTarget(a);
  const clean = labTarget(b);
  try {
    const none = await clean.runScript('command -v node || command -v nodejs || command -v sqlite3 || echo none');
    assert.is(none.stdout.trim(), 'none', 'the clean host has no Node.js and no sqlite3');
    const backup = await createBackup({ stateDir: fx.stateDir, configPath: fx.configPath, workspace: fx.workspace, dest: fx.dest, sourceHost: await hostnameOf(gateway), toolVersion: '0.1.0' });
    await publishOn(gateway, backup);
    const pulled = join(fx.root, 'pulled');
    mkdirSync(pulled);
    const local = await fetchNewestBackup(gateway, '/var/backups/kafclaw', pulled);
    const started = Date.now();
    const { result, target } = await remoteRestoreTest(local, flagsFor(b));
    console.log(`    drill: ${Date.now() - started} ms\n` + show(result.steps).replace(/^/gm, '      '));
    assert.ok(result.ok, show(result.steps));
    assert.is(target, `root@${b.address}`);
    assert.equal(result.steps.slice(0, 5).map((s) => s.name), ['source.verify', 'host.clean', 'host.copy', 'host.sha256sum', 'host.restore']);
    assert.is(result.steps.find((s) => s.name === 'gateway.smoke')?.status, 'passed');
    assert.is(result.sourceHost, await hostnameOf(gateway));
    const leftovers = await clean.runScript('ls -d /tmp/kafclaw-restore-test.* 2>/dev/null | wc -l');
    assert.is(leftovers.stdout.trim(), '0');
  } finally {
    await gateway.close();
    await clean.close();
  }
});

test('the drill refuses the source host itself as the clean target', async () => {
  const [a] = lab.hosts as [LabHost, LabHost];
  const gateway = labTarget(a);
  try {
    const backup = await createBackup({ stateDir: fx.stateDir, dest: fx.dest, sourceHost: await hostnameOf(gateway), toolVersion: '0.1.0' });
    const { result } = await remoteRestoreTest(backup.path, flagsFor(a));
    assert.equal(result.failed, ['host.clean'], show(result.steps));
    assert.not.ok(result.ok);
  } finally {
    await gateway.close();
  }
});

test('an encrypted backup: the host checks and places the ciphertext, the controller decrypts; a wrong key fails verify', async () => {
  const [, b] = lab.hosts as [LabHost, LabHost];
  const key = new Secret(randomBytes(32).toString('hex'), 'env:KEY');
  const backup = await createBackup({ stateDir: fx.stateDir, configPath: fx.configPath, workspace: fx.workspace, dest: fx.dest, sourceHost: 'gw-elsewhere', toolVersion: '0.1.0', encryptionKey: key });
  const good = await remoteRestoreTest(backup.path, flagsFor(b), { encryptionKey: key });
  assert.ok(good.result.ok, show(good.result.steps));
  assert.match(good.result.steps.find((s) => s.name === 'host.restore')!.detail, /still encrypted/);
  const wrong = await remoteRestoreTest(backup.path, flagsFor(b), { encryptionKey: new Secret(randomBytes(32).toString('hex'), 'env:OTHER') });
  assert.equal(wrong.result.failed, ['source.verify']);
});

test('kafclaw restore-test --host runs the drill and records the clean host as the target', async () => {
  const [, b] = lab.hosts as [LabHost, LabHost];
  const backup = await createBackup({ stateDir: fx.stateDir, configPath: fx.configPath, workspace: fx.workspace, dest: fx.dest, sourceHost: 'gw-elsewhere', toolVersion: '0.1.0' });
  const f = flagsFor(b);
  const env = { HOME: fx.root, PATH: process.env.PATH ?? '/usr/bin:/bin', NO_COLOR: '1' };
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'cli/main.ts', 'restore-test', backup.path, '--host', f.host, '--identity', f.identity, '--known-hosts', f.knownHosts], { cwd: root, env, encoding: 'utf8', timeout: 180_000 });
  assert.is(run.status, 0, run.stdout + run.stderr);
  assert.match(run.stdout, new RegExp(`on root@${b.address.replace(/\./g, '\\.')}:`));
  const store = openStoreReadOnly(join(fx.root, '.kafclaw/ops.db'))!;
  try {
    const recorded = newestRestoreTest(store)!;
    assert.ok(recorded.ok);
    assert.is(recorded.target, f.host);
    assert.is(recorded.host, 'gw-elsewhere');
  } finally {
    store.close();
  }
  assert.ok(readdirSync(fx.root).includes('.kafclaw'));
});

test.run();
