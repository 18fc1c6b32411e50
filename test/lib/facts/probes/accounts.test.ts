import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseAuthorizedKeys, parseGroups, parsePasswd } from '../../../../lib/facts/probes/accounts.js';

test('passwd and group lines parse into accounts and members', () => {
  const passwd = parsePasswd('root:x:0:0:root:/root:/bin/bash\nkafclaw:x:998:998::/var/lib/kafclaw:/usr/sbin/nologin\n');
  assert.equal(passwd[1], { name: 'kafclaw', uid: 998, gid: 998, home: '/var/lib/kafclaw', shell: '/usr/sbin/nologin' });
  const groups = parseGroups('sudo:x:27:alice,bob\nkafclaw:x:998:\n');
  assert.equal(groups[0], { name: 'sudo', gid: 27, members: ['alice', 'bob'] });
  assert.equal(groups[1]?.members, []);
});

test('authorized_keys per user: types and comments, options and comments lines skipped', () => {
  const keys = parseAuthorizedKeys([
    '@@user alice',
    'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB alice@laptop',
    '# a comment',
    'no-pty,from="10.0.0.1" ssh-rsa AAAAB3NzaC1yc2E bob@desk',
    '@@user root',
    '',
  ].join('\n'));
  assert.equal(keys[0], { user: 'alice', keys: [{ type: 'ssh-ed25519', comment: 'alice@laptop' }, { type: 'ssh-rsa', comment: 'bob@desk' }] });
  assert.equal(keys[1], { user: 'root', keys: [] });
});

test.run();
