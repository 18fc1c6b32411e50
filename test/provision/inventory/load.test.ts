import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseInventory, loadInventory } from '../../../provision/inventory/load.js';
import { InventoryError } from '../../../provision/inventory/errors.js';

function failure(text: string): InventoryError {
  try {
    parseInventory(text, 'inv.yml');
  } catch (error) {
    assert.instance(error, InventoryError);
    return error as InventoryError;
  }
  throw new Error('expected an InventoryError');
}

const OPERATOR_INVENTORY = `all:
  vars:
    ansible_user: deploy
    ansible_python_interpreter: /usr/bin/python3
    ntp_server: all.example
    level: all
  hosts:
    lonely:
  children:
    web:
      vars:
        level: web
        ansible_become: true
      hosts:
        web1:
          ansible_host: 10.0.0.1
          ansible_port: 2222
          ansible_ssh_private_key_file: ~/.ssh/web
          ansible_ssh_common_args: -o ProxyJump=bastion
        web2:
      children:
        web_eu:
          vars:
            level: web_eu
          hosts:
            web2:
              level: host
    db:
      vars:
        level: db
      hosts:
        db1:
          bootstrap_user: root
          known_hosts_file: /etc/kafclaw/known_hosts
          ansible_become_password: env:DB_SUDO
`;

test("an operator's Ansible inventory loads as it is; unknown ansible_* keys stay plain vars", () => {
  const inventory = parseInventory(OPERATOR_INVENTORY, 'inv.yml');
  assert.equal([...inventory.hosts.keys()], ['lonely', 'web1', 'web2', 'db1']);
  const web1 = inventory.hosts.get('web1')!;
  assert.equal(web1.connection, {
    host: '10.0.0.1', port: 2222, user: 'deploy', privateKeyFile: '~/.ssh/web', become: true,
    becomePassword: undefined, bootstrapUser: undefined, knownHostsFile: undefined,
  });
  assert.is(web1.vars.vars.ansible_python_interpreter, '/usr/bin/python3');
  assert.is(web1.vars.vars.ansible_ssh_common_args, '-o ProxyJump=bastion');
  const db1 = inventory.hosts.get('db1')!;
  assert.equal(db1.connection.becomePassword, { kind: 'env', name: 'DB_SUDO', text: 'env:DB_SUDO' });
  assert.is(db1.connection.bootstrapUser, 'root');
  assert.is(db1.connection.knownHostsFile, '/etc/kafclaw/known_hosts');
  assert.is(db1.connection.host, 'db1');
  assert.is(db1.connection.port, 22);
  assert.is(db1.connection.become, undefined);
});

test('groups: members, children, parents, depth, ungrouped', () => {
  const inventory = parseInventory(OPERATOR_INVENTORY, 'inv.yml');
  const g = (name: string) => inventory.groups.get(name)!;
  assert.equal(g('all').children, ['web', 'db', 'ungrouped']);
  assert.equal(g('web').hosts, ['web1', 'web2']);
  assert.equal(g('web').children, ['web_eu']);
  assert.equal(g('web_eu').parents, ['web']);
  assert.equal([g('all').depth, g('web').depth, g('web_eu').depth, g('db').depth, g('ungrouped').depth], [0, 1, 2, 1, 1]);
  assert.equal(g('ungrouped').hosts, ['lonely']);
  assert.equal(inventory.hosts.get('web2')!.groups, ['all', 'web', 'web_eu']);
  assert.equal(inventory.hosts.get('lonely')!.groups, ['all', 'ungrouped']);
});

test('group vars by depth (all < parent < child), host vars last, with origins', () => {
  const inventory = parseInventory(OPERATOR_INVENTORY, 'inv.yml');
  const level = (host: string) => inventory.hosts.get(host)!.vars.vars.level;
  assert.is(level('lonely'), 'all');
  assert.is(level('web1'), 'web');
  assert.is(level('web2'), 'host');
  assert.is(level('db1'), 'db');
  assert.equal(inventory.hosts.get('web1')!.vars.origins.level, { layer: 'group', file: 'inv.yml', line: 12, column: 9, group: 'web' });
  assert.equal(inventory.hosts.get('web2')!.vars.origins.level, { layer: 'host', file: 'inv.yml', line: 27, column: 15 });
  assert.equal(inventory.hosts.get('web2')!.vars.origins.ntp_server, { layer: 'group', file: 'inv.yml', line: 5, column: 5, group: 'all' });
});

test('same depth: groups apply by name, so the later name wins', () => {
  const inventory = parseInventory('all:\n  children:\n    zeta:\n      vars: { x: zeta }\n      hosts: { h: }\n    alpha:\n      vars: { x: alpha }\n      hosts: { h: }\n', 'inv.yml');
  assert.is(inventory.hosts.get('h')!.vars.vars.x, 'zeta');
  assert.equal(inventory.hosts.get('h')!.groups, ['all', 'alpha', 'zeta']);
});

