// Real applies on a lab host (Debian 12 under systemd-nspawn, reached over SSH as root):
// each test converges, then proves the second diff is a no-op. Needs root on the controller.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { labTarget, useLabHosts } from '../../lab/hosts.js';
import type { SshTarget } from '../../../lib/target/ssh.js';
import { Secret } from '../../../lib/secrets/secret.js';
import { createResource } from '../../../lib/resources/index.js';
import type { Change, Resource } from '../../../lib/resources/index.js';
import { converge, diffOn, rejectsWith } from './converge.js';
import { proveFreshLogin } from '../../../provision/runner/connect.js';
import { createHash } from 'node:crypto';
import { nftablesProbe, nftRecordPath } from '../../../lib/resources/nftables.js';

const test = suite('resources on a lab host');
const lab = useLabHosts(test, 1);
let target: SshTarget;

test.before(async () => {
  target = labTarget(lab.hosts[0]!);
  await target.connect();
});
test.after(async () => {
  await target?.close();
});

const host = () => lab.hosts[0]!;
const sh = async (script: string) => {
  const result = await target.runScript(script);
  return result.stdout.trim();
};
const proveLogin = (user = 'root', timeoutMs = 4000) => async () => {
  const fresh = labTarget(host(), { user, connectTimeoutMs: timeoutMs });
  try {
    return (await fresh.run(['true'])).exitCode === 0;
  } finally {
    await fresh.close();
  }
};
const labKey = () => readFileSync(`${host().privateKeyPath}.pub`, 'utf8').trim();

async function applyFails(resource: Resource, pattern: RegExp): Promise<string> {
  const { facts, diffs } = await diffOn(target, [resource]);
  return rejectsWith(resource.apply(target, diffs[0] as Change[], facts), pattern);
}

test('accounts: service account, an admin with exactly one key, a sudoers drop-in; the admin logs in and sudoes', async () => {
  const resources = [
    createResource('group', { name: 'kafclaw', system: true }),
    createResource('user', { name: 'kafclaw', system: true, home: '/var/lib/kafclaw', shell: '/usr/sbin/nologin', group: 'kafclaw' }),
    createResource('user', { name: 'alice', home: '/home/alice', shell: '/bin/bash', groups: ['sudo'] }),
    createResource('authorized_keys', { user: 'alice', keys: [labKey()] }),
    createResource('sudoers', { name: '90-kafclaw-admins', content: '%sudo ALL=(ALL:ALL) NOPASSWD: ALL' }),
  ];
  const { changes } = await converge(target, resources);
  assert.ok(changes.length >= 10);
  assert.is(await sh('id -nG kafclaw; id -nG alice'), 'kafclaw\nalice sudo');
  assert.is(await sh('getent passwd kafclaw | cut -d: -f6,7'), '/var/lib/kafclaw:/usr/sbin/nologin');
  assert.is(await sh('passwd -S kafclaw | cut -d" " -f2; passwd -S alice | cut -d" " -f2'), 'L\nL');
  assert.is(await sh("stat -c '%a %U' /home/alice/.ssh /home/alice/.ssh/authorized_keys /etc/sudoers.d/90-kafclaw-admins"), '700 alice\n600 alice\n440 root');
  const alice = labTarget(host(), { user: 'alice' });
  try {
    assert.is((await alice.run(['sudo', '-n', 'id', '-u'])).stdout.trim(), '0');
  } finally {
    await alice.close();
  }
});

test('accounts: a stray key and an extra group are removed (exactly the listed ones)', async () => {
  await sh("echo 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKstrayKEYxxxxxxxxxxxxxxxxxxxxxxxxxxxxx stray' >> /home/alice/.ssh/authorized_keys; usermod -aG adm alice; chmod 0755 /home/alice/.ssh");
  const { changes } = await converge(target, [
    createResource('user', { name: 'alice', home: '/home/alice', shell: '/bin/bash', groups: ['sudo'] }),
    createResource('authorized_keys', { user: 'alice', keys: [labKey()] }),
  ]);
  assert.equal(changes.map((c) => c.field).sort(), ['groups', 'keys', 'ssh-dir.mode']);
  assert.is(await sh('id -nG alice'), 'alice sudo');
  assert.not.match(await sh('cat /home/alice/.ssh/authorized_keys'), /stray/);
});

