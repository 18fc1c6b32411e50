import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { connectionFromVars, connectionVarsSchema } from '../../../provision/inventory/connection.js';

test('defaults: the inventory name, port 22, become unset', () => {
  assert.equal(connectionFromVars('gw1', {}), { host: 'gw1', port: 22, user: undefined, privateKeyFile: undefined, become: undefined, becomePassword: undefined, bootstrapUser: undefined, knownHostsFile: undefined });
});

test('every key we read, and a become password as a reference', () => {
  const connection = connectionFromVars('gw1', {
    ansible_host: '10.0.0.5', ansible_port: 2200, ansible_user: 'alice', ansible_ssh_private_key_file: '/k', ansible_become: true,
    ansible_become_password: 'file:/run/pw', bootstrap_user: 'root', known_hosts_file: '/kh', ansible_connection: 'ssh',
  });
  assert.equal(connection, { host: '10.0.0.5', port: 2200, user: 'alice', privateKeyFile: '/k', become: true, becomePassword: { kind: 'file', path: '/run/pw', text: 'file:/run/pw' }, bootstrapUser: 'root', knownHostsFile: '/kh' });
});

test('types are strict; other keys pass through as plain vars', () => {
  assert.not.ok(connectionVarsSchema.safeParse({ ansible_port: '22' }).success);
  assert.not.ok(connectionVarsSchema.safeParse({ ansible_port: 0 }).success);
  assert.not.ok(connectionVarsSchema.safeParse({ ansible_become: 'yes' }).success);
  assert.not.ok(connectionVarsSchema.safeParse({ ansible_user: '' }).success);
  assert.equal(connectionVarsSchema.parse({ ansible_python_interpreter: '/usr/bin/python3', x: 1 }), { ansible_python_interpreter: '/usr/bin/python3', x: 1 });
});

test.run();
