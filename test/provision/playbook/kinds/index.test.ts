import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { RESOURCE_KINDS, RESOURCE_KIND_NAMES, isResourceKind } from '../../../../provision/playbook/kinds/index.js';

const KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIA alice@laptop';

/** A minimal valid example of each kind, and its parsed form. */
const EXAMPLES: Record<string, [unknown, unknown]> = {
  user: [{ name: 'alice' }, { name: 'alice', state: 'present', system: false, append: false, create_home: true, password_locked: true }],
  group: [{ name: 'kafclaw', system: true }, { name: 'kafclaw', state: 'present', system: true }],
  authorized_keys: [{ user: 'alice', keys: [KEY] }, { user: 'alice', keys: [KEY], exclusive: true }],
  sudoers: [{ name: '90-x', rules: [{ groups: ['sudo'] }] }, { name: '90-x', mode: 0o440, rules: [{ groups: ['sudo'], runas: 'ALL:ALL', nopasswd: false, commands: ['ALL'] }] }],
  directory: [{ path: '/srv/x' }, { path: '/srv/x', owner: 'root', group: 'root', mode: 0o755, state: 'present' }],
  file: [{ path: '/etc/motd', content: 'hi\n', mode: '640' }, { path: '/etc/motd', owner: 'root', group: 'root', mode: 0o640, content: 'hi\n', state: 'present' }],
  env_file: [{ path: '/etc/x.env', values: { A: 'env:A' } }, { path: '/etc/x.env', owner: 'root', group: 'root', mode: 0o600, values: { A: { kind: 'env', name: 'A', text: 'env:A' } } }],
  sshd_config: [{ settings: { X11Forwarding: false, AllowGroups: ['sudo', 'admin'] } }, { name: '10-kafclaw', mode: 0o600, settings: { X11Forwarding: false, AllowGroups: ['sudo', 'admin'] } }],
  nftables: [{ ruleset: 'table inet kafclaw {}' }, { path: '/etc/nftables.conf', mode: 0o640, ruleset: 'table inet kafclaw {}' }],
  systemd_unit: [{ name: 'x.service', content: '[Unit]\n' }, { name: 'x.service', content: '[Unit]\n', state: 'present' }],
  service: [{ name: 'ssh', state: 'reloaded' }, { name: 'ssh', state: 'reloaded' }],
  timer: [{ name: 'kafclaw-backup.timer', unit: 'kafclaw-backup.service', on_calendar: 'daily' }, { name: 'kafclaw-backup.timer', unit: 'kafclaw-backup.service', on_calendar: 'daily', persistent: true, enabled: true, state: 'started' }],
  journald: [{ settings: { MaxRetentionSec: '30d' } }, { name: '10-kafclaw', settings: { MaxRetentionSec: '30d' } }],
  sysctl: [{ name: 'net.ipv4.ip_forward', value: 0 }, { name: 'net.ipv4.ip_forward', value: 0, file: '/etc/sysctl.d/90-kafclaw.conf' }],
  package: [{ name: 'nftables' }, { name: ['nftables'], state: 'present' }],
  release: [{ archive: 'dist/kafclaw-0.1.0.tar.gz', version: '0.1.0' }, { archive: 'dist/kafclaw-0.1.0.tar.gz', version: '0.1.0', releases_dir: '/opt/kafclaw/releases', current_link: '/opt/kafclaw/current', keep: 5 }],
  fetch_backup: [{ to: '/var/tmp/drill' }, { dir: '/var/backups/kafclaw', to: '/var/tmp/drill' }],
  restore_test: [{ from: '/var/tmp/drill/gw1', encryption_key: 'env:KEY' }, { from: '/var/tmp/drill/gw1', encryption_key: { kind: 'env', name: 'KEY', text: 'env:KEY' } }],
};

test('the registry lists every kind the brief names, in order', () => {
  assert.equal(RESOURCE_KIND_NAMES, ['user', 'group', 'authorized_keys', 'sudoers', 'directory', 'file', 'env_file', 'sshd_config', 'nftables', 'systemd_unit', 'service', 'timer', 'journald', 'sysctl', 'package', 'release', 'fetch_backup', 'restore_test']);
  assert.ok(isResourceKind('env_file'));
  assert.not.ok(isResourceKind('copy'));
  assert.not.ok(isResourceKind('constructor'));
  for (const name of RESOURCE_KIND_NAMES) assert.is(RESOURCE_KINDS[name].kind, name);
});

