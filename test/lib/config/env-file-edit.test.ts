import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFile, stat, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { removeEnvLine, setEnvFileValue, setEnvFileValues, setEnvLine, setEnvLines, envFileValueText, parseEnvFile } from '../../../lib/config/index.js';
import { Secret } from '../../../lib/secrets/index.js';
import type { Target, WriteOptions } from '../../../lib/target/index.js';
import { LocalTarget } from '../../../lib/target/index.js';
import { fixtureHome, CANARY } from './fixtures.js';

test('a new env file and its directory are created private; the mode is set when the file is created', async () => {
  const f = await fixtureHome();
  try {
    const path = join(f.home, '.config', 'kafclaw', 'env');
    const local = new LocalTarget();
    const writes: WriteOptions[] = [];
    const io: Target = Object.assign(Object.create(local) as Target, {
      writeFileAtomic: (p: string, content: string | Buffer | Secret, options: WriteOptions) => {
        writes.push(options);
        assert.ok(content instanceof Secret, 'the file content travels as a Secret');
        return local.writeFileAtomic(p, content, options);
      },
    });
    const result = await setEnvFileValue(path, 'KAFCLAW_GATEWAY_AUTH_TOKEN', new Secret(CANARY), io);
    assert.equal(result, { changed: true });
    assert.is(writes[0]?.mode, 0o600);
    assert.is((await stat(path)).mode & 0o777, 0o600);
    assert.is((await stat(join(f.home, '.config', 'kafclaw'))).mode & 0o777, 0o700);
    assert.is(await readFile(path, 'utf8'), `KAFCLAW_GATEWAY_AUTH_TOKEN=${CANARY}\n`);
  } finally {
    await f.cleanup();
  }
});

test('replaces the first definition, keeps export, comments and other lines, drops dead duplicates, tightens the mode', async () => {
  const f = await fixtureHome();
  try {
    const path = await f.write('env', '# managed by hand\nexport KAFCLAW_GATEWAY_AUTH_TOKEN=old\nOTHER=1\n\nKAFCLAW_GATEWAY_AUTH_TOKEN=dead\n', 0o644);
    await setEnvFileValue(path, 'KAFCLAW_GATEWAY_AUTH_TOKEN', new Secret(CANARY));
    assert.is(await readFile(path, 'utf8'), `# managed by hand\nexport KAFCLAW_GATEWAY_AUTH_TOKEN=${CANARY}\nOTHER=1\n\n`);
    assert.is((await stat(path)).mode & 0o777, 0o600);
    const again = await setEnvFileValue(path, 'KAFCLAW_GATEWAY_AUTH_TOKEN', new Secret(CANARY));
    assert.equal(again, { changed: false });
    await setEnvFileValue(path, 'NEW_NAME', new Secret(' padded '));
    assert.is(parseEnvFile(await readFile(path, 'utf8')).NEW_NAME, ' padded ');
  } finally {
    await f.cleanup();
  }
});

test('setEnvLine appends to a file without a final newline, and quoting round-trips through the parser', () => {
  assert.equal(setEnvLine('A=1', 'B', '2'), { text: 'A=1\nB=2\n', changed: true });
  assert.equal(setEnvLine('', 'B', '2'), { text: 'B=2\n', changed: true });
  for (const value of ['plain', '"quoted"', "'single'", ' lead', 'trail ', '', 'a=b#c']) {
    assert.is(parseEnvFile(`X=${envFileValueText(value)}\n`).X, value, value);
  }
});

test('rejects bad names and multi-line values', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'kafclaw-envedit-'));
  try {
    for (const [name, value] of [['BAD-NAME', 'x'], ['GOOD', 'two\nlines']] as const) {
      try {
        await setEnvFileValue(join(dir, 'env'), name, new Secret(value));
        assert.unreachable();
      } catch (error) {
        assert.is((error as Error).name, 'ConfigError');
        assert.not.match((error as Error).message, 'two');
      }
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('an existing env file is backed up (0600, whatever its mode) before it is replaced', async () => {
  const f = await fixtureHome();
  try {
    const path = join(f.home, 'gateway.env');
    const { writeFile, readdir } = await import('node:fs/promises');
    await writeFile(path, '# ours\nOTHER=1\n', { mode: 0o644 });
    const result = await setEnvFileValue(path, 'KAFCLAW_GATEWAY_AUTH_TOKEN', new Secret(CANARY));
    assert.ok(result.changed && result.backupPath);
    assert.is(await readFile(result.backupPath!, 'utf8'), '# ours\nOTHER=1\n');
    assert.is((await stat(result.backupPath!)).mode & 0o777, 0o600);
    assert.is((await readdir(f.home)).filter((n) => n.startsWith('gateway.env.bak-')).length, 1);
    assert.equal(await setEnvFileValue(path, 'KAFCLAW_GATEWAY_AUTH_TOKEN', new Secret(CANARY)), { changed: false });
  } finally {
    await f.cleanup();
  }
});

test('setEnvLines sets and removes several names in one pass, keeping comments and other lines', () => {
  const text = '# tokens\nA=1\nexport B=2\nB=dup\nC=3\n';
  assert.equal(setEnvLines(text, { A: 'one', B: null, D: 'four' }), { text: '# tokens\nA=one\nC=3\nD=four\n', changed: true });
  assert.equal(setEnvLines(text, { Z: null }), { text, changed: false });
  assert.equal(removeEnvLine('A=1\n', 'A'), { text: '', changed: true });
  assert.equal(removeEnvLine('', 'A'), { text: '', changed: false });
});

test('setEnvFileValues writes every name in one atomic write, and creates nothing just to remove', async () => {
  const f = await fixtureHome();
  try {
    const path = join(f.home, '.config', 'kafclaw', 'env');
    assert.equal(await setEnvFileValues(path, { GONE: null }), { changed: false });
    assert.is(await stat(path).catch(() => null), null, "no file was created");
    const first = await setEnvFileValues(path, { A: new Secret(CANARY), B: new Secret('two') });
    assert.equal(first, { changed: true });
    assert.is(await readFile(path, 'utf8'), `A=${CANARY}\nB=two\n`);
    const second = await setEnvFileValues(path, { A: new Secret('new'), B: null });
    assert.ok(second.changed && second.backupPath, 'the file as it was is backed up');
    assert.is(await readFile(path, 'utf8'), 'A=new\n');
    assert.is((await stat(path)).mode & 0o777, 0o600);
    await rm(second.backupPath!);
  } finally {
    await f.cleanup();
  }
});

test.run();
