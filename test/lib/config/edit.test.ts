import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFile, stat, readdir, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { editConfigFile, applyConfigEdits, backupPathFor, ConfigError } from '../../../lib/config/index.js';
import { LocalTarget } from '../../../lib/target/index.js';
import { Secret } from '../../../lib/secrets/index.js';
import { fixtureHome } from './fixtures.js';

const ORIGINAL = `{
    "zeta": {"keep": [3, 1, 2]},
    "gateway": {
        "host": "0.0.0.0",
        "unknownFlag": true,
        "authToken": "literal"
    },
    "hardening": {"tokenRotationDays": 30}
}
`;

test('edits keep unknown keys, their order, the indentation, the mode; a 0600 backup is written first', async () => {
  const f = await fixtureHome();
  try {
    const path = await f.write('.kafclaw/config.json', ORIGINAL, 0o640);
    const now = new Date('2026-11-25T02:15:00.123Z');
    const result = await editConfigFile(
      path,
      [
        { keyPath: ['gateway', 'host'], value: '127.0.0.1' },
        { keyPath: ['gateway', 'authToken'], value: '${KAFCLAW_GATEWAY_AUTH_TOKEN}' },
        { keyPath: ['tools', 'exec', 'restrictToWorkspace'], value: true },
        { keyPath: ['hardening'], value: undefined },
      ],
      new LocalTarget(),
      { now },
    );
    assert.ok(result.changed);
    assert.is(result.backupPath, `${path}.bak-20261125T021500Z`);
    assert.is(await readFile(result.backupPath!, 'utf8'), ORIGINAL);
    assert.is((await stat(result.backupPath!)).mode & 0o777, 0o600, 'the backup is private whatever the original mode');
    const text = await readFile(path, 'utf8');
    assert.is((await stat(path)).mode & 0o777, 0o640);
    assert.ok(text.endsWith('}\n'));
    assert.match(text, /\n {4}"zeta"/);
    const tree = JSON.parse(text);
    assert.equal(Object.keys(tree), ['zeta', 'gateway', 'tools']);
    assert.equal(Object.keys(tree.gateway), ['host', 'unknownFlag', 'authToken']);
    assert.equal(tree.zeta, { keep: [3, 1, 2] });
    assert.is(tree.gateway.authToken, '${KAFCLAW_GATEWAY_AUTH_TOKEN}');
    assert.is(tree.tools.exec.restrictToWorkspace, true);
    const names = await readdir(join(f.home, '.kafclaw'));
    assert.not.ok(names.some((name) => name.endsWith('.tmp')), 'no temp file left behind');
  } finally {
    await f.cleanup();
  }
});

test('no change, no write and no backup', async () => {
  const f = await fixtureHome();
  try {
    const path = await f.write('.kafclaw/config.json', ORIGINAL);
    const result = await editConfigFile(path, [{ keyPath: ['gateway', 'host'], value: '0.0.0.0' }, { keyPath: ['absent', 'key'], value: undefined }]);
    assert.equal(result, { changed: false });
    assert.equal((await readdir(join(f.home, '.kafclaw'))).sort(), ['config.json']);
  } finally {
    await f.cleanup();
  }
});

test('a second backup in the same second gets its own name', async () => {
  const f = await fixtureHome();
  try {
    const path = await f.write('.kafclaw/config.json', '{}\n');
    const now = new Date('2026-11-25T02:15:00Z');
    await editConfigFile(path, [{ keyPath: ['a'], value: 1 }], undefined, { now });
    const second = await editConfigFile(path, [{ keyPath: ['a'], value: 2 }], undefined, { now });
    assert.is(second.backupPath, `${backupPathFor(path, now)}.1`);
    assert.is(await readFile(second.backupPath!, 'utf8'), '{\n  "a": 1\n}\n');
  } finally {
    await f.cleanup();
  }
});

test('a missing config file is created 0600 in a 0700 directory', async () => {
  const f = await fixtureHome();
  try {
    const path = join(f.home, '.kafclaw', 'config.json');
    const result = await editConfigFile(path, [{ keyPath: ['gateway', 'host'], value: '127.0.0.1' }]);
    assert.equal(result, { changed: true });
    assert.is((await stat(path)).mode & 0o777, 0o600);
    assert.is((await stat(join(f.home, '.kafclaw'))).mode & 0o777, 0o700);
    assert.equal(JSON.parse(await readFile(path, 'utf8')), { gateway: { host: '127.0.0.1' } });
  } finally {
    await f.cleanup();
  }
});

test('refuses secrets, symlinks and broken JSON, with a ConfigError', async () => {
  const f = await fixtureHome();
  try {
    const path = await f.write('.kafclaw/config.json', '{}');
    try {
      await editConfigFile(path, [{ keyPath: ['gateway', 'authToken'], value: new Secret('x'.repeat(20)) }]);
      assert.unreachable();
    } catch (error) {
      assert.instance(error, ConfigError);
      assert.match((error as Error).message, /env file/);
    }
    const link = join(f.home, 'link.json');
    await symlink(path, link);
    try {
      await editConfigFile(link, [{ keyPath: ['a'], value: 1 }]);
      assert.unreachable();
    } catch (error) {
      assert.match((error as Error).message, /symlink/);
    }
    const broken = await f.write('broken.json', '{\n  "a": 1,\n}');
    try {
      await editConfigFile(broken, [{ keyPath: ['a'], value: 2 }]);
      assert.unreachable();
    } catch (error) {
      assert.instance(error, ConfigError);
      assert.is((error as ConfigError).line, 3);
    }
  } finally {
    await f.cleanup();
  }
});

test('applyConfigEdits indexes arrays with numeric segments', () => {
  const tree = { channels: { slack: { accounts: [{ id: 'a', sessionScope: 'channel' }, { id: 'b' }] } } };
  assert.ok(applyConfigEdits(tree, [{ keyPath: ['channels', 'slack', 'accounts', '1', 'sessionScope'], value: 'room' }]));
  assert.equal(tree.channels.slack.accounts[1], { id: 'b', sessionScope: 'room' });
  assert.not.ok(applyConfigEdits(tree, [{ keyPath: ['channels', 'slack', 'accounts', '1', 'sessionScope'], value: 'room' }]));
});

test.run();