test('sudoers: content visudo rejects never reaches /etc/sudoers.d', async () => {
  const message = await applyFails(createResource('sudoers', { name: '91-broken', content: '%sudo ALL=(ALL NOPASSWD ALL' }), /visudo -cf failed/);
  assert.match(message, /not installed/);
  assert.is(await sh('ls -A /etc/sudoers.d'), '90-kafclaw-admins\nREADME');
  assert.is(await sh('sudo -n true && echo ok'), 'ok');
});

test('sshd: a drop-in checked with sshd -t, then sshd reloaded; the effective values change and logins still work', async () => {
  const settings = { X11Forwarding: false, MaxAuthTries: 3, LoginGraceTime: 30, ClientAliveInterval: 300, ClientAliveCountMax: 2 };
  const pidBefore = await sh('systemctl show -p MainPID --value ssh');
  await converge(target, [createResource('sshd_config', { name: '10-kafclaw.conf', settings })]);
  assert.is(await sh("sshd -T | grep -E '^(maxauthtries|x11forwarding|logingracetime) ' | sort"), 'logingracetime 30\nmaxauthtries 3\nx11forwarding no');
  assert.is(await sh('systemctl show -p MainPID --value ssh'), pidBefore, 'reloaded, not restarted');
  assert.is(await sh("stat -c '%a %U' /etc/ssh/sshd_config.d/10-kafclaw.conf"), '600 root');
  assert.ok(await proveLogin()());
});

test('sshd: a drop-in sshd -t rejects is not installed; the running config is untouched', async () => {
  const before = await sh('sha256sum /etc/ssh/sshd_config.d/10-kafclaw.conf');
  await applyFails(createResource('sshd_config', { name: '10-kafclaw.conf', settings: { MaxAuthTries: 'lots' } }), /sshd -t failed/);
  assert.is(await sh('sha256sum /etc/ssh/sshd_config.d/10-kafclaw.conf'), before);
  assert.is(await sh('ls -A /etc/ssh/sshd_config.d /etc/ssh | grep -c -e candidate -e kafclaw-sshd-test || true'), '0');
  assert.ok(await proveLogin()());
});

test('sshd: a drop-in that locks every login out fails the proof and is put back; sshd reloaded', async () => {
  const before = await sh('sha256sum /etc/ssh/sshd_config.d/10-kafclaw.conf');
  const resource = createResource('sshd_config', { name: '10-kafclaw.conf', settings: { AllowUsers: 'nobody' } }, { proveLogin: proveLogin('root', 3000) });
  const message = await applyFails(resource, /prove a fresh login failed/);
  assert.match(message, /previous drop-in is back/);
  assert.is(await sh('sha256sum /etc/ssh/sshd_config.d/10-kafclaw.conf'), before);
  // The revert reloads sshd, which re-executes itself: the provisioner's own proof retries a login
  // refused in that moment, and so does this check.
  const { address, name, privateKeyPath, knownHostsPath } = host();
  assert.ok(await proveFreshLogin({ host: address, name, user: 'root', privateKeyPath, knownHostsPath }), 'logins work again');
  assert.is(await sh('ls -A /etc/ssh/sshd_config.d'), '10-kafclaw.conf');
});

const GOOD_RULESET = `table inet kafclaw {}
delete table inet kafclaw
table inet kafclaw {
  chain input {
    type filter hook input priority 0; policy drop;
    iif lo accept
    ct state established,related accept
    ct state invalid drop
    tcp dport 22 accept
  }
  chain forward { type filter hook forward priority 0; policy drop; }
  chain output { type filter hook output priority 0; policy accept; }
}
`;

