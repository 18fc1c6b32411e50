import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parsePlaybook } from '../../../provision/playbook/load.js';
import { planPlaybook } from '../../../provision/playbook/plan.js';
import type { PlanOptions } from '../../../provision/playbook/plan.js';
import { PlaybookError } from '../../../provision/playbook/errors.js';
import { parseInventory } from '../../../provision/inventory/load.js';
import { HostPatternError } from '../../../provision/inventory/pattern.js';
import { parseExtraVars } from '../../../provision/vars/extra-vars.js';

let dir = '';
test.before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kafclaw-plan-'));
});
test.after(async () => {
  await rm(dir, { recursive: true, force: true });
});

const INVENTORY = `all:
  vars:
    who: group-all
    level: group-all
    admins:
      - { name: alice, keys: ["ssh-ed25519 AAAAC3Nza alice"] }
  children:
    web:
      vars:
        who: group-web
        level: group-web
      hosts:
        web1:
          level: host
        web2:
    db:
      hosts:
        db1:
          admins: []
`;

const PLAYBOOK = `- name: Play
  hosts: web
  defaults:
    who: default
    level: default
    only_default: default
    remote: false
  vars:
    play_var: "{{ level }}-seen-by-play"
  tasks:
    - name: "Dir for {{ who }}"
      tags: [paths]
      directory: { path: "/srv/{{ level }}", mode: '0750' }
    - name: "Admin {{ item.name }}"
      tags: [accounts]
      loop: "{{ admins }}"
      user: { name: "{{ item.name }}", groups: [sudo], append: true }
    - name: Remote only
      tags: [firewall]
      when: remote
      service: { name: nftables.service, enabled: true }
    - name: Untagged
      notify: reload
      sysctl: { name: net.ipv4.ip_forward, value: 0 }
    - name: Always
      tags: [always]
      journald: { settings: { MaxRetentionSec: "{{ retention | default('30d') }}" } }
  handlers:
    - name: reload
      service: { name: "{{ who }}.service", state: reloaded }
`;

async function plan(playbookText = PLAYBOOK, inventoryText = INVENTORY, options: PlanOptions & { extra?: string[] } = {}) {
  const playbook = await parsePlaybook(playbookText, join(dir, 'p.yml'));
  const inventory = parseInventory(inventoryText, 'inv.yml');
  const extraVars = await parseExtraVars(options.extra ?? [], dir);
  return planPlaybook(playbook, inventory, { ...options, extraVars });
}

async function failure(playbookText = PLAYBOOK, inventoryText = INVENTORY, options: PlanOptions & { extra?: string[] } = {}): Promise<PlaybookError> {
  try {
    await plan(playbookText, inventoryText, options);
  } catch (error) {
    assert.instance(error, PlaybookError);
    return error as PlaybookError;
  }
  throw new Error('expected a PlaybookError');
}

test('hosts by pattern; tasks rendered per host; loops expanded; when skips; handlers rendered', async () => {
  const result = await plan();
  const play = result.plays[0]!;
  assert.equal(play.hosts, ['web1', 'web2']);
  const web1 = play.perHost.get('web1')!;
  assert.equal(web1.tasks.map((t) => t.name), ['Dir for group-web', 'Admin alice', 'Untagged', 'Always']);
  assert.equal(web1.skipped, [{ index: 2, name: 'Remote only', reason: 'when' }]);
  const dirTask = web1.tasks[0]!;
  assert.equal(dirTask.spec, { kind: 'directory', params: { path: '/srv/host', owner: 'root', group: 'root', mode: 0o750, state: 'present' } });
  const admin = web1.tasks[1]!;
  assert.equal(admin.item, { name: 'alice', keys: ['ssh-ed25519 AAAAC3Nza alice'] });
  assert.is(admin.spec.kind, 'user');
  assert.equal(web1.tasks[2]!.notify, ['reload']);
  assert.equal(web1.tasks[2]!.spec, { kind: 'sysctl', params: { name: 'net.ipv4.ip_forward', value: 0, file: '/etc/sysctl.d/90-kafclaw.conf' } });
  assert.equal(web1.handlers.map((h) => h.spec), [{ kind: 'service', params: { name: 'group-web.service', state: 'reloaded' } }]);
  assert.equal(play.perHost.get('web2')!.tasks[0]!.spec.params, { path: '/srv/group-web', owner: 'root', group: 'root', mode: 0o750, state: 'present' });
});

