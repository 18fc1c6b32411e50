import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { closeSync, mkdtempSync, openSync, readFileSync, readdirSync, readlinkSync, rmSync, writeSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { flushWhileWriting } from '../../../lib/backup/early-flush.js';
import { sha256File, sha256Bytes } from '../../../lib/backup/durable-fs.js';

/** OS threads of this process: a worker thread is one, and it is joined when the worker exits. */
const threads = () => Number(/^Threads:\s+(\d+)/m.exec(readFileSync('/proc/self/status', 'utf8'))![1]);

/** Descriptors of this process (any thread) open on `path`. */
function descriptorsOn(path: string): number {
  return readdirSync('/proc/self/fd').filter((fd) => {
    try {
      return readlinkSync(`/proc/self/fd/${fd}`) === path;
    } catch {
      return false;
    }
  }).length;
}

/** Blocks the main thread the way SQLite's backup step does, writing `chunks` MiB. */
function writeBlocking(path: string, chunks: number): number {
  const fd = openSync(path, 'wx', 0o600);
  const chunk = Buffer.alloc(1 << 20);
  try {
    for (let i = 0; i < chunks; i++) {
      chunk.fill(i % 251);
      writeSync(fd, chunk);
    }
  } finally {
    closeSync(fd);
  }
  return chunks;
}

test('the work runs to the end while the flusher follows the growing file, and its value comes back', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kafclaw-flush-'));
  try {
    await readFile('/proc/self/status'); // starts libuv's thread pool before counting
    const before = threads();
    const path = join(dir, 'copy.db');
    let openWhileWriting = 0;
    const written = await flushWhileWriting(
      path,
      async () => {
        const chunks = writeBlocking(path, 64);
        openWhileWriting = descriptorsOn(path); // the writer's own is closed by now: these are the flusher's
        return chunks;
      },
      5,
    );
    assert.is(written, 64);
    assert.is(openWhileWriting, 1, 'the flusher had the growing file open');
    assert.is(descriptorsOn(path), 0, 'the flusher closed its descriptor');
    const bytes = readFileSync(path);
    assert.is(bytes.length, 64 << 20);
    assert.is(bytes[(63 << 20) + 7], 63 % 251);
    assert.is(threads(), before, 'the flusher thread is gone');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an error of the work propagates and the flusher still stops, also when the file never appeared', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kafclaw-flush-'));
  try {
    await readFile('/proc/self/status'); // starts libuv's thread pool before counting
    const before = threads();
    const failed = await flushWhileWriting(join(dir, 'never.db'), async () => {
      throw new Error('backup step failed');
    }).then(
      () => null,
      (error: Error) => error.message,
    );
    assert.is(failed, 'backup step failed');
    assert.is(threads(), before);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('sha256File reads in chunks and agrees with hashing the whole buffer, across chunk edges', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kafclaw-hash-'));
  try {
    for (const size of [0, 1, (4 << 20) - 1, 4 << 20, (4 << 20) + 1, (9 << 20) + 3]) {
      const path = join(dir, `f-${size}`);
      const bytes = Buffer.alloc(size);
      for (let i = 0; i < size; i += 4093) bytes[i] = (i / 4093) & 0xff;
      const fd = openSync(path, 'w');
      writeSync(fd, bytes);
      closeSync(fd);
      assert.equal(await sha256File(path), { size, sha256: sha256Bytes(bytes) }, `size ${size}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
