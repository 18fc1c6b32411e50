import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { editConfigFile, setEnvFileValue } from '../../../lib/config/index.js';
import { inBackupRun, recordBackups } from '../../../lib/config/backup.js';
import { Secret } from '../../../lib/secrets/index.js';
import { fixtureHome, CANARY } from './fixtures.js';

const backupsIn = async (dir: string, name: string) => (await readdir(dir)).filter((n) => n.startsWith(`${name}.bak-`)).sort();

test('inside a fix run a file is backed up once, at its first edit, and later edits name that backup', async () => {
  const f = await fixtureHome();
  try {
    const path = await f.write('config.json', '{"a": 0, "key": "sk-live-one"}\n', 0o644);
    const { first, second } = await inBackupRun(async () => ({
      first: await editConfigFile(path, [{ keyPath: ['a'], value: 1 }]),
      second: await editConfigFile(path, [{ keyPath: ['key'], value: '${KEY}' }]),
    }));
    assert.is(second.backupPath, first.backupPath);
    assert.equal(await backupsIn(f.home, 'config.json'), [first.backupPath!.slice(f.home.length + 1)]);
    assert.is(await readFile(first.backupPath!, 'utf8'), '{"a": 0, "key": "sk-live-one"}\n', 'the backup holds the file as it was before the run');
    assert.is((await stat(first.backupPath!)).mode & 0o777, 0o600);

    const later = await inBackupRun(() => editConfigFile(path, [{ keyPath: ['a'], value: 2 }]));
    assert.ok(later.backupPath && later.backupPath !== first.backupPath, 'the next run backs up again');
    assert.is((await backupsIn(f.home, 'config.json')).length, 2);
  } finally {
    await f.cleanup();
  }
});

test('outside a run every edit writes its own backup, still 0600', async () => {
  const f = await fixtureHome();
  try {
    const path = await f.write('config.json', '{}\n', 0o644);
    const now = new Date('2026-11-25T02:15:00Z');
    const one = await editConfigFile(path, [{ keyPath: ['a'], value: 1 }], undefined, { now });
    const two = await editConfigFile(path, [{ keyPath: ['a'], value: 2 }], undefined, { now });
    assert.is.not(one.backupPath, two.backupPath);
    for (const backup of [one.backupPath!, two.backupPath!]) assert.is((await stat(backup)).mode & 0o777, 0o600);
  } finally {
    await f.cleanup();
  }
});

test('env files share the mechanism: one backup per run, none for a file the run created', async () => {
  const f = await fixtureHome();
  try {
    const existing = join(f.home, 'gateway.env');
    await writeFile(existing, 'OTHER=1\n', { mode: 0o644 });
    const created = join(f.home, 'new', 'env');
    const { backups } = await inBackupRun(() =>
      recordBackups(async () => {
        await setEnvFileValue(existing, 'A', new Secret(CANARY));
        await setEnvFileValue(existing, 'B', new Secret(CANARY));
        await setEnvFileValue(created, 'A', new Secret(CANARY));
        await setEnvFileValue(created, 'B', new Secret(CANARY));
      }),
    );
    assert.equal(backups.map((b) => b.file), [existing]);
    assert.equal(await backupsIn(f.home, 'gateway.env'), [backups[0]!.backup.slice(f.home.length + 1)]);
    assert.is(await readFile(backups[0]!.backup, 'utf8'), 'OTHER=1\n');
    assert.is((await stat(backups[0]!.backup)).mode & 0o777, 0o600);
    assert.equal(await readdir(join(f.home, 'new')), ['env'], 'no backup of a file that did not exist before the run');
  } finally {
    await f.cleanup();
  }
});

test('recordBackups reports the backups made before a failure, and the failure', async () => {
  const f = await fixtureHome();
  try {
    const path = await f.write('config.json', '{}\n');
    const result = await recordBackups(async () => {
      await editConfigFile(path, [{ keyPath: ['a'], value: 1 }]);
      await editConfigFile(path, [{ keyPath: ['b'], value: new Secret('x'.repeat(12)) }]);
    });
    assert.is(result.backups.length, 1);
    assert.is(result.backups[0]!.file, path);
    assert.match(result.error?.message ?? '', /refusing to write a secret/);
  } finally {
    await f.cleanup();
  }
});

test.run();
