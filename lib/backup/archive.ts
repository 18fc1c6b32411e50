import { randomBytes } from 'node:crypto';
import { lstat, mkdtemp, open, readdir, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { BackupError } from './errors.js';
import { FILE_MODE, fsyncPath, mkdirPrivate } from './durable-fs.js';
import { isBackupName, isSafeRelativePath, tempName, TEMP_PREFIX } from './layout.js';

/**
 * The single-archive form: one POSIX ustar file `<backup name>.tar` holding the backup directory
 * `<backup name>/` (so `tar -xf` restores it with any tar). Written to a temp name, fsynced and
 * renamed into place; read back strictly: every header checksum, every size, and the two zero
 * blocks that end an archive, so a truncated or damaged archive is refused.
 */
export const ARCHIVE_SUFFIX = '.tar';
const BLOCK = 512;

export function archiveNameOf(backupName: string): string {
  return backupName + ARCHIVE_SUFFIX;
}

/** The backup name an archive file name carries, or null. */
export function backupNameOfArchive(fileName: string): string | null {
  if (!fileName.endsWith(ARCHIVE_SUFFIX)) return null;
  const name = fileName.slice(0, -ARCHIVE_SUFFIX.length);
  return isBackupName(name) ? name : null;
}

function octal(value: number, width: number): string {
  return value.toString(8).padStart(width - 1, '0') + '\0';
}

function header(name: string, type: '0' | '5', size: number, mode: number, mtime: number): Buffer {
  if (Buffer.byteLength(name) > 100) throw new BackupError(`${name} is too long for a tar header; shorten the file name`);
  const block = Buffer.alloc(BLOCK);
  block.write(name, 0, 100, 'utf8');
  block.write(octal(mode, 8), 100, 'ascii');
  block.write(octal(0, 8), 108, 'ascii');
  block.write(octal(0, 8), 116, 'ascii');
  block.write(octal(size, 12), 124, 'ascii');
  block.write(octal(mtime, 12), 136, 'ascii');
  block.write('        ', 148, 'ascii');
  block.write(type, 156, 'ascii');
  block.write('ustar\0', 257, 'ascii');
  block.write('00', 263, 'ascii');
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(octal(sum, 7) + ' ', 148, 'ascii');
  return block;
}

async function entriesOf(root: string, rel = ''): Promise<Array<{ rel: string; dir: boolean }>> {
  const out: Array<{ rel: string; dir: boolean }> = [];
  for (const entry of (await readdir(join(root, rel), { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const path = rel ? `${rel}/${entry.name}` : entry.name;
    if (entry.isDirectory()) {
      out.push({ rel: path, dir: true });
      out.push(...(await entriesOf(root, path)));
    } else if (entry.isFile()) {
      out.push({ rel: path, dir: false });
    } else {
      throw new BackupError(`${join(root, path)} is neither a file nor a directory; it cannot go into a backup archive`);
    }
  }
  return out;
}

/**
 * Pack the finished backup directory `dir` (named `<backup name>` inside the archive) into
 * `dest/<name>.tar`: temp file 0600, fsync, rename, fsync of `dest`. Returns the archive path.
 */
export async function writeArchive(dir: string, name: string, dest: string): Promise<string> {
  const final = join(dest, archiveNameOf(name));
  const temp = join(dest, tempName(TEMP_PREFIX, `${name}.tar`, process.pid, randomBytes(4).toString('hex')));
  const out = await open(temp, 'wx', FILE_MODE);
  const mtime = Math.floor(Date.now() / 1000);
  try {
    await out.write(header(`${name}/`, '5', 0, 0o700, mtime));
    for (const entry of await entriesOf(dir)) {
      const path = `${name}/${entry.rel}`;
      if (entry.dir) {
        await out.write(header(`${path}/`, '5', 0, 0o700, mtime));
        continue;
      }
      const input = await open(join(dir, entry.rel), 'r');
      try {
        const size = (await input.stat()).size;
        await out.write(header(path, '0', size, FILE_MODE, mtime));
        let copied = 0;
        const buffer = Buffer.allocUnsafe(1 << 20);
        while (copied < size) {
          const { bytesRead } = await input.read(buffer, 0, Math.min(buffer.length, size - copied), copied);
          if (bytesRead === 0) throw new BackupError(`${join(dir, entry.rel)} shrank while it was being archived`);
          await out.write(buffer.subarray(0, bytesRead));
          copied += bytesRead;
        }
        const pad = (BLOCK - (size % BLOCK)) % BLOCK;
        if (pad > 0) await out.write(Buffer.alloc(pad));
      } finally {
        await input.close();
      }
    }
    await out.write(Buffer.alloc(BLOCK * 2));
    await out.sync();
  } catch (error) {
    await out.close();
    await rm(temp, { force: true });
    throw error;
  }
  await out.close();
  if (await lstat(final).then(() => true, () => false)) {
    await rm(temp, { force: true });
    throw new BackupError(`${final} already exists; wait a moment and run the backup again`);
  }
  await rename(temp, final);
  await fsyncPath(dest);
  return final;
}

function field(block: Buffer, offset: number, length: number): string {
  const raw = block.subarray(offset, offset + length);
  const end = raw.indexOf(0);
  return raw.subarray(0, end === -1 ? length : end).toString('utf8');
}

function parseOctal(text: string, what: string, archive: string): number {
  const trimmed = text.trim();
  if (!/^[0-7]+$/.test(trimmed)) throw new BackupError(`${archive}: a tar header's ${what} is not octal: the archive is damaged`);
  return parseInt(trimmed, 8);
}

/**
 * Extract a backup archive into `into/<name>/` (private dirs, 0600 files), refusing anything but a
 * well-formed ustar holding one backup directory named as the archive is. Returns the directory.
 */
export async function extractArchive(archive: string, into: string): Promise<string> {
  const name = backupNameOfArchive(basename(archive));
  if (!name) throw new BackupError(`${archive} is not named kafclaw-backup-<time>.tar`);
  const input = await open(archive, 'r');
  const root = join(into, name);
  try {
    const size = (await input.stat()).size;
    let offset = 0;
    const block = Buffer.alloc(BLOCK);
    const readBlock = async (): Promise<boolean> => {
      const { bytesRead } = await input.read(block, 0, BLOCK, offset);
      offset += bytesRead;
      return bytesRead === BLOCK;
    };
    let sawRoot = false;
    for (;;) {
      if (!(await readBlock())) throw new BackupError(`${archive} is truncated at byte ${size}: the end-of-archive blocks are missing`);
      if (block.every((byte) => byte === 0)) {
        if (!(await readBlock()) || !block.every((byte) => byte === 0)) throw new BackupError(`${archive} is truncated or damaged after byte ${offset - BLOCK}`);
        break;
      }
      const stored = parseOctal(field(block, 148, 8), 'checksum', archive);
      let sum = 0;
      for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : block[i]!;
      if (sum !== stored) throw new BackupError(`${archive}: a tar header at byte ${offset - BLOCK} fails its checksum: the archive is damaged`);
      if (field(block, 257, 6) !== 'ustar') throw new BackupError(`${archive}: not a ustar archive`);
      const path = field(block, 0, 100);
      const type = String.fromCharCode(block[156]!);
      const length = parseOctal(field(block, 124, 12), 'size', archive);
      if (path === `${name}/` && type === '5') {
        sawRoot = true;
        await mkdirPrivate(root);
        continue;
      }
      const rel = path.startsWith(`${name}/`) ? path.slice(name.length + 1).replace(/\/$/, '') : '';
      if (!sawRoot || !isSafeRelativePath(rel)) throw new BackupError(`${archive} holds an unexpected entry ${JSON.stringify(path)}; it is not a kafclaw backup archive`);
      if (type === '5') {
        await mkdirPrivate(join(root, rel));
        continue;
      }
      if (type !== '0' && type !== '\0') throw new BackupError(`${archive}: ${path} is not a regular file (tar type ${JSON.stringify(type)})`);
      if (offset + length > size) throw new BackupError(`${archive} is truncated: ${rel} needs ${length} bytes, ${Math.max(0, size - offset)} are there`);
      await mkdirPrivate(dirname(join(root, rel)));
      const output = await open(join(root, rel), 'wx', FILE_MODE);
      try {
        const buffer = Buffer.allocUnsafe(1 << 20);
        let copied = 0;
        while (copied < length) {
          const { bytesRead } = await input.read(buffer, 0, Math.min(buffer.length, length - copied), offset + copied);
          if (bytesRead === 0) throw new BackupError(`${archive} is truncated inside ${rel}`);
          await output.write(buffer.subarray(0, bytesRead));
          copied += bytesRead;
        }
      } finally {
        await output.close();
      }
      offset += length + ((BLOCK - (length % BLOCK)) % BLOCK);
    }
    if (!sawRoot) throw new BackupError(`${archive} holds no ${name}/ directory`);
    return root;
  } finally {
    await input.close();
  }
}

export async function isArchive(path: string): Promise<boolean> {
  return (await lstat(path).catch(() => null))?.isFile() === true;
}

/** Run `work` on the backup directory: `path` itself, or its archive extracted into a private temp dir (removed afterwards). */
export async function withBackupDir<T>(path: string, work: (dir: string) => Promise<T>): Promise<T> {
  if (!(await isArchive(path))) return work(path);
  const scratch = await mkdtemp(join(tmpdir(), 'kafclaw-unpack-'));
  try {
    return await work(await extractArchive(path, scratch));
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
