import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sha256FileInWorker } from '../../../lib/backup/hash-worker.js';
import { sha256Bytes } from '../../../lib/backup/durable-fs.js';

test('the worker hashes across its read chunks exactly as hashing the bytes at once does', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kafclaw-hash-worker-'));
  try {
    for (const size of [0, 5, (4 << 20) + 17]) {
      const bytes = Buffer.alloc(size);
      for (let i = 0; i < size; i += 811) bytes[i] = i & 0xff;
      const path = join(dir, `f-${size}`);
      writeFileSync(path, bytes);
      assert.equal(await sha256FileInWorker(path), { size, sha256: sha256Bytes(bytes) }, `size ${size}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a file that cannot be read is a rejection naming it, not a crash', async () => {
  const missing = join(tmpdir(), 'kafclaw-no-such-file-for-hashing');
  const message = await sha256FileInWorker(missing).then(
    () => null,
    (error: Error) => error.message,
  );
  assert.ok(message !== null && message.includes('kafclaw-no-such-file-for-hashing'), String(message));
});

test.run();
