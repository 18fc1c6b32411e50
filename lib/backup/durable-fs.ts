import { createHash } from 'node:crypto';
import { open, mkdir, chmod } from 'node:fs/promises';

export const FILE_MODE = 0o600;
export const DIR_MODE = 0o700;

export interface Digest {
  size: number;
  sha256: string;
}

/** sha256 of a file, reading the next 4 MiB while the last 4 MiB are hashed. */
export async function sha256File(path: string): Promise<Digest> {
  const CHUNK = 4 << 20;
  const hash = createHash('sha256');
  const handle = await open(path, 'r');
  try {
    const buffers = [Buffer.allocUnsafe(CHUNK), Buffer.allocUnsafe(CHUNK)];
    let which = 0;
    let size = 0;
    let pending = handle.read(buffers[0]!, 0, CHUNK, 0);
    for (;;) {
      const { bytesRead, buffer } = await pending;
      if (bytesRead === 0) break;
      size += bytesRead;
      which ^= 1;
      pending = handle.read(buffers[which]!, 0, CHUNK, size);
      hash.update(bytesRead === CHUNK ? buffer : buffer.subarray(0, bytesRead));
    }
    return { size, sha256: hash.digest('hex') };
  } finally {
    await handle.close();
  }
}

export function sha256Bytes(bytes: Buffer | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export async function fsyncPath(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Write bytes with mode 0600 from the first byte, fsync, close. The file must not exist yet. */
export async function writeFileDurable(path: string, bytes: Buffer | string): Promise<void> {
  const handle = await open(path, 'wx', FILE_MODE);
  try {
    await handle.writeFile(bytes);
    await handle.chmod(FILE_MODE);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * mkdir -p with 0700 for each directory created here. A directory that already exists keeps its
 * mode: it may be shared (/tmp) or owned by someone else.
 */
export async function mkdirPrivate(path: string): Promise<void> {
  const first = await mkdir(path, { recursive: true, mode: DIR_MODE });
  if (first !== undefined) await chmod(path, DIR_MODE);
}
