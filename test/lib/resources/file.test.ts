import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { promises as fs } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { LocalTarget } from '../../../lib/target/local.js';
import { file } from '../../../lib/resources/file.js';
import { registerGoldens } from './golden.js';
import { converge } from './converge.js';

const test = suite('file');
const target = new LocalTarget();
const me = userInfo();
const owner = { owner: String(me.uid), group: String(me.gid) };
let dir = '';

test.before.each(async () => {
  dir = await fs.mkdtemp(join(tmpdir(), 'kafclaw-res-file-'));
});
test.after.each(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

registerGoldens(test, 'file');

test('local: written with its mode, then a no-op; no temp file left behind', async () => {
  const path = join(dir, 'config.json');
  const { changes } = await converge(target, [file({ path, content: '{"a":1}\n', mode: 0o640, ...owner }, { sudo: false })]);
  assert.equal(changes.map((c) => c.field), ['content']);
  assert.is(await fs.readFile(path, 'utf8'), '{"a":1}\n');
  assert.is((await fs.stat(path)).mode & 0o7777, 0o640);
  assert.equal(await fs.readdir(dir), ['config.json']);
});

test('local: new content replaces the file atomically (a new inode), an open reader keeps the old bytes', async () => {
  const path = join(dir, 'config.json');
  await fs.writeFile(path, 'old\n', { mode: 0o644 });
  const before = await fs.stat(path);
  const reader = await fs.open(path, 'r');
  const { changes } = await converge(target, [file({ path, content: 'new\n', mode: 0o600, ...owner }, { sudo: false })]);
  assert.equal(changes.map((c) => c.field), ['content', 'mode']);
  const after = await fs.stat(path);
  assert.is.not(after.ino, before.ino);
  assert.is((await reader.readFile()).toString(), 'old\n');
  await reader.close();
  assert.is(await fs.readFile(path, 'utf8'), 'new\n');
  assert.is(after.mode & 0o7777, 0o600);
});

test('local: only the mode differs: chmod in place, same inode', async () => {
  const path = join(dir, 'x');
  await fs.writeFile(path, 'same\n', { mode: 0o666 });
  await fs.chmod(path, 0o666);
  const inode = (await fs.stat(path)).ino;
  const { changes } = await converge(target, [file({ path, content: 'same\n', mode: 0o644, ...owner }, { sudo: false })]);
  assert.equal(changes.map((c) => [c.field, c.before, c.after]), [['mode', '0666', '0644']]);
  assert.is((await fs.stat(path)).ino, inode);
});

test('local: a symlink at the path is replaced by a file, its target untouched', async () => {
  const victim = join(dir, 'victim');
  await fs.writeFile(victim, 'precious\n');
  const path = join(dir, 'link');
  await fs.symlink(victim, path);
  await converge(target, [file({ path, content: 'mine\n', mode: 0o644, ...owner }, { sudo: false })]);
  assert.is(await fs.readFile(victim, 'utf8'), 'precious\n');
  assert.ok((await fs.lstat(path)).isFile());
});

test.run();