test('nftables: checked, loaded with a revert scheduled, a fresh login proven, the revert cancelled', async () => {
  await sh('nft add table ip other; nft add chain ip other keep');
  const resource = createResource('nftables', { ruleset: GOOD_RULESET, revertAfterSeconds: 30 }, { proveLogin: proveLogin() });
  const { changes } = await converge(target, [resource]);
  assert.equal(changes.map((c) => c.field), ['content', 'mode', 'ruleset']);
  assert.is(await sh('nft list tables'), 'table ip other\ntable inet kafclaw');
  assert.is(await sh("stat -c '%a %U' /etc/nftables.conf"), '640 root');
  assert.is(await sh('systemctl list-timers --all --no-legend | grep -c kafclaw-nft-revert || true'), '0');
  assert.is(await sh('ls /run | grep -c kafclaw-nft || true'), '0');
});

test('nftables: a ruleset that cuts SSH fails the proof; the host restores the previous ruleset by itself', async () => {
  const lockout = GOOD_RULESET.replace('    tcp dport 22 accept\n', '');
  const resource = createResource('nftables', { ruleset: lockout, revertAfterSeconds: 15 }, { proveLogin: proveLogin('root', 3000) });
  const started = Date.now();
  const message = await applyFails(resource, /prove a fresh login failed/);
  assert.match(message, /restores the previous ruleset by itself within 15 s/);
  assert.not.ok(await proveLogin('root', 3000)().catch(() => false), 'new logins are refused while the bad ruleset is loaded');
  let back = false;
  while (!back && Date.now() - started < 45_000) {
    await new Promise((resolve) => setTimeout(resolve, 2000));
    back = await proveLogin('root', 3000)().catch(() => false);
  }
  assert.ok(back, 'a fresh login works again once the host has reverted');
  console.log(`  lab: reverted and reachable ${((Date.now() - started) / 1000).toFixed(1)} s after the apply started`);
  assert.match(await sh('nft list table inet kafclaw'), /tcp dport 22 accept/);
  assert.is(await sh('sha256sum < /etc/nftables.conf | cut -c1-64'), (await import('node:crypto')).createHash('sha256').update(GOOD_RULESET).digest('hex'));
  assert.is(await sh('nft list tables'), 'table ip other\ntable inet kafclaw');
  const again = await diffOn(target, [createResource('nftables', { ruleset: GOOD_RULESET })]);
  assert.ok(!Array.isArray(again.diffs[0]), 'the good ruleset is what is loaded and on disk');
});

test('nftables: the structured table form renders a ruleset nft loads; then a no-op', async () => {
  const resource = createResource(
    'nftables',
    { table: { rules: [{ ports: [22], from: ['0.0.0.0/0', '::/0'] }, { ports: [18790], from: ['10.0.0.0/8'], enabled: false }] }, revertAfterSeconds: 30 },
    { proveLogin: proveLogin() },
  );
  const { changes } = await converge(target, [resource]);
  assert.ok(changes.some((c) => c.field === 'ruleset'));
  const listing = await sh('nft list table inet kafclaw');
  assert.match(listing, /tcp dport 22 accept/);
  assert.not.match(listing, /18790/);
  assert.is(await sh('nft list tables'), 'table ip other\ntable inet kafclaw');
});

