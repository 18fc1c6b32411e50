import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalTarget } from '../../../lib/target/local.js';
import { shellJoin, shellQuote } from '../../../lib/target/quote.js';
import { Secret } from '../../../lib/secrets/secret.js';

const target = new LocalTarget();
let dir = '';
test.before.each(() => {
  dir = mkdtempSync(join(tmpdir(), 'kafclaw-local-'));
});
test.after.each(() => rmSync(dir, { recursive: true, force: true }));

test('run: argv without a shell, exit codes as results, stdin (a Secret is revealed only into the pipe)', async () => {
  const echo = await target.run(['printf', '%s|', 'a b', '$HOME', "it's"]);
  assert.is(echo.stdout, "a b|$HOME|it's|");
  assert.is((await target.run(['sh', '-c', 'exit 7'])).exitCode, 7);
  assert.is((await target.run(['cat'], { stdin: new Secret('stdin-secret-value-123') })).stdout, 'stdin-secret-value-123');
  const missing = await target.run(['no-such-command-kafclaw']);
  assert.is(missing.exitCode, 127);
});

test('run: a timeout kills the whole process group and says so', async () => {
  const started = Date.now();
  const result = await target.run(['sh', '-c', 'sleep 5; echo late'], { timeoutMs: 200 });
  assert.is(result.timedOut, true);
  assert.ok(Date.now() - started < 3000, 'the grandchild kept the pipe open');
  assert.not.match(result.stdout, 'late');
});

test('shell quoting round-trips spaces, quotes, newlines and globs through sh -c', async () => {
  const args = ['plain', 'two words', "it's", '"double"', 'line\nbreak', '*', '$(id)', '', 'back\\slash'];
  const result = await target.run(['sh', '-c', `printf '%s\\0' ${shellJoin(args)}`]);
  assert.equal(result.stdout.split('\0').slice(0, -1), args);
  assert.is(shellQuote('simple/path-1.2'), 'simple/path-1.2');
});

test('readFile and stat: null when missing, content and lstat fields when present', async () => {
  assert.is(await target.readFile(join(dir, 'nope')), null);
  assert.is(await target.stat(join(dir, 'nope')), null);
  writeFileSync(join(dir, 'f'), 'hello', { mode: 0o640 });
  assert.is((await target.readFile(join(dir, 'f')))?.toString(), 'hello');
  const stat = await target.stat(join(dir, 'f'));
  assert.equal([stat?.type, stat?.mode, stat?.size], ['file', 0o640, 5]);
});

test('writeFileAtomic: final mode from the start, content, no temp file left, replaces in place', async () => {
  const path = join(dir, 'gateway.env');
  writeFileSync(path, 'OLD=1\n', { mode: 0o644 });
  await target.writeFileAtomic(path, new Secret('TOKEN=written-through-a-secret\n'), { mode: 0o600 });
  assert.is(readFileSync(path, 'utf8'), 'TOKEN=written-through-a-secret\n');
  assert.is(statSync(path).mode & 0o777, 0o600);
  assert.equal(readdirSync(dir), ['gateway.env']);
  await target.writeFileAtomic(join(dir, 'owned'), 'x', { mode: 0o640, owner: 'root', group: 'root' });
  assert.is(statSync(join(dir, 'owned')).uid, 0);
});

test('writeFileAtomic: a failure leaves the old file and no temp file', async () => {
  const path = join(dir, 'config.json');
  writeFileSync(path, '{"keep":true}');
  await target.writeFileAtomic(path, 'new', { mode: 0o600, owner: 'no-such-user-kafclaw' }).then(
    () => assert.unreachable('should have failed'),
    (error: Error) => assert.match(error.message, /unknown user/),
  );
  assert.is(readFileSync(path, 'utf8'), '{"keep":true}');
  assert.equal(readdirSync(dir), ['config.json']);
});

test.run();
