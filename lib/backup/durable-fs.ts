import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, mkdir, chmod } from 'node:fs/promises';

export const FILE_MODE = 0o600;
export const DIR_MODE = 0o700;

export interface Digest {
  size: number;
  sha256: string;
}

export async function sha256File(path: string): Promise<Digest> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { size, sha256: hash.digest('hex') };
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