test('each kind parses a minimal example to its defaults', () => {
  for (const name of RESOURCE_KIND_NAMES) {
    const [input, expected] = EXAMPLES[name]!;
    const parsed = RESOURCE_KINDS[name].params.safeParse(input);
    assert.ok(parsed.success, `${name}: ${JSON.stringify(parsed.error?.issues)}`);
    assert.equal(parsed.data, expected, name);
  }
});

test('each kind rejects unknown keys, strictly and loosely', () => {
  for (const name of RESOURCE_KIND_NAMES) {
    const [input] = EXAMPLES[name]!;
    const withExtra = { ...(input as object), bogus: 1 };
    assert.not.ok(RESOURCE_KINDS[name].params.safeParse(withExtra).success, name);
    assert.not.ok(RESOURCE_KINDS[name].loose.safeParse(withExtra).success, name);
  }
});

test('loose schemas accept templates where typed values go; strict ones do not', () => {
  const templated = { user: 'alice', keys: '{{ item.keys }}', exclusive: '{{ exclusive }}' };
  assert.ok(RESOURCE_KINDS.authorized_keys.loose.safeParse(templated).success);
  assert.not.ok(RESOURCE_KINDS.authorized_keys.params.safeParse(templated).success);
  assert.ok(RESOURCE_KINDS.directory.loose.safeParse({ path: '{{ base }}/x', mode: '{{ mode }}', owner: '{{ owner }}' }).success);
  assert.ok(RESOURCE_KINDS.nftables.loose.safeParse({ table: { rules: [{ ports: ['{{ p }}'], from: '{{ f }}', enabled: '{{ on }}' }] } }).success);
});

test('refusals: empty lists, relative paths, dotted sudoers names, bad modes and both content and template', () => {
  const fails = (name: keyof typeof RESOURCE_KINDS, input: unknown) => assert.not.ok(RESOURCE_KINDS[name].params.safeParse(input).success, `${name} ${JSON.stringify(input)}`);
  fails('authorized_keys', { user: 'alice', keys: [] });
  fails('authorized_keys', { user: 'alice', keys: [`${KEY}\nssh-rsa AAAA evil`] });
  fails('directory', { path: 'srv/x' });
  fails('directory', { path: '/srv/../etc' });
  fails('directory', { path: '/srv/x', mode: 755 });
  fails('directory', { path: '/srv/x', mode: '0855' });
  fails('sudoers', { name: '90-kafclaw.admins', rules: [{ groups: ['sudo'] }] });
  fails('sudoers', { name: '90-x', rules: [] });
  fails('sudoers', { name: '90-x', rules: [{ nopasswd: true }] });
  fails('file', { path: '/etc/x', content: 'a', template: 'b.tmpl' });
  fails('file', { path: '/etc/x' });
  fails('env_file', { path: '/etc/x.env' });
  fails('env_file', { path: '/etc/x.env', values: { A: 'plain-literal-value' } });
  fails('env_file', { path: '/etc/x.env', values: { 'BAD NAME': 'env:A' } });
  fails('sshd_config', { settings: {} });
  fails('nftables', {});
  fails('fetch_backup', { to: 'drill' });
  fails('restore_test', { from: '/var/tmp/x', encryption_key: 'a-literal-key-value' });
  fails('nftables', { ruleset: 'x', table: {} });
  fails('nftables', { table: { rules: [{ ports: [22], from: [] }] } });
  fails('nftables', { table: { rules: [{ ports: [70000], from: ['10.0.0.0/8'] }] } });
  fails('nftables', { table: { rules: [{ ports: [22], from: ['not-a-cidr'] }] } });
  fails('service', { name: 'ssh' });
  fails('user', { name: 'Alice' });
  fails('user', { name: 'alice', uid: '1000' });
  fails('package', { name: [] });
  fails('release', { archive: 'x.tgz', version: '0.1.0', keep: 1 });
  assert.ok(RESOURCE_KINDS.file.params.safeParse({ path: '/etc/x', state: 'absent' }).success);
  assert.ok(RESOURCE_KINDS.nftables.params.safeParse({ table: { rules: [{ ports: [18790], from: [], enabled: false }] } }).success);
});

test('controller paths: ~/ is the controller user\'s home', () => {
  const parsed = RESOURCE_KINDS.fetch_backup.params.parse({ to: '~/.kafclaw/drill/gw1' });
  assert.is(parsed.to, `${process.env.HOME}/.kafclaw/drill/gw1`);
  assert.not.ok(RESOURCE_KINDS.fetch_backup.params.safeParse({ to: '~/../etc' }).success);
});

test.run();