test('nftables: a load records the live listing for its content; the next probe uses it, and live drift is still found', async () => {
  const ruleset = GOOD_RULESET.replace('tcp dport 22 accept', 'tcp dport 22 accept comment "record"');
  const make = () => createResource('nftables', { ruleset, revertAfterSeconds: 30 }, { proveLogin: proveLogin() });
  await converge(target, [make()]);
  const record = nftRecordPath('/etc/nftables.conf');
  const [contentSha, listingSha] = (await sh(`cat ${record}`)).split(/\s+/);
  assert.is(contentSha, createHash('sha256').update(ruleset).digest('hex'));
  assert.is(listingSha, await sh("nft -s list table inet kafclaw | sha256sum | cut -c1-64"));
  // the probe now takes the wanted listing from the record: no throwaway namespace is made
  const probe = nftablesProbe('k', '/etc/nftables.conf', ruleset, ['inet kafclaw']);
  // stderr of the probe's unshare calls goes to /dev/null or into its output: count calls in a file
  const counted = (script: string) => target.runScript(`rm -f /tmp/unshare-calls\nunshare() { echo x >> /tmp/unshare-calls; command unshare "$@"; }\n${script}`);
  const calls = async () => Number(await sh('cat /tmp/unshare-calls 2>/dev/null | wc -l'));
  const traced = await counted(probe.script);
  assert.is(await calls(), 0);
  assert.is(probe.parse(traced.stdout, traced.exitCode).nft && (probe.parse(traced.stdout, traced.exitCode) as { wanted: string }).wanted, listingSha);
  // a rule added by hand is drift, record or not
  await sh('nft add rule inet kafclaw input tcp dport 2222 accept');
  const drift = await diffOn(target, [make()]);
  assert.ok(Array.isArray(drift.diffs[0]) && (drift.diffs[0] as Change[]).some((c) => c.field === 'ruleset'), 'the hand-added rule is a ruleset change');
  // a record made for other content is not used
  await sh(`printf '%s %s\\n' ${'0'.repeat(64)} ${listingSha} > ${record}`);
  const fallback = await counted(probe.script);
  assert.is(await calls(), 2);
  assert.is((probe.parse(fallback.stdout, fallback.exitCode) as { wanted: string }).wanted, listingSha, 'the throwaway listing agrees with the record');
  await converge(target, [make()]);
  assert.ok(!Array.isArray((await diffOn(target, [make()])).diffs[0]), 'converged again');
});

test('nftables: a ruleset that adds to a table without deleting it first is not recorded as converged (the record is of the ruleset alone)', async () => {
  await sh('nft add table inet kafclaw_add; nft add chain inet kafclaw_add input "{ type filter hook input priority 10; policy accept; }"; nft add rule inet kafclaw_add input tcp dport 7777 accept');
  const additive = 'table inet kafclaw_add {\n  chain input {\n    type filter hook input priority 10; policy accept;\n    tcp dport 9999 accept\n  }\n}\n';
  const make = () => createResource('nftables', { path: '/etc/nftables-add.conf', ruleset: additive, revertAfterSeconds: 30 }, { proveLogin: proveLogin() });
  const first = await diffOn(target, [make()]);
  await make().apply(target, first.diffs[0] as Change[], first.facts);
  const live = await sh('nft -s list table inet kafclaw_add');
  assert.match(live, /7777/, 'the old rule is still loaded: nft -f added to the table');
  const [, recorded] = (await sh(`cat ${nftRecordPath('/etc/nftables-add.conf')}`)).split(/\s+/);
  assert.is.not(recorded, await sh('nft -s list table inet kafclaw_add | sha256sum | cut -c1-64'), 'the merged live listing was recorded as wanted');
  const again = await diffOn(target, [make()]);
  assert.ok(Array.isArray(again.diffs[0]) && (again.diffs[0] as Change[]).some((c) => c.field === 'ruleset'), 'the extra rule still shows as a ruleset difference');
  await sh('nft delete table inet kafclaw_add; rm -f /etc/nftables-add.conf');
});

test('systemd: unit files, a service and a timer; one daemon-reload for three units; started and enabled', async () => {
  const resources = [
    createResource('systemd_unit', { name: 'kafclaw-test.service', content: '[Unit]\nDescription=test\n[Service]\nExecStart=/bin/sleep infinity\n[Install]\nWantedBy=multi-user.target\n' }),
    createResource('systemd_unit', { name: 'kafclaw-test-job.service', content: '[Service]\nType=oneshot\nExecStart=/bin/true\n' }),
    createResource('systemd_unit', { name: 'kafclaw-test-job.timer', content: '[Timer]\nOnCalendar=daily\nUnit=kafclaw-test-job.service\n[Install]\nWantedBy=timers.target\n' }),
    createResource('service', { name: 'kafclaw-test', enabled: true, state: 'started' }),
    createResource('timer', { name: 'kafclaw-test-job' }),
  ];
  const { applied } = await converge(target, resources);
  assert.equal(applied.followUps, ['daemon-reload']);
  assert.is(await sh('systemctl is-active kafclaw-test.service kafclaw-test-job.timer; systemctl is-enabled kafclaw-test.service kafclaw-test-job.timer'), 'active\nactive\nenabled\nenabled');
});

