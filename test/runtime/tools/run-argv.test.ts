import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { tmpdir } from 'node:os';
import { runArgv } from '../../../runtime/tools/run-argv.js';

const node = process.execPath;
const options = { cwd: tmpdir(), env: { PATH: '/usr/bin:/bin' }, timeoutMs: 5000, maxBytes: 1024 };

test('argv runs without a shell: metacharacters are plain arguments', async () => {
  const run = await runArgv(['echo', 'a;b', '$HOME', '`id`', '|', 'x'], options);
  assert.equal([run.exitCode, run.stdout.toString(), run.timedOut], [0, 'a;b $HOME `id` | x\n', false]);
});

test('the child sees exactly the environment given, nothing of the gateway', async () => {
  process.env.KAFCLAW_TEST_SECRET = 'do-not-leak-123456';
  try {
    const run = await runArgv([node, '-e', 'process.stdout.write(JSON.stringify(process.env))'], { ...options, env: { PATH: '/usr/bin:/bin', LANG: 'C' } });
    const env = JSON.parse(run.stdout.toString()) as Record<string, string>;
    assert.is(env.KAFCLAW_TEST_SECRET, undefined);
    assert.equal(Object.keys(env).sort(), ['LANG', 'PATH']);
  } finally {
    delete process.env.KAFCLAW_TEST_SECRET;
  }
});

test('a timeout kills the process and what it started', async () => {
  const started = Date.now();
  const run = await runArgv(
    [node, '-e', "require('child_process').spawn(process.execPath, ['-e', 'setTimeout(()=>{}, 60000)'], { stdio: 'inherit' }); setTimeout(() => {}, 60000)"],
    { ...options, timeoutMs: 300 },
  );
  assert.ok(run.timedOut);
  assert.is(run.exitCode, null);
  assert.is(run.signal, 'SIGKILL');
  assert.ok(Date.now() - started < 5000, 'the grandchild holding stdout did not keep it open');
});

test('output beyond maxBytes is dropped while the program still runs to its end', async () => {
  const run = await runArgv([node, '-e', "process.stdout.write('x'.repeat(200000)); process.stderr.write('e'); process.exitCode = 3"], { ...options, maxBytes: 100 });
  assert.equal([run.exitCode, run.stdout.length, run.stderr.toString(), run.truncated], [3, 100, 'e', true]);
});

test('a program that does not exist is a spawn error, not a crash', async () => {
  const run = await runArgv(['definitely-not-a-program-xyz'], options);
  assert.equal([run.exitCode, run.spawnError], [null, 'definitely-not-a-program-xyz: program not found']);
});

test.run();
