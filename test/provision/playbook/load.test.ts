import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parsePlaybook, loadPlaybook } from '../../../provision/playbook/load.js';
import { PlaybookError } from '../../../provision/playbook/errors.js';

let dir = '';
test.before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kafclaw-playbook-'));
});
test.after(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function failure(text: string): Promise<PlaybookError> {
  try {
    await parsePlaybook(text, join(dir, 'p.yml'));
  } catch (error) {
    assert.instance(error, PlaybookError);
    return error as PlaybookError;
  }
  throw new Error('expected a PlaybookError');
}

/** [line, column, key] of an error, the form every assertion below uses. */
const at = (error: PlaybookError) => [error.line, error.column, error.key];

const GOOD = `- name: Example
  hosts: all
  defaults:
    port: 22
  vars:
    secrets:
      gateway_token: env:TOKEN
  tasks:
    - name: A directory
      tags: [paths]
      directory: { path: /srv/x, owner: root, group: root, mode: '0750' }
    - name: "Login {{ item.name }}"
      loop: "{{ admins }}"
      when: not remote
      notify: [reload]
      user: { name: "{{ item.name }}", groups: [sudo], append: true }
  handlers:
    - name: reload
      service: { name: ssh.service, state: reloaded }
`;

test('a valid playbook loads: plays, tasks with kind, params as written, tags, notify, when, loop', async () => {
  const playbook = await parsePlaybook(GOOD, join(dir, 'p.yml'));
  const [play] = playbook.plays;
  assert.is(play!.name, 'Example');
  assert.is(play!.hosts, 'all');
  assert.equal(play!.defaults.vars, { port: 22 });
  assert.equal(play!.vars[0]!.vars, { secrets: { gateway_token: 'env:TOKEN' } });
  const [dirTask, userTask] = play!.tasks;
  assert.is(dirTask!.kind, 'directory');
  assert.equal(dirTask!.params, { path: '/srv/x', owner: 'root', group: 'root', mode: '0750' });
  assert.equal(dirTask!.tags, ['paths']);
  assert.is(dirTask!.when, null);
  assert.equal([dirTask!.where.line, dirTask!.where.column], [9, 7]);
  assert.is(userTask!.kind, 'user');
  assert.equal(userTask!.notify, ['reload']);
  assert.is(userTask!.loop, '{{ admins }}');
  assert.equal(userTask!.when, { kind: 'not', inner: { kind: 'truthy', operand: { kind: 'var', path: ['remote'] } } });
  assert.is(play!.handlers[0]!.kind, 'service');
});

test('not a list of plays', async () => {
  const error = await failure('name: x\nhosts: all\n');
  assert.equal(at(error), [1, 1, undefined]);
  assert.match(error.message, /a playbook is a YAML list of plays/);
});

test('unknown keys: in a play, in a task (with the kinds listed), in params', async () => {
  const play = await failure(GOOD.replace('  hosts: all\n', '  hosts: all\n  become: true\n'));
  assert.equal(at(play), [3, 3, '[0].become']);
  assert.match(play.message, /^unknown key "become"; allowed keys here: name, hosts, defaults, vars, vars_files, required_vars, serial, max_fail_percentage, tasks, handlers$/);
  const task = await failure(GOOD.replace("      tags: [paths]\n", "      tags: [paths]\n      copy: { src: a, dest: b }\n"));
  assert.equal(at(task), [11, 7, '[0].tasks[0].copy']);
  assert.match(task.message, /unknown key "copy"; allowed keys here: name, notify, tags, when, loop, user, group, authorized_keys, sudoers, directory, file, env_file/);
  const param = await failure(GOOD.replace("mode: '0750' }", "mode: '0750', recurse: true }"));
  assert.equal(at(param), [11, 74, '[0].tasks[0].directory.recurse']);
  assert.is(param.message, 'unknown key "recurse"; allowed keys here: path, owner, group, mode, state');
});

test('a task needs exactly one resource kind', async () => {
  const none = await failure(GOOD.replace("      directory: { path: /srv/x, owner: root, group: root, mode: '0750' }\n", ''));
  assert.equal(at(none), [9, 7, '[0].tasks[0]']);
  assert.match(none.message, /^a task needs one resource kind: user, group, authorized_keys/);
  const two = await failure(GOOD.replace("      tags: [paths]\n", "      tags: [paths]\n      group: { name: web }\n"));
  assert.equal(at(two), [12, 18, '[0].tasks[0].directory']);
  assert.match(two.message, /a task has exactly one resource kind, this one has group and directory: split it into separate tasks/);
});

test('missing and empty required parts', async () => {
  const noTasks = await failure('- name: x\n  hosts: all\n');
  assert.equal(at(noTasks), [1, 3, '[0].tasks']);
  assert.is(noTasks.message, 'missing required key "tasks" (a list)');
  const empty = await failure('- name: x\n  hosts: all\n  tasks: []\n');
  assert.equal(at(empty), [3, 10, '[0].tasks']);
  assert.is(empty.message, 'the list is empty: it must hold at least 1 entry');
  const emptyTags = await failure(GOOD.replace('tags: [paths]', 'tags: []'));
  assert.equal(at(emptyTags), [10, 13, '[0].tasks[0].tags']);
  const noName = await failure(GOOD.replace('    - name: A directory\n      tags', '    - tags'));
  assert.equal(at(noName), [9, 7, '[0].tasks[0].name']);
});

test('no implicit coercion: unquoted modes, quoted numbers, yes for true', async () => {
  const mode = await failure(GOOD.replace("mode: '0750'", 'mode: 0750'));
  assert.equal(at(mode), [11, 66, '[0].tasks[0].directory.mode']);
  assert.match(mode.message, /a mode is a quoted octal string such as '0640': unquoted, YAML 1.2 reads 0640 as the decimal number 640/);
  const badMode = await failure(GOOD.replace("mode: '0750'", "mode: '0985'"));
  assert.equal(at(badMode), [11, 66, '[0].tasks[0].directory.mode']);
  assert.match(badMode.message, /expected an octal mode such as '0640'/);
  const append = await failure(GOOD.replace('append: true', 'append: yes'));
  assert.equal(at(append), [16, 64, '[0].tasks[1].user.append']);
  assert.match(append.message, /^expected true or false, got a string: YAML 1.2 reads yes\/no\/on\/off as strings; write true or false$/);
  const port = await failure(GOOD.replace('      directory: { path: /srv/x, owner: root, group: root, mode: \'0750\' }', "      nftables:\n        table:\n          rules:\n            - { ports: ['22'], from: [10.0.0.0/8] }"));
  assert.equal(at(port), [14, 25, '[0].tasks[0].nftables.table.rules[0].ports[0]']);
  assert.match(port.message, /^expected a number, got a quoted string that looks like a number: write the number without quotes/);
});

test('secrets: a literal in env_file values or play vars is an error that never shows the value', async () => {
  const envFile = await failure(GOOD.replace("      directory: { path: /srv/x, owner: root, group: root, mode: '0750' }", '      env_file:\n        path: /etc/kafclaw/gateway.env\n        values:\n          KAFCLAW_GATEWAY_AUTH_TOKEN: CANARY-playbook-0123456789'));
  assert.equal(at(envFile), [14, 39, '[0].tasks[0].env_file.values.KAFCLAW_GATEWAY_AUTH_TOKEN']);
  assert.match(envFile.message, /a secret is not allowed as a literal here; write a reference instead: env:NAME, file:PATH or command:CMD/);
  assert.not.match(envFile.describe(), /CANARY/);
  const vars = await failure(GOOD.replace('gateway_token: env:TOKEN', 'gateway_token: CANARY-vars-0123456789'));
  assert.equal(at(vars), [7, 22, '[0].vars.secrets.gateway_token']);
  assert.not.match(vars.describe(), /CANARY/);
  const defaults = await failure(GOOD.replace('    port: 22\n', '    port: 22\n    ansible_become_password: CANARY-def-0123456789\n'));
  assert.equal(at(defaults), [5, 30, '[0].defaults.ansible_become_password']);
  assert.not.match(defaults.describe(), /CANARY/);
});

test('notify must name a handler of the play; handler names are unique', async () => {
  const notify = await failure(GOOD.replace('notify: [reload]', 'notify: [reload, restart]'));
  assert.equal(at(notify), [15, 24, '[0].tasks[1].notify[1]']);
  assert.is(notify.message, 'notify names "restart", but this play has no handler of that name (handlers: "reload")');
  const single = await failure(GOOD.replace('notify: [reload]', 'notify: relaod'));
  assert.equal(at(single), [15, 15, '[0].tasks[1].notify']);
  const dup = await failure(GOOD + '    - name: reload\n      service: { name: ssh.service, state: restarted }\n');
  assert.equal(at(dup), [20, 13, '[0].handlers[1].name']);
  assert.match(dup.message, /a handler named "reload" already exists in this play/);
});

test('when and template syntax errors are load errors', async () => {
  const when = await failure(GOOD.replace('when: not remote', 'when: not remote and'));
  assert.equal(at(when), [14, 13, '[0].tasks[1].when']);
  assert.match(when.message, /^when: expected a variable or a value at the end in "not remote and"$/);
  const template = await failure(GOOD.replace('name: "{{ item.name }}"', 'name: "{{ item.name | upper }}"'));
  assert.equal(at(template), [16, 21, '[0].tasks[1].user.name']);
  assert.match(template.message, /unknown filter "upper"/);
});

test('duplicate keys and every problem at once, in file order', async () => {
  const error = await failure(GOOD.replace('  hosts: all\n', '  hosts: all\n  hosts: web\n').replace("mode: '0750'", 'mode: 750'));
  assert.equal(at(error), [3, 3, undefined]);
  assert.match(error.message, /duplicate key "hosts"/);
  const many = await failure(GOOD.replace("mode: '0750'", 'mode: 750').replace('append: true', 'append: 1'));
  assert.equal(many.all.map((e) => e.line), [11, 16]);
});

test('vars_files and template files are read at load time, relative to the playbook', async () => {
  await writeFile(join(dir, 'extra.yml'), 'admins: [{name: alice, keys: [k]}]\n');
  await writeFile(join(dir, 'motd.tmpl'), 'Welcome to {{ inventory_name | default("host") }}\n');
  const text = GOOD.replace('  tasks:\n', '  vars_files: [extra.yml]\n  tasks:\n').replace("      directory: { path: /srv/x, owner: root, group: root, mode: '0750' }", '      file: { path: /etc/motd, template: motd.tmpl }');
  const playbook = await parsePlaybook(text, join(dir, 'p.yml'));
  assert.equal(playbook.plays[0]!.vars[1]!.vars, { admins: [{ name: 'alice', keys: ['k'] }] });
  assert.is(playbook.templates.get('motd.tmpl'), 'Welcome to {{ inventory_name | default("host") }}\n');
  const missing = await failure(text.replace('[extra.yml]', '[nope.yml]').replace('motd.tmpl', 'nope.tmpl'));
  assert.equal(missing.all.map(at), [[8, 16, '[0].vars_files[0]'], [12, 42, '[0].tasks[0].file.template']]);
  assert.match(missing.all[0]!.message, /cannot read the vars file .*nope.yml \(ENOENT\); paths are relative to the playbook/);
  assert.match(missing.all[1]!.message, /cannot read the template .*nope.tmpl \(ENOENT\)/);
  await writeFile(join(dir, 'bad-vars.yml'), 'secrets:\n  gateway_token: CANARY-varsfile-0123456789\n');
  const literal = await failure(text.replace('[extra.yml]', '[bad-vars.yml]'));
  assert.equal([literal.file, literal.line, literal.column, literal.key], [join(dir, 'bad-vars.yml'), 2, 18, 'secrets.gateway_token']);
  assert.not.match(literal.describe(), /CANARY/);
});

test('loadPlaybook: a missing file is a PlaybookError', async () => {
  try {
    await loadPlaybook(join(dir, 'none.yml'));
    assert.unreachable();
  } catch (error) {
    assert.instance(error, PlaybookError);
    assert.match((error as Error).message, /cannot read the playbook \(ENOENT\)/);
    assert.is((error as PlaybookError).exitCode, 2);
    assert.is((error as Error).name, 'PlaybookError');
  }
});

test.run();
