import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadPlaybook } from '../../../provision/playbook/load.js';
import { planPlaybook } from '../../../provision/playbook/plan.js';
import type { PlanOptions, HostPlan } from '../../../provision/playbook/plan.js';
import type { ResourceSpec } from '../../../provision/playbook/kinds/index.js';
import { PlaybookError } from '../../../provision/playbook/errors.js';
import { InventoryError } from '../../../provision/inventory/errors.js';
import { loadInventory, parseInventory } from '../../../provision/inventory/load.js';
import { parseExtraVars } from '../../../provision/vars/extra-vars.js';

const HARDEN = join(process.cwd(), 'playbooks', 'harden.yml');
const EXAMPLE = join(process.cwd(), 'playbooks', 'examples', 'inventory.yml');

async function planWith(inventoryText: string | null, options: PlanOptions & { extra?: string[] } = {}) {
  const playbook = await loadPlaybook(HARDEN);
  const inventory = inventoryText === null ? await loadInventory(EXAMPLE) : parseInventory(inventoryText, 'inv.yml');
  return planPlaybook(playbook, inventory, { ...options, extraVars: await parseExtraVars(options.extra ?? []) });
}

const spec = <K extends ResourceSpec['kind']>(host: HostPlan, kind: K, name?: string) =>
  host.tasks.filter((t) => t.spec.kind === kind && (name === undefined || t.name === name)).map((t) => t.spec as Extract<ResourceSpec, { kind: K }>);

