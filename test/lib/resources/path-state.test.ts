import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { LocalTarget } from '../../../lib/target/local.js';
import { parsePathState, parseStatFields, pathStateProbe } from '../../../lib/resources/path-state.js';

const test = suite('path-state');

test('golden: a regular file with its hash', () => {
  const hash = 'a'.repeat(64);
  assert.equal(parsePathState('/p', `regular file|640|root|kafclaw|0|998\n${hash}\n`, 0), {
    exists: true, type: 'file', mode: 0o640, owner: 'root', group: 'kafclaw', uid: 0, gid: 998, sha256: hash,
  });
});

test('golden: missing, directory, symlink, unknown owner names', () => {
  assert.equal(parsePathState('/p', '@@missing\n', 0), { exists: false });
  assert.is((parsePathState('/p', 'directory|2750|root|root|0|0\n', 0) as { mode: number }).mode, 0o2750);
  assert.is((parsePathState('/p', 'symbolic link|777|root|root|0|0\n', 0) as { type: string }).type, 'symlink');
  assert.equal(parseStatFields('directory|700|UNKNOWN|UNKNOWN|4242|4242'), { exists: true, type: 'dir', mode: 0o700, owner: 'UNKNOWN', group: 'UNKNOWN', uid: 4242, gid: 4242 });
});

test('golden: an unreadable file or garbage is an error naming the path', () => {
  assert.throws(() => parsePathState('/etc/x', 'regular file|600|root|root|0|0\nsh: 1: cannot open /etc/x: Permission denied\n', 2), /cannot read \/etc\/x/);
  assert.throws(() => parsePathState('/etc/y', 'stat: cannot statx\n', 1), /cannot stat \/etc\/y/);
});

test('the probe run for real: a file name with spaces and quotes', async () => {
  const dir = await fs.mkdtemp(join(tmpdir(), 'kafclaw-res-ps-'));
  try {
    const path = join(dir, `it's a "file"`);
    await fs.writeFile(path, 'hello\n', { mode: 0o640 });
    await fs.chmod(path, 0o640);
    const probe = pathStateProbe('k', path);
    const result = await new LocalTarget().runScript(probe.script);
    const state = probe.parse(result.stdout, result.exitCode);
    assert.ok(state.exists);
    if (state.exists) {
      assert.is(state.mode, 0o640);
      assert.is(state.sha256, createHash('sha256').update('hello\n').digest('hex'));
    }
    const missing = pathStateProbe('k', join(dir, 'nope'));
    assert.equal(missing.parse((await new LocalTarget().runScript(missing.script)).stdout, 0), { exists: false });
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
});

test.run();