test('systemd: a changed unit makes one daemon-reload due at the end; a restart handler always acts', async () => {
  const pid = await sh('systemctl show -p MainPID --value kafclaw-test.service');
  const unit = createResource('systemd_unit', { name: 'kafclaw-test.service', content: '[Unit]\nDescription=test, changed\n[Service]\nExecStart=/bin/sleep infinity\n[Install]\nWantedBy=multi-user.target\n' });
  const { applied } = await converge(target, [unit, createResource('service', { name: 'kafclaw-test', enabled: true, state: 'started' })]);
  assert.equal(applied.followUps, ['daemon-reload']);
  assert.is(await sh('systemctl show -p Description --value kafclaw-test.service'), 'test, changed');
  assert.is(await sh('systemctl show -p MainPID --value kafclaw-test.service'), pid, 'not restarted by the resource');
  const restart = createResource('service', { name: 'kafclaw-test', state: 'restarted' });
  const { facts, diffs } = await diffOn(target, [restart]);
  await restart.apply(target, diffs[0] as Change[], facts);
  assert.is.not(await sh('systemctl show -p MainPID --value kafclaw-test.service'), pid);
});

test('systemd: a unit that fails to start is an error carrying its own last journal lines', async () => {
  const unit = createResource('systemd_unit', { name: 'kafclaw-broken.service', content: '[Service]\nType=oneshot\nExecStart=/bin/sh -c "echo kafclaw-broken-says-why >&2; exit 3"\n' });
  await converge(target, [unit]);
  const message = await applyFails(createResource('service', { name: 'kafclaw-broken', state: 'started' }), /start failed/);
  assert.match(message, /journal: .*kafclaw-broken-says-why/, message);
});

test('timer with on_calendar: the unit written, systemd reloaded, enabled and started in one resource', async () => {
  await converge(target, [
    createResource('systemd_unit', { name: 'kafclaw-cal.service', content: '[Service]\nType=oneshot\nExecStart=/bin/true\n' }),
    createResource('timer', { name: 'kafclaw-cal.timer', on_calendar: '*-*-* 03:00:00', randomized_delay_sec: '10m' }),
  ]);
  assert.is(await sh('systemctl is-active kafclaw-cal.timer; systemctl is-enabled kafclaw-cal.timer; systemctl show -p TimersCalendar --value kafclaw-cal.timer | grep -c "03:00:00"'), 'active\nenabled\n1');
});

test('removals: a file, a unit file (daemon-reload due), an account and a group', async () => {
  await sh('useradd --system olduser; groupadd oldgroup; echo x > /etc/kafclaw-old.conf; printf "[Service]\\nExecStart=/bin/true\\n" > /etc/systemd/system/kafclaw-old.service');
  const { applied } = await converge(target, [
    createResource('file', { path: '/etc/kafclaw-old.conf', state: 'absent' }),
    createResource('systemd_unit', { name: 'kafclaw-old.service', state: 'absent' }),
    createResource('user', { name: 'olduser', state: 'absent' }),
    createResource('group', { name: 'oldgroup', state: 'absent' }),
  ]);
  assert.equal(applied.followUps, ['daemon-reload']);
  assert.is(await sh('ls /etc/kafclaw-old.conf /etc/systemd/system/kafclaw-old.service 2>/dev/null; getent passwd olduser; getent group oldgroup; true'), '');
});

test('journald: a drop-in, journald restarted and running', async () => {
  await converge(target, [createResource('journald', { name: '10-kafclaw.conf', settings: { MaxRetentionSec: '30d', SystemMaxUse: '200M' } })]);
  assert.is(await sh('cat /etc/systemd/journald.conf.d/10-kafclaw.conf; systemctl is-active systemd-journald'), '[Journal]\nMaxRetentionSec=30d\nSystemMaxUse=200M\nactive');
});