test('precedence end to end: defaults < group all < group web < host < play vars < -e, with origins', async () => {
  const result = await plan(PLAYBOOK, INVENTORY, { extra: ['who=extra'] });
  const web1 = result.plays[0]!.perHost.get('web1')!;
  const { vars, origins } = web1.vars;
  assert.is(vars.only_default, 'default');
  assert.is(origins.only_default!.layer, 'default');
  assert.is(vars.level, 'host');
  assert.equal(origins.level, { layer: 'host', file: 'inv.yml', line: 14, column: 11 });
  assert.is(vars.who, 'extra');
  assert.equal(origins.who, { layer: 'extra', file: '-e #1' });
  assert.is(vars.play_var, '{{ level }}-seen-by-play');
  assert.equal(web1.tasks[0]!.name, 'Dir for extra');
  const web2 = result.plays[0]!.perHost.get('web2')!;
  assert.is(web2.vars.vars.level, 'group-web');
  assert.equal(web2.vars.origins.level, { layer: 'group', file: 'inv.yml', line: 11, column: 9, group: 'web' });
  // play vars beat host vars
  const overridden = await plan(PLAYBOOK.replace('    play_var:', '    level: play\n    play_var:'));
  assert.is(overridden.plays[0]!.perHost.get('web1')!.vars.vars.level, 'play');
  // -e beats play vars
  const extra = await plan(PLAYBOOK.replace('    play_var:', '    level: play\n    play_var:'), INVENTORY, { extra: ['level=cli'] });
  assert.equal((extra.plays[0]!.perHost.get('web1')!.tasks[0]!.spec.params as { path: string }).path, '/srv/cli');
});

test('tags: --tags selects tagged tasks plus always; untagged tasks only run without --tags', async () => {
  const tagged = (await plan(PLAYBOOK, INVENTORY, { tags: ['paths'] })).plays[0]!.perHost.get('web1')!;
  assert.equal(tagged.tasks.map((t) => t.name), ['Dir for group-web', 'Always']);
  assert.equal(tagged.skipped.map((s) => [s.name, s.reason]), [['Admin {{ item.name }}', 'tags'], ['Remote only', 'tags'], ['Untagged', 'tags']]);
  const skip = (await plan(PLAYBOOK, INVENTORY, { skipTags: ['accounts'] })).plays[0]!.perHost.get('web1')!;
  assert.equal(skip.tasks.map((t) => t.name), ['Dir for group-web', 'Untagged', 'Always']);
});

test('when with -e: a boolean from the command line enables the task', async () => {
  const remote = (await plan(PLAYBOOK, INVENTORY, { extra: ['remote=true'] })).plays[0]!.perHost.get('web1')!;
  assert.ok(remote.tasks.some((t) => t.name === 'Remote only'));
  const wrong = await failure(PLAYBOOK, INVENTORY, { extra: ['remote="true"'] });
  assert.equal([wrong.line, wrong.column, wrong.key], [20, 13, '[0].tasks[2].when']);
  assert.match(wrong.message, /^on host web1: when: "remote" must be true or false to be used as a condition, but it is a string$/);
  assert.is(wrong.all.length, 2);
});

test('--limit narrows hosts; a bad --limit is a HostPatternError', async () => {
  assert.equal((await plan(PLAYBOOK, INVENTORY, { limit: 'web2' })).plays[0]!.hosts, ['web2']);
  assert.equal((await plan(PLAYBOOK, INVENTORY, { limit: 'all:!web1' })).plays[0]!.hosts, ['web2']);
  assert.equal((await plan(PLAYBOOK, INVENTORY, { limit: 'db' })).plays[0]!.hosts, []);
  for (const limit of ['webb', 'nothing*']) {
    try {
      await plan(PLAYBOOK, INVENTORY, { limit });
      assert.unreachable();
    } catch (error) {
      assert.instance(error, HostPatternError);
      assert.match((error as Error).message, /^--limit/);
      assert.is((error as HostPatternError).exitCode, 2);
    }
  }
});

test('hosts: an unknown group is an error at the hosts line', async () => {
  const error = await failure(PLAYBOOK.replace('hosts: web', 'hosts: webs'));
  assert.equal([error.line, error.column, error.key], [2, 10, '[0].hosts']);
  assert.match(error.message, /^hosts: "webs" is neither a host nor a group in inv.yml/);
});

test('required_vars: missing or empty is an error naming the variable, per host', async () => {
  const text = PLAYBOOK.replace('  hosts: web\n', '  hosts: all\n  required_vars: [admins, gateway_name]\n');
  const error = await failure(text);
  const lines = error.all.map((e) => e.describeOne());
  assert.ok(lines.includes(`${join(dir, 'p.yml')}:3:27: gateway_name: on host web1: the variable "gateway_name" is required: set it in the inventory (group or host vars), in a vars file, or with -e @FILE (see playbooks/examples/inventory.yml)`), lines.join('\n'));
  assert.ok(lines.some((line) => /:3:19: admins: on host db1: the variable "admins" is required and must not be empty/.test(line)), lines.join('\n'));
  assert.not.ok(lines.some((line) => /admins: on host web1/.test(line)));
});

