import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withFileLock } from '../../../provision/lab/lock.js';

const dir = mkdtempSync(join(tmpdir(), 'kafclaw-lock-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test('holders take turns', async () => {
  const path = join(dir, 'turns.lock');
  const events: string[] = [];
  const hold = (name: string) =>
    withFileLock(path, async () => {
      events.push(`${name} in`);
      await sleep(100);
      events.push(`${name} out`);
      return name;
    });
  assert.equal(await Promise.all([hold('a'), hold('b'), hold('c')]), ['a', 'b', 'c']);
  for (let i = 0; i < events.length; i += 2) assert.is(events[i]!.split(' ')[0], events[i + 1]!.split(' ')[0]);
});

test('the lock is released when fn throws, and when a holder is killed', async () => {
  const path = join(dir, 'crash.lock');
  await withFileLock(path, async () => {
    throw new Error('boom');
  }).catch(() => {});
  assert.is(await withFileLock(path, async () => 'free', { timeoutMs: 2000 }), 'free');
  const holder = spawn('flock', ['-x', '-o', path, 'sleep', '30'], { stdio: 'ignore' });
  await sleep(200);
  let waited = false;
  const pending = withFileLock(path, async () => 'after crash', { timeoutMs: 10_000, onWait: () => (waited = true) });
  await sleep(700);
  holder.kill('SIGKILL');
  assert.is(await pending, 'after crash');
  assert.ok(waited, 'onWait was called while the lock was held');
});

test('a lock never granted within the timeout is an error that names the file', async () => {
  const path = join(dir, 'busy.lock');
  const holder = spawn('flock', ['-x', '-o', path, 'sleep', '30'], { stdio: 'ignore' });
  await sleep(200);
  try {
    await withFileLock(path, async () => 'never', { timeoutMs: 1000 }).then(
      () => assert.unreachable('expected a timeout'),
      (error: Error) => assert.match(error.message, /could not lock .*busy\.lock/),
    );
  } finally {
    holder.kill('SIGKILL');
  }
});

test.run();
