import { homedir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { connectionFromVars } from '../../../provision/inventory/connection.js';
import { proveFreshLogin, sshOptionsFor } from '../../../provision/runner/connect.js';

test('inventory connection → SshTarget options: ansible_user, bootstrap_user, ~ expanded', () => {
  const connection = connectionFromVars('gw1', { ansible_host: '192.0.2.10', ansible_user: 'alice', bootstrap_user: 'root', ansible_ssh_private_key_file: '~/.ssh/id_ed25519', known_hosts_file: '~/.ssh/known_hosts' });
  const options = sshOptionsFor('gw1', connection, { acceptNewHostKeys: true });
  assert.equal(
    { name: options.name, host: options.host, port: options.port, user: options.user, bootstrapUser: options.bootstrapUser, key: options.privateKeyPath, known: options.knownHostsPath, accept: options.acceptNewHostKeys },
    { name: 'gw1', host: '192.0.2.10', port: 22, user: 'alice', bootstrapUser: 'root', key: join(homedir(), '.ssh/id_ed25519'), known: join(homedir(), '.ssh/known_hosts'), accept: true },
  );
  const bare = sshOptionsFor('gw2', connectionFromVars('gw2', {}), { knownHostsPath: '/tmp/kh' });
  assert.equal({ user: bare.user, host: bare.host, known: bare.knownHostsPath, bootstrap: bare.bootstrapUser }, { user: 'root', host: 'gw2', known: '/tmp/kh', bootstrap: undefined });
});

test('a fresh login that cannot connect is a failed proof, not an exception', async () => {
  const ok = await proveFreshLogin({ host: '127.0.0.1', port: 1, user: 'root', knownHostsPath: '/nonexistent/known_hosts', connectTimeoutMs: 2000 }, ['true'], 1);
  assert.is(ok, false);
});

test.run();