test('sysctl: the drop-in with live values that match; a value /proc/sys will not take is a clear error', async () => {
  const live = { 'net.ipv4.ip_forward': await sh('sysctl -n net.ipv4.ip_forward'), 'net.ipv4.tcp_syncookies': await sh('sysctl -n net.ipv4.tcp_syncookies') };
  const { changes } = await converge(target, [createResource('sysctl', { name: '90-kafclaw.conf', values: live })]);
  assert.equal(changes.map((c) => c.field), ['content']);
  const flipped = (await sh('sysctl -n net.ipv4.conf.all.rp_filter')) === '1' ? '0' : '1';
  await applyFails(createResource('sysctl', { name: '91-kafclaw.conf', values: { 'net.ipv4.conf.all.rp_filter': flipped } }), /sysctl -w net\.ipv4\.conf\.all\.rp_filter failed/);
  await converge(target, [createResource('sysctl', { name: '91-kafclaw.conf', values: { 'net.ipv4.conf.all.rp_filter': flipped }, live: false })]);
});

test('sysctl, one key per task: two keys share a file, other lines kept; a no-op afterwards', async () => {
  await sh("printf '# local\\nvm.swappiness = 10\\n' > /etc/sysctl.d/95-shared.conf");
  const forward = await sh('sysctl -n net.ipv4.ip_forward');
  const cookies = await sh('sysctl -n net.ipv4.tcp_syncookies');
  await converge(target, [
    createResource('sysctl', { name: 'net.ipv4.ip_forward', value: forward, file: '/etc/sysctl.d/95-shared.conf' }),
    createResource('sysctl', { name: 'net.ipv4.tcp_syncookies', value: cookies, file: '/etc/sysctl.d/95-shared.conf' }),
    createResource('sysctl', { name: 'kernel.kptr_restrict', value: 2, file: '/etc/sysctl.d/95-shared.conf', live: false }),
  ]);
  assert.is(await sh('cat /etc/sysctl.d/95-shared.conf'), `# local\nvm.swappiness = 10\nnet.ipv4.ip_forward = ${forward}\nnet.ipv4.tcp_syncookies = ${cookies}\nkernel.kptr_restrict = 2`);
});

test('package: an installed package is a no-op; a missing one on a host without a mirror fails fast and clearly', async () => {
  const { diffs } = await diffOn(target, [createResource('package', { name: ['openssh-server', 'nftables'] })]);
  assert.equal(diffs[0], { resource: 'package:openssh-server,nftables', reason: 'every package is installed' });
  const started = Date.now();
  await applyFails(createResource('package', { name: 'cowsay' }), /cannot reach a package mirror .*cowsay not installed/);
  assert.ok(Date.now() - started < 60_000, `failed in ${Date.now() - started} ms`);
});

test('paths over SSH: directory, file and env file (0600 from the start, values never in the diff)', async () => {
  const token = 'canary-lab-token-5f4e3d2c1b0a99887766';
  await sh("nohup sh -c 'for i in $(seq 400); do ps -eo args; sleep 0.01; done > /root/ps.log' >/dev/null 2>&1 & echo $! > /root/ps.pid");
  const { changes } = await converge(target, [
    createResource('directory', { path: '/etc/kafclaw', owner: 'root', group: 'kafclaw', mode: 0o750 }),
    createResource('file', { path: '/etc/kafclaw/config.json', content: '{"gateway":{}}\n', owner: 'root', group: 'kafclaw', mode: 0o640 }),
    createResource('env_file', { path: '/etc/kafclaw/gateway.env', values: { KAFCLAW_GATEWAY_AUTH_TOKEN: new Secret(token) } }),
  ]);
  assert.not.match(JSON.stringify(changes), /canary/);
  assert.is(await sh("stat -c '%a %U %G' /etc/kafclaw /etc/kafclaw/config.json /etc/kafclaw/gateway.env"), '750 root kafclaw\n640 root kafclaw\n600 root root');
  assert.is(await sh('cat /etc/kafclaw/gateway.env'), `KAFCLAW_GATEWAY_AUTH_TOKEN=${token}`);
  // the sampler stops first: it would otherwise list the grep below, whose own arguments name the canary
  await sh('kill $(cat /root/ps.pid) 2>/dev/null; sleep 0.1; true');
  assert.ok(Number(await sh('wc -l < /root/ps.log')) > 0, 'the process list was sampled during the run');
  assert.is(await sh('grep -c canary /root/ps.log || true'), '0', 'the token never appeared in a process argument list');
});

test.run();