test('harden.yml with the example inventory: the plan per host', async () => {
  const plan = await planWith(null);
  const play = plan.plays[0]!;
  assert.equal(play.hosts, ['gw1', 'gw2']);
  const gw1 = play.perHost.get('gw1')!;
  assert.is(gw1.tasks.length, 22);
  assert.equal(gw1.skipped, [{ index: 11, name: 'KafClaw config, remote gateway (no secrets inside)', reason: 'when' }]);
  assert.equal(gw1.connection, { host: '192.0.2.10', port: 22, user: 'alice', privateKeyFile: '~/.ssh/id_ed25519', become: undefined, becomePassword: undefined, bootstrapUser: 'root', knownHostsFile: '~/.ssh/known_hosts' });

  // §1 accounts
  const [service] = spec(gw1, 'user', 'Service user kafclaw (no login, no keys, only its own group)');
  assert.equal(service!.params, { name: 'kafclaw', state: 'present', system: true, group: 'kafclaw', groups: [], append: false, home: '/var/lib/kafclaw', create_home: true, shell: '/usr/sbin/nologin', password_locked: true });
  assert.equal(spec(gw1, 'user').slice(1).map((s) => [s.params.name, s.params.groups, s.params.append]), [['alice', ['sudo'], true], ['bob', ['sudo'], true]]);
  const keys = spec(gw1, 'authorized_keys');
  assert.equal(keys.map((k) => [k.params.user, k.params.keys.length, k.params.exclusive]), [['alice', 1, true], ['bob', 1, true]]);
  const [sudoers] = spec(gw1, 'sudoers');
  assert.equal(sudoers!.params, { name: '90-kafclaw-admins', mode: 0o440, rules: [{ users: ['alice', 'bob'], runas: 'ALL:ALL', nopasswd: true, commands: ['ALL'] }] });

  // §2 sshd
  const [sshd] = spec(gw1, 'sshd_config');
  assert.equal(sshd!.params, {
    name: '10-kafclaw', mode: 0o600,
    settings: {
      PermitRootLogin: 'no', PasswordAuthentication: 'no', KbdInteractiveAuthentication: 'no', PermitEmptyPasswords: 'no',
      X11Forwarding: 'no', AllowAgentForwarding: 'no', AllowTcpForwarding: 'no', MaxAuthTries: 3, LoginGraceTime: 30,
      ClientAliveInterval: 300, ClientAliveCountMax: 2, AllowGroups: 'sudo',
    },
  });
  assert.equal(gw1.tasks.find((t) => t.spec.kind === 'sshd_config')!.notify, ['reload sshd']);

  // §3 firewall: gw1 is loopback-only, so its gateway rule is disabled
  const [nft] = spec(gw1, 'nftables');
  assert.is(nft!.params.path, '/etc/nftables.conf');
  assert.is(nft!.params.mode, 0o640);
  const table = nft!.params.table!;
  assert.equal([table.name, table.input_policy, table.forward_policy, table.output_policy], ['kafclaw', 'drop', 'drop', 'accept']);
  assert.equal(table.rules.map((r) => [r.ports, r.from, r.enabled]), [[[22], ['0.0.0.0/0', '::/0'], true], [[18790, 18791], [], false]]);

  // gw2 sets gateway_remote and an allow-list in its host vars
  const gw2 = play.perHost.get('gw2')!;
  assert.equal(spec(gw2, 'nftables')[0]!.params.table!.rules[1], { comment: 'gateway and dashboard, only when gateway_remote', proto: 'tcp', ports: [18790, 18791], from: ['198.51.100.0/24'], enabled: true });
  assert.equal(gw2.skipped.map((s) => s.index), [10]);
  assert.match(spec(gw2, 'file')[0]!.params.content!, /"host": "0.0.0.0"/);
  assert.match(spec(gw1, 'file')[0]!.params.content!, /"host": "127.0.0.1"/);
  assert.is(gw2.connection.port, 2222);

  // §4 paths
  const dirs = Object.fromEntries(spec(gw1, 'directory').map((d) => [d.params.path, `${d.params.owner}:${d.params.group} 0${d.params.mode.toString(8)}`]));
  assert.equal(dirs, {
    '/var/lib/kafclaw': 'kafclaw:kafclaw 0750',
    '/etc/kafclaw': 'root:kafclaw 0750',
    '/var/lib/kafclaw/.kafclaw': 'kafclaw:kafclaw 0700',
    '/srv/kafclaw': 'root:root 0755',
    '/srv/kafclaw/workspace': 'kafclaw:kafclaw 0750',
    '/srv/kafclaw/work-repo': 'kafclaw:kafclaw 0750',
    '/opt/kafclaw': 'root:root 0755',
    '/opt/kafclaw/releases': 'root:root 0755',
    '/var/backups/kafclaw': 'kafclaw:kafclaw 0700',
  });
  const [config] = spec(gw1, 'file');
  assert.equal([config!.params.path, config!.params.owner, config!.params.group, config!.params.mode], ['/etc/kafclaw/config.json', 'root', 'kafclaw', 0o640]);
  assert.equal(JSON.parse(config!.params.content!), { gateway: { host: '127.0.0.1', port: 18790, dashboardPort: 18791, authToken: '${KAFCLAW_GATEWAY_AUTH_TOKEN}' } });
  const [env] = spec(gw1, 'env_file');
  assert.equal(env!.params, {
    path: '/etc/kafclaw/gateway.env', owner: 'root', group: 'root', mode: 0o600,
    values: { KAFCLAW_GATEWAY_AUTH_TOKEN: { kind: 'env', name: 'KAFCLAW_GATEWAY_AUTH_TOKEN', text: 'env:KAFCLAW_GATEWAY_AUTH_TOKEN' } },
    values_from: { ANTHROPIC_API_KEY: { kind: 'file', path: '~/.config/kafclaw/anthropic.key', text: 'file:~/.config/kafclaw/anthropic.key' } },
  });

  // §6 journald, and the handlers
  assert.equal(spec(gw1, 'journald')[0]!.params, { name: '10-kafclaw', settings: { MaxRetentionSec: '30d', SystemMaxUse: '1G' } });
  assert.equal(gw1.handlers.map((h) => [h.name, h.spec.params]), [
    ['reload sshd', { name: 'ssh.service', state: 'reloaded' }],
    ['restart nftables', { name: 'nftables.service', state: 'restarted' }],
    ['restart journald', { name: 'systemd-journald.service', state: 'restarted' }],
  ]);
});

