import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { RESOURCE_KINDS, createResource, isResourceKind, resourceKinds } from '../../../lib/resources/index.js';
import type { ResourceKind, ResourceParams } from '../../../lib/resources/index.js';
import { Secret } from '../../../lib/secrets/secret.js';

const test = suite('resources registry');

const samples: { [K in ResourceKind]: ResourceParams[K] } = {
  user: { name: 'alice', home: '/home/alice', shell: '/bin/bash', groups: ['sudo'] },
  group: { name: 'kafclaw', system: true },
  authorized_keys: { user: 'alice', keys: ['ssh-ed25519 AAAA alice'] },
  sudoers: { name: '90-kafclaw-admins', content: '%sudo ALL=(ALL) NOPASSWD: ALL' },
  directory: { path: '/srv/kafclaw', mode: 0o755 },
  file: { path: '/etc/kafclaw/config.json', content: '{}' },
  template: { path: '/etc/x', template: '{{ a }}', vars: { a: 1 } },
  env_file: { path: '/etc/kafclaw/gateway.env', values: { KAFCLAW_GATEWAY_AUTH_TOKEN: new Secret('canary-registry-0123456789') } },
  sshd_config: { name: '10-kafclaw.conf', settings: { PermitRootLogin: 'no' } },
  nftables: { ruleset: 'table inet kafclaw {\n}\n' },
  systemd_unit: { name: 'kafclaw-gateway.service', content: '[Service]\nExecStart=/bin/true\n' },
  service: { name: 'nftables', enabled: true, state: 'started' },
  timer: { name: 'kafclaw-backup' },
  journald: { name: '10-kafclaw.conf', settings: { MaxRetentionSec: '30d' } },
  sysctl: { name: 'net.ipv4.ip_forward', value: 0 },
  package: { name: ['nftables'] },
};

test('every kind the provisioner needs is registered', () => {
  assert.equal([...RESOURCE_KINDS].sort(), Object.keys(samples).sort());
  assert.ok(isResourceKind('env_file'));
  assert.not.ok(isResourceKind('toString'));
});

test('each constructor builds a resource of its kind with a probe and a printable id', () => {
  for (const kind of RESOURCE_KINDS) {
    const resource = createResource(kind, samples[kind] as never);
    assert.is(resource.kind, kind, kind);
    assert.ok(resource.id.startsWith(`${kind}:`), resource.id);
    assert.ok(resource.probes().length > 0, kind);
    assert.is(typeof resourceKinds[kind], 'function');
  }
});

test('no secret reaches an id or a probe script', () => {
  const resource = createResource('env_file', samples.env_file);
  assert.not.match(JSON.stringify({ id: resource.id, scripts: resource.probes().map((p) => p.script) }), /canary/);
});

test('bad parameters are refused at construction, naming what is wrong', () => {
  assert.throws(() => createResource('sudoers', { name: '90.admins', content: '' }), /sudoers drop-in name "90.admins"/);
  assert.throws(() => createResource('sshd_config', { name: 'a b', settings: {} }), /sshd drop-in name "a b"/);
  assert.throws(() => createResource('sshd_config', { name: 'a.conf', settings: { 'Permit Root': 'no' } }), /not an sshd keyword/);
  assert.throws(() => createResource('nftables', { ruleset: 'flush ruleset\ntable inet kafclaw {}\n' }), /flushes the whole ruleset/);
  assert.throws(() => createResource('nftables', { ruleset: '# nothing\n' }), /declares no table/);
  assert.throws(() => createResource('nftables', { ruleset: 'table inet k {}', revertAfterSeconds: 2 }), /revertAfterSeconds/);
  assert.throws(() => createResource('sysctl', { name: 'a.conf', values: { 'bad key': 1 } }), /not a kernel parameter name/);
  assert.throws(() => createResource('package', { name: 'Bad Name' }), /not a Debian package name/);
  assert.throws(() => createResource('systemd_unit', { name: 'gateway', content: '' }), /needs a suffix/);
  assert.throws(() => createResource('template', { path: '/x', template: '{{ nope }}', vars: {} }), /"nope" is not defined/);
});

test('a restart handler says it is not idempotent; services await daemon-reload, units make it due', () => {
  assert.is(createResource('service', { name: 'ssh', state: 'restarted' }).idempotent, false);
  assert.equal(createResource('timer', samples.timer).awaits, ['daemon-reload']);
  const unit = createResource('systemd_unit', samples.systemd_unit);
  assert.equal(unit.followUps?.([{ resource: unit.id, field: 'content', before: null, after: 'x' }]), ['daemon-reload']);
  assert.equal(unit.followUps?.([{ resource: unit.id, field: 'mode', before: '0600', after: '0644' }]), []);
});

test.run();
