// The same checks over SSH, on a real Debian 12 lab host: nothing in a check knows it is remote.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useLabHosts, labTarget } from '../lab/hosts.js';
import { runDoctor } from '../../checks/doctor.js';
import { kafclaw } from '../cli/run-cli.js';
import type { CheckResult } from '../../checks/types.js';

const test = suite('doctor over SSH');
const lab = useLabHosts(test, 1, { sudoUser: 'alice' });
const byId = (results: CheckResult[], id: string) => results.filter((r) => r.id === id);

test('the host profile runs over SSH: stock sshd and no firewall fail, nothing errors', async () => {
  const host = lab.hosts[0]!;
  const target = labTarget(host);
  try {
    const run = await runDoctor(target, { profile: 'host' });
    assert.is(run.host, host.name);
    const errors = run.results.filter((r) => r.status === 'error');
    assert.equal(errors, [], JSON.stringify(errors));
    assert.is(byId(run.results, 'host.ssh-hardening')[0]?.status, 'fail');
    assert.match(byId(run.results, 'host.ssh-hardening')[0]!.message, /permitrootlogin is \S+, expected no/);
    assert.is(byId(run.results, 'host.firewall-active')[0]?.status, 'fail');
    assert.is(byId(run.results, 'host.non-root-runtime')[0]?.status, 'skip');
  } finally {
    await target.close();
  }
});

test('a ruleset loaded on the host changes the verdict; a non-root login reads it through sudo', async () => {
  const host = lab.hosts[0]!;
  const root = labTarget(host);
  const alice = labTarget(host, { user: 'alice' });
  try {
    const ruleset = readFileSync(new URL('../fixtures/nft/hardened-loopback.nft', import.meta.url), 'utf8');
    const loaded = await root.run(['nft', '-f', '-'], { stdin: ruleset });
    assert.is(loaded.exitCode, 0, loaded.stderr);
    const run = await runDoctor(alice, { profile: 'host', sudo: true, only: ['host.firewall-active', 'host.firewall-gateway-ports', 'host.shared-admin-accounts'] });
    assert.equal(run.results.map((r) => [r.id, r.status]), [
      ['host.firewall-active', 'pass'],
      ['host.firewall-gateway-ports', 'pass'],
      ['host.shared-admin-accounts', 'pass'],
    ]);
  } finally {
    await root.run(['nft', 'flush', 'ruleset']);
    await root.close();
    await alice.close();
  }
});

test('kafclaw doctor --host: an unknown host key is refused with its fingerprint (exit 3); the flag records it', () => {
  const host = lab.hosts[0]!;
  const dir = mkdtempSync(join(tmpdir(), 'kafclaw-kh-'));
  try {
    const knownHosts = join(dir, 'known_hosts');
    writeFileSync(knownHosts, '');
    const args = ['doctor', '--profile', 'host', '--only', 'host.ssh-hardening', '--host', `root@${host.address}`, '--identity', host.privateKeyPath, '--known-hosts', knownHosts];
    const refused = kafclaw(args, { PATH: process.env.PATH ?? '', HOME: dir });
    assert.is(refused.code, 3, refused.stderr);
    assert.match(refused.stderr, /SHA256:[A-Za-z0-9+/]{43}/);
    assert.match(refused.stderr, /--accept-new-host-keys/);
    const accepted = kafclaw([...args, '--accept-new-host-keys', '--format', 'json'], { PATH: process.env.PATH ?? '', HOME: dir });
    assert.is(accepted.code, 1, accepted.stderr);
    assert.is(JSON.parse(accepted.stdout).checks[0].status, 'fail');
    assert.match(readFileSync(knownHosts, 'utf8'), /ssh-ed25519/);
    writeFileSync(knownHosts, `${host.address} ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKxVrKzJ0Zq0Fq1Kq9Qq5h6g8m3x0o7b1f2e4d6c8a0b\n`);
    const changed = kafclaw([...args, '--accept-new-host-keys'], { PATH: process.env.PATH ?? '', HOME: dir });
    assert.is(changed.code, 3);
    assert.match(changed.stderr, /changed|does not match|mismatch/i);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('kafclaw doctor -i INVENTORY: every host checked, an unreachable one reported (exit 3) while the others go on', async () => {
  const host = lab.hosts[0]!;
  const dir = mkdtempSync(join(tmpdir(), 'kafclaw-inv-'));
  const { createServer } = await import('node:net');
  const closedPort = await new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
  try {
    const inventory = join(dir, 'inventory.yml');
    writeFileSync(inventory, [
      'all:',
      '  hosts:',
      `    gw1:`,
      `      ansible_host: ${host.address}`,
      '      ansible_user: root',
      `      ansible_ssh_private_key_file: ${host.privateKeyPath}`,
      `      known_hosts_file: ${host.knownHostsPath}`,
      '    gone:',
      '      ansible_host: 127.0.0.1',
      `      ansible_port: ${closedPort}`,
      '',
    ].join('\n'));
    const run = kafclaw(['doctor', '--profile', 'host', '--only', 'host.ssh-hardening', '-i', inventory, '--format', 'json'], { PATH: process.env.PATH ?? '', HOME: dir });
    assert.is(run.code, 3, run.stderr);
    assert.match(run.stderr, /gone/);
    const report = JSON.parse(run.stdout);
    assert.equal(report.checks.map((c: { host: string; id: string }) => [c.host, c.id]), [['gw1', 'host.ssh-hardening']]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