test('render errors: an undefined variable and a wrong type after rendering, at the parameter', async () => {
  const undefinedVar = await failure(PLAYBOOK.replace('path: "/srv/{{ level }}"', 'path: "/srv/{{ levle }}"'));
  assert.equal([undefinedVar.line, undefinedVar.column, undefinedVar.key], [13, 26, '[0].tasks[0].directory.path']);
  assert.match(undefinedVar.message, /^on host web1: undefined variable "levle"; set it in the inventory, the play vars or with -e levle=VALUE, or add \| default\(VALUE\)$/);
  const badType = await failure(PLAYBOOK.replace('value: 0 }', 'value: "{{ admins }}" }'));
  assert.equal([badType.line, badType.column, badType.key], [24, 51, '[0].tasks[3].sysctl.value']);
  assert.match(badType.message, /^on host web1: expected a string, got a list/);
  const badItem = await failure(PLAYBOOK, INVENTORY.replace('{ name: alice,', '{ name: Alice!,'));
  assert.equal([badItem.line, badItem.column, badItem.key], [17, 21, '[0].tasks[1].user.name']);
  assert.match(badItem.message, /expected a user or group name/);
});

test('secrets after rendering: a template that yields a literal is refused, never echoed', async () => {
  const text = PLAYBOOK.replace("      journald: { settings: { MaxRetentionSec: \"{{ retention | default('30d') }}\" } }", '      env_file: { path: /etc/kafclaw/gateway.env, values: { TOKEN: "{{ token }}" } }');
  const inventory = INVENTORY.replace('    who: group-all\n', '    who: group-all\n    token: CANARY-rendered-0123456789\n');
  const error = await failure(text, inventory);
  assert.equal([error.line, error.column, error.key], [27, 68, '[0].tasks[4].env_file.values.TOKEN']);
  assert.match(error.message, /a secret is not allowed as a literal here/);
  assert.not.match(error.describe(), /CANARY/);
  const ok = await plan(text, inventory.replace('CANARY-rendered-0123456789', 'command:pass show token'));
  assert.equal(ok.plays[0]!.perHost.get('web1')!.tasks.at(-1)!.spec.params, {
    path: '/etc/kafclaw/gateway.env', owner: 'root', group: 'root', mode: 0o600,
    values: { TOKEN: { kind: 'command', command: 'pass show token', text: 'command:pass show token' } },
  });
  const become = await failure(PLAYBOOK, INVENTORY.replace('    who: group-all\n', '    who: group-all\n    pw: CANARY-become-0123456789\n    ansible_become_password: "{{ pw }}"\n'));
  assert.match(become.message, /^on host web1: ansible_become_password \(from group vars of "all" \(inv.yml:5:5\)\): a secret is not allowed as a literal here/);
  assert.equal([become.line, become.column, become.key], [5, 5, 'ansible_become_password']);
  assert.not.match(become.describe(), /CANARY/);
});

test('connection settings follow the effective vars, including -e', async () => {
  const result = await plan(PLAYBOOK, INVENTORY, { extra: ['ansible_user=admin', 'ansible_port=2200'] });
  const connection = result.plays[0]!.perHost.get('web1')!.connection;
  assert.equal([connection.host, connection.user, connection.port], ['web1', 'admin', 2200]);
  const bad = await failure(PLAYBOOK, INVENTORY, { extra: ['ansible_port="22"'] });
  assert.match(bad.message, /^on host web1: ansible_port \(from extra vars \(-e\) \(-e #1\)\) is invalid once rendered/);
});

test('magic variables: inventory_hostname and group_names', async () => {
  const text = PLAYBOOK.replace('path: "/srv/{{ level }}"', 'path: "/srv/{{ inventory_hostname }}"').replace('name: "Dir for {{ who }}"', 'name: "Dir in {{ group_names[0] }}"');
  const result = await plan(text, INVENTORY.replace('          level: host\n', '          level: host\n          ansible_host: "{{ inventory_hostname }}.example.net"\n'));
  const web1 = result.plays[0]!.perHost.get('web1')!;
  assert.is((web1.tasks[0]!.spec.params as { path: string }).path, '/srv/web1');
  assert.is(web1.tasks[0]!.name, 'Dir in web');
  assert.is(web1.connection.host, 'web1.example.net');
});

test('template files are rendered into content', async () => {
  await writeFile(join(dir, 'motd.tmpl'), 'Hello {{ who }}\n');
  const text = PLAYBOOK.replace('directory: { path: "/srv/{{ level }}", mode: \'0750\' }', 'file: { path: /etc/motd, template: motd.tmpl }');
  const result = await plan(text);
  assert.equal(result.plays[0]!.perHost.get('web1')!.tasks[0]!.spec.params, { path: '/etc/motd', owner: 'root', group: 'root', mode: 0o644, content: 'Hello group-web\n', state: 'present' });
});

test.run();
