import { Worker } from 'node:worker_threads';
import type { Digest } from './durable-fs.js';

const HASHER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { openSync, readSync, closeSync } = require('node:fs');
const { createHash } = require('node:crypto');
const hash = createHash('sha256');
const buffer = Buffer.allocUnsafe(4 << 20);
const fd = openSync(workerData.path, 'r');
let size = 0;
try {
  for (;;) {
    const n = readSync(fd, buffer, 0, buffer.length, size);
    if (n === 0) break;
    hash.update(n === buffer.length ? buffer : buffer.subarray(0, n));
    size += n;
  }
} finally {
  closeSync(fd);
}
parentPort.postMessage({ size, sha256: hash.digest('hex') });
`;

/**
 * sha256 and size of a file, computed on a worker thread: the main thread stays free for work that
 * blocks it (SQLite's row counts of the same snapshot), so the two run side by side.
 */
export function sha256FileInWorker(path: string): Promise<Digest> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(HASHER_SOURCE, { eval: true, workerData: { path } });
    let digest: Digest | null = null;
    worker.once('message', (message: Digest) => (digest = message));
    worker.once('error', reject);
    worker.once('exit', (code) => (digest ? resolve(digest) : reject(new Error(`hashing ${path} stopped (worker exit ${code})`))));
  });
}
