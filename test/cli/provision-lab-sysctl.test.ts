// `kafclaw provision` (the built CLI) with a sysctl task on a real lab host. /proc/sys is read-only
// inside systemd-nspawn (net.* too: the lab hosts' network namespaces do not make it writable), so
// `sysctl -w` fails there: the task fails (exit 1), says that the value is persisted in
// /etc/sysctl.d and applies at boot, and the file is in place.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { labTarget, useLabHosts } from '../lab/hosts.js';
import { inventoryText, kafclawAsync, parseJsonRun, show, workDir } from './provision-lab-helpers.js';

const test = suite('cli/provision: sysctl (lab)');
const lab = useLabHosts(test, 1);

const FILE = '/etc/sysctl.d/90-kafclaw-test.conf';
const playbook = (name: string, value: number) => `- name: kernel settings
  hosts: all
  tasks:
    - name: ${name}
      sysctl:
        name: ${name}
        value: ${value}
        file: ${FILE}
`;

async function provision(name: string, value: number) {
  const work = await workDir();
  try {
    const inventory = await work.file('inventory.yml', inventoryText([{ host: lab.hosts[0]! }]));
    const file = await work.file('play.yml', playbook(name, value));
    return await kafclawAsync(['provision', file, '-i', inventory, '--format', 'json']);
  } finally {
    await work.cleanup();
  }
}

test('a kernel-wide key (read-only /proc/sys): the task fails, the message says the value is persisted in /etc/sysctl.d and applies at boot; exit 1', async () => {
  const host = lab.hosts[0]!;
  const root = labTarget(host);
  try {
    const live = (await root.run(['sysctl', '-n', 'kernel.kptr_restrict'])).stdout.trim();
    const wanted = live === '2' ? 1 : 2;
    const run = await provision('kernel.kptr_restrict', wanted);
    assert.is(run.code, 1, show(run));
    const { events, summary } = parseJsonRun(run);
    assert.equal(summary.hosts[host.name], { ok: 0, changed: 0, failed: 1, unreachable: false }, show(run));
    const failed = events.find((e) => e.type === 'task' && e.status === 'failed');
    const message = failed && failed.type === 'task' ? (failed.message ?? '') : '';
    assert.match(message, /sysctl -w kernel\.kptr_restrict/, show(run));
    assert.match(message, /read-only|permission denied/i, message);
    assert.ok(message.includes(FILE), `the message does not name ${FILE}: ${message}`);
    assert.match(message, /persisted in \/etc\/sysctl\.d\/\S+ and applies at boot/, message);
    // The value is persisted; the live value did not move.
    assert.is((await root.readFile(FILE))?.toString(), `kernel.kptr_restrict = ${wanted}\n`);
    assert.is((await root.run(['sysctl', '-n', 'kernel.kptr_restrict'])).stdout.trim(), live);
    // A second run does not rewrite the file and fails the same way (the live value still differs).
    const before = (await root.stat(FILE))!.mtimeMs;
    const again = await provision('kernel.kptr_restrict', wanted);
    assert.is(again.code, 1, show(again));
    assert.is((await root.stat(FILE))!.mtimeMs, before, 'the persisted file was rewritten');
    const second = parseJsonRun(again).events.find((e) => e.type === 'task' && e.status === 'failed');
    assert.ok(second && second.type === 'task' && second.message?.includes(FILE), show(again));
  } finally {
    await root.close();
  }
});

test('--check shows both changes (the file line and the live value) and writes nothing', async () => {
  const host = lab.hosts[0]!;
  const root = labTarget(host);
  try {
    const live = (await root.run(['sysctl', '-n', 'net.ipv4.conf.all.log_martians'])).stdout.trim();
    const wanted = live === '1' ? 0 : 1;
    const work = await workDir();
    let run;
    try {
      const inventory = await work.file('inventory.yml', inventoryText([{ host }]));
      const file = await work.file('play.yml', playbook('net.ipv4.conf.all.log_martians', wanted));
      run = await kafclawAsync(['provision', file, '-i', inventory, '--check']);
    } finally {
      await work.cleanup();
    }
    assert.is(run.code, 0, show(run));
    assert.match(run.stdout, /would change +net\.ipv4\.conf\.all\.log_martians/);
    assert.match(run.stdout, new RegExp(`file: \\(none\\) -> ${wanted}`));
    assert.match(run.stdout, new RegExp(`live: ${live} -> ${wanted}`));
    assert.not.match((await root.readFile(FILE))?.toString() ?? '', /log_martians/, 'check mode wrote the file');
  } finally {
    await root.close();
  }
});

test.run();
