// playbooks/restore-test.yml through `kafclaw provision` between two lab hosts: the gateway host's
// newest backup is fetched to the controller and proven on the clean host; the result lands in the
// controller's operations store; a damaged controller copy fails the drill and names the step.
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { useLabHosts, labTarget, type LabHost } from '../lab/hosts.js';
import { createBackup, type CreatedBackup } from '../../lib/backup/create.js';
import { newestRestoreTest, openStoreReadOnly } from '../../lib/store/index.js';
import type { Target } from '../../lib/target/types.js';
import { makeFixture, type Fixture } from '../lib/backup/kafclaw-db.js';
import { kafclaw } from './run-cli.js';

const test = suite('playbooks/restore-test.yml (lab)');
const lab = useLabHosts(test, 2);

async function publishOn(target: Target, backup: CreatedBackup): Promise<void> {
  const base = `/var/backups/kafclaw/${backup.name}`;
  assert.is((await target.run(['install', '-d', '-m', '0700', '/var/backups/kafclaw', base, `${base}/workspace`])).exitCode, 0);
  for (const rel of ['manifest.json', 'manifest.json.sha256', ...backup.manifest.files.map((f) => f.path)]) {
    await target.writeFileAtomic(`${base}/${rel}`, readFileSync(join(backup.path, rel)), { mode: 0o600 });
  }
}

function inventory(gateway: LabHost, clean: LabHost): string {
  const host = (h: LabHost) =>
    `        ${h.name}:\n          ansible_host: ${h.address}\n          ansible_user: root\n          ansible_ssh_private_key_file: ${h.privateKeyPath}\n          known_hosts_file: ${h.knownHostsPath}\n`;
  return `all:\n  children:\n    gateway:\n      hosts:\n${host(gateway)}    restore_test:\n      hosts:\n${host(clean)}`;
}

type Event = { type: string; task?: string; status?: string; message?: string; host?: string };
const events = (stdout: string): Event[] => stdout.trim().split('\n').map((line) => JSON.parse(line) as Event);

let fx: Fixture;
test.before.each(() => {
  fx = makeFixture(300);
});
test.after.each(() => fx.cleanup());

test('the drill passes, is recorded on the controller, fetches once; a damaged controller copy fails it', async () => {
  const [gw, clean] = lab.hosts as [LabHost, LabHost];
  const target = labTarget(gw);
  let backup: CreatedBackup;
  try {
    const sourceHost = (await target.run(['hostname'])).stdout.trim();
    backup = await createBackup({ stateDir: fx.stateDir, configPath: fx.configPath, workspace: fx.workspace, dest: fx.dest, sourceHost, toolVersion: '0.1.0' });
    await publishOn(target, backup);
  } finally {
    await target.close();
  }
  const inventoryPath = join(fx.root, 'inventory.yml');
  writeFileSync(inventoryPath, inventory(gw, clean));
  const env = { HOME: fx.root, PATH: process.env.PATH ?? '/usr/bin:/bin' };
  const args = ['provision', 'playbooks/restore-test.yml', '-i', inventoryPath, '--format', 'json'];

  const first = kafclaw(args, env);
  assert.is(first.code, 0, first.stdout + first.stderr);
  const firstTasks = events(first.stdout).filter((e) => e.type === 'task');
  assert.equal(firstTasks.map((e) => [e.host, e.status]), [[gw.name, 'changed'], [clean.name, 'changed']], first.stdout);
  const fetched = join(fx.root, '.kafclaw/drill', gw.name);
  assert.equal(readdirSync(fetched), [backup.name]);
  const store = openStoreReadOnly(join(fx.root, '.kafclaw/ops.db'))!;
  try {
    const recorded = newestRestoreTest(store)!;
    assert.ok(recorded.ok);
    assert.is(recorded.target, clean.name);
    assert.is(recorded.backupPath, join(fetched, backup.name));
  } finally {
    store.close();
  }
  const leftovers = labTarget(clean);
  try {
    assert.is((await leftovers.runScript('ls -d /tmp/kafclaw-restore-test.* 2>/dev/null | wc -l')).stdout.trim(), '0');
  } finally {
    await leftovers.close();
  }

  // The controller already holds the newest backup: not fetched again. Damage its database copy.
  const db = join(fetched, backup.name, 'timeline.db');
  const bytes = readFileSync(db);
  bytes[Math.floor(bytes.length / 2)]! ^= 0xff;
  writeFileSync(db, bytes);
  const second = kafclaw(args, env);
  assert.is(second.code, 1, second.stdout + second.stderr);
  const secondTasks = events(second.stdout).filter((e) => e.type === 'task');
  assert.equal(secondTasks.map((e) => [e.host, e.status]), [[gw.name, 'ok'], [clean.name, 'failed']], second.stdout);
  assert.match(secondTasks[1]!.message ?? '', /restore test of kafclaw-backup-\S+ failed: source\.verify: .*timeline\.db/);
});

test('check mode fetches nothing and tests nothing', async () => {
  const [gw, clean] = lab.hosts as [LabHost, LabHost];
  const inventoryPath = join(fx.root, 'inventory.yml');
  writeFileSync(inventoryPath, inventory(gw, clean));
  const run = kafclaw(['provision', 'playbooks/restore-test.yml', '-i', inventoryPath, '--check', '--format', 'json'], { HOME: fx.root, PATH: process.env.PATH ?? '/usr/bin:/bin' });
  assert.is(run.code, 0, run.stdout + run.stderr);
  assert.equal(readdirSync(fx.root).includes('.kafclaw'), false, 'check mode wrote to the controller');
  const tasks = events(run.stdout).filter((e) => e.type === 'task');
  assert.equal(tasks.map((e) => e.status), ['changed', 'changed'], run.stdout);
});

test.run();