test('a deeper group wins over a shallower one even when listed first; depth is the longest path', () => {
  const text = `all:
  children:
    outer:
      children:
        inner:
          vars: { x: inner }
          hosts: { h: }
    inner:
      vars: { y: inner-top }
    b:
      vars: { x: b }
      hosts: { h: }
`;
  const inventory = parseInventory(text, 'inv.yml');
  assert.is(inventory.groups.get('inner')!.depth, 2);
  assert.is(inventory.hosts.get('h')!.vars.vars.x, 'inner');
  assert.is(inventory.hosts.get('h')!.vars.vars.y, 'inner-top');
});

test('errors: unknown key in a group, with line, column and allowed keys', () => {
  const error = failure('all:\n  hosts:\n    h1:\n  childs:\n    web: {}\n');
  assert.equal([error.line, error.column, error.key], [4, 3, 'all.childs']);
  assert.is(error.message, 'unknown key "childs"; allowed keys here: hosts, vars, children');
  assert.is(error.describe(), 'inv.yml:4:3: all.childs: unknown key "childs"; allowed keys here: hosts, vars, children');
  assert.is(error.exitCode, 2);
});

test('errors: hosts as a list, a quoted port, a string become, each positioned', () => {
  const list = failure('all:\n  hosts:\n    - h1\n');
  assert.equal([list.line, list.column, list.key], [3, 5, 'all.hosts']);
  assert.is(list.message, 'expected a mapping, got a list');
  const port = failure('all:\n  hosts:\n    h1:\n      ansible_port: "2222"\n');
  assert.equal([port.line, port.column, port.key], [4, 21, 'all.hosts.h1.ansible_port']);
  assert.is(port.message, 'expected a number, got a quoted string that looks like a number: write the number without quotes (strings are not converted)');
  const become = failure('all:\n  vars:\n    ansible_become: yes\n  hosts: { h1: }\n');
  assert.equal([become.line, become.column, become.key], [3, 21, 'all.vars.ansible_become']);
  assert.match(become.message, /YAML 1.2 reads yes\/no\/on\/off as strings; write true or false/);
});

test('errors: duplicate host keys, a literal become password (never echoed), bad variable names', () => {
  const dup = failure('all:\n  hosts:\n    h1:\n    h1:\n');
  assert.equal([dup.line, dup.column], [4, 5]);
  const literal = failure('all:\n  hosts:\n    h1:\n      ansible_become_password: CANARY-inv-0123456789\n');
  assert.equal([literal.line, literal.column, literal.key], [4, 32, 'all.hosts.h1.ansible_become_password']);
  assert.match(literal.message, /not allowed as a literal here; write a reference instead: env:NAME, file:PATH or command:CMD/);
  assert.not.match(literal.describe(), /CANARY/);
  const secrets = failure('all:\n  vars:\n    secrets:\n      provider_keys:\n        ANTHROPIC_API_KEY: sk-ant-CANARY-0123456789\n  hosts: { h1: }\n');
  assert.equal([secrets.line, secrets.column, secrets.key], [5, 28, 'all.vars.secrets.provider_keys.ANTHROPIC_API_KEY']);
  assert.not.match(secrets.describe(), /CANARY/);
  const name = failure('all:\n  vars:\n    bad-name: 1\n  hosts: { h1: }\n');
  assert.equal([name.line, name.column, name.key], [3, 5, 'all.vars.bad-name']);
});

test('errors: every problem is collected, first in file order', () => {
  const error = failure('all:\n  hosts:\n    h1:\n      ansible_port: "22"\n    h2:\n      ansible_user: 5\n  extra: 1\n');
  assert.equal(error.all.map((e) => [e.line, e.column]), [[4, 21], [6, 21], [7, 3]]);
  assert.is(error.describe().split('\n').length, 3);
});

test('errors: not a mapping, no hosts, a cycle, "all" as a child', () => {
  assert.match(failure('- all\n').message, /an inventory is a YAML mapping of groups/);
  assert.match(failure('all:\n  children:\n    web:\n').message, /lists no hosts/);
  const cycle = failure('all:\n  children:\n    a:\n      hosts: { h: }\n      children:\n        b:\n          children:\n            a:\n');
  assert.match(cycle.message, /group "a" is its own ancestor \(a → b → a\)/);
  assert.equal([cycle.line, cycle.column, cycle.key], [8, 13, 'all.children.a.children.b.children.a']);
  const child = failure('all:\n  children:\n    web:\n      hosts: { h: }\n      children:\n        all:\n');
  assert.equal([child.line, child.column], [6, 9]);
  assert.match(child.message, /"all" cannot be a child group/);
});

test('loadInventory reads a file; a missing file says so', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'kafclaw-inventory-'));
  try {
    await writeFile(join(dir, 'inv.yml'), 'all:\n  hosts:\n    h1:\n');
    assert.equal([...(await loadInventory(join(dir, 'inv.yml'))).hosts.keys()], ['h1']);
    try {
      await loadInventory(join(dir, 'missing.yml'));
      assert.unreachable();
    } catch (error) {
      assert.instance(error, InventoryError);
      assert.match((error as Error).message, /cannot read the inventory \(ENOENT\)/);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test.run();