const MINIMAL = `all:
  vars:
    admins:
      - name: carol
        keys: ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIA carol@x"]
  hosts:
    h1:
`;

test('defaults apply when the inventory sets only admins', async () => {
  const h1 = (await planWith(MINIMAL)).plays[0]!.perHost.get('h1')!;
  assert.equal(h1.vars.vars.secrets, { gateway_token: 'env:KAFCLAW_GATEWAY_AUTH_TOKEN', provider_keys: {} });
  assert.is(h1.vars.origins.secrets!.layer, 'default');
  const [env] = spec(h1, 'env_file');
  assert.equal(env!.params.values_from, {});
  assert.equal(spec(h1, 'nftables')[0]!.params.table!.rules.map((r) => r.enabled), [true, false]);
  assert.equal(spec(h1, 'journald')[0]!.params.settings.MaxRetentionSec, '30d');
  const retention = (await planWith(MINIMAL, { extra: ['log_retention=90d'] })).plays[0]!.perHost.get('h1')!;
  assert.equal(spec(retention, 'journald')[0]!.params.settings.MaxRetentionSec, '90d');
});

test('without admins: an input error naming the variable, before anything connects', async () => {
  try {
    await planWith('all:\n  hosts:\n    h1:\n');
    assert.unreachable();
  } catch (error) {
    assert.instance(error, PlaybookError);
    const e = error as PlaybookError;
    assert.is(e.key, 'admins');
    assert.equal([e.file, e.line, e.column], [HARDEN, 17, 19]);
    assert.match(e.message, /the variable "admins" is required/);
    assert.is(e.all.length, 1);
  }
});

test('gateway_remote with an empty gateway_allow_from refuses to run', async () => {
  try {
    await planWith(MINIMAL, { extra: ['gateway_remote=true'] });
    assert.unreachable();
  } catch (error) {
    assert.instance(error, PlaybookError);
    const e = error as PlaybookError;
    assert.is(e.key, '[0].tasks[7].nftables.table.rules[1].from');
    assert.match(e.message, /^on host h1: an enabled rule needs at least one source address \(CIDR\); an empty list would admit nobody$/);
    const source = (await readFile(HARDEN, 'utf8')).split('\n')[e.line! - 1]!;
    assert.match(source.slice(e.column! - 1), /^"\{\{ gateway_allow_from \}\}"/);
  }
});

test('--tags firewall plans only the firewall tasks', async () => {
  const h1 = (await planWith(MINIMAL, { tags: ['firewall'] })).plays[0]!.perHost.get('h1')!;
  assert.equal(h1.tasks.map((t) => t.name), ['nftables ruleset (table inet kafclaw)', 'nftables enabled at boot']);
});

test('a literal gateway token in the inventory is an input error that does not echo it', async () => {
  try {
    await planWith(MINIMAL + '  children:\n    gw:\n      vars:\n        secrets:\n          gateway_token: 0f1e2d3c4b5a69788796a5b4c3d2e1f0CANARY\n');
    assert.unreachable();
  } catch (error) {
    assert.instance(error, InventoryError);
    const e = error as InventoryError;
    assert.equal([e.line, e.column, e.key], [12, 26, 'all.children.gw.vars.secrets.gateway_token']);
    assert.not.match(e.describe(), /CANARY/);
  }
});

test('an admin key that is not a public key line is refused at the inventory value', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'kafclaw-harden-'));
  try {
    await writeFile(join(dir, 'admins.yml'), 'admins:\n  - name: dave\n    keys: ["not a key"]\n');
    await planWith(MINIMAL, { extra: [`@${join(dir, 'admins.yml')}`] });
    assert.unreachable();
  } catch (error) {
    assert.instance(error, PlaybookError);
    const e = error as PlaybookError;
    assert.is(e.key, '[0].tasks[4].authorized_keys.keys[0]');
    assert.match(e.message, /on host h1: expected one public key line/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test.run();
