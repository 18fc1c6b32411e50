import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { promises as fs } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { LocalTarget } from '../../../lib/target/local.js';
import { directory } from '../../../lib/resources/directory.js';
import { registerGoldens } from './golden.js';
import { converge, diffOn, rejectsWith } from './converge.js';

const test = suite('directory');
const target = new LocalTarget();
const me = userInfo();
let dir = '';

test.before.each(async () => {
  dir = await fs.mkdtemp(join(tmpdir(), 'kafclaw-res-dir-'));
});
test.after.each(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

registerGoldens(test, 'directory');

test('local: created with owner and mode (parents too), then a no-op', async () => {
  const path = join(dir, 'srv', 'workspace');
  const resource = directory({ path, owner: me.username, group: String(me.gid), mode: 0o750 }, { sudo: false });
  const { changes } = await converge(target, [resource]);
  assert.equal(changes.map((c) => c.field), ['exists']);
  const stat = await fs.stat(path);
  assert.ok(stat.isDirectory());
  assert.is(stat.mode & 0o7777, 0o750);
  assert.is(stat.uid, me.uid);
});

test('local: a loose mode is tightened in place, contents kept', async () => {
  const path = join(dir, 'state');
  await fs.mkdir(path, { mode: 0o777 });
  await fs.chmod(path, 0o777);
  await fs.writeFile(join(path, 'keep'), 'x');
  const { changes } = await converge(target, [directory({ path, owner: String(me.uid), group: String(me.gid), mode: 0o700 }, { sudo: false })]);
  assert.equal(changes.map((c) => [c.field, c.before, c.after]), [['mode', '0777', '0700']]);
  assert.is((await fs.stat(path)).mode & 0o7777, 0o700);
  assert.is(await fs.readFile(join(path, 'keep'), 'utf8'), 'x');
});

test('local: a file in the way is reported and refused, not replaced', async () => {
  const path = join(dir, 'occupied');
  await fs.writeFile(path, 'data');
  const resource = directory({ path, owner: String(me.uid), group: String(me.gid), mode: 0o700 }, { sudo: false });
  const { facts, diffs } = await diffOn(target, [resource]);
  const diff = diffs[0] as Array<{ field: string }>;
  assert.equal(diff.map((c) => c.field), ['type']);
  await rejectsWith(resource.apply(target, diff as never, facts), /is a file, not a directory/);
  assert.is(await fs.readFile(path, 'utf8'), 'data');
});

test.run();
