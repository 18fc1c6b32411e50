import { createHash, randomBytes } from 'node:crypto';
import { lstat, open, readdir, readFile, rename, rm } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { Secret } from '../secrets/index.js';
import { BackupError } from './errors.js';
import { FILE_MODE, fsyncPath, mkdirPrivate, sha256Bytes } from './durable-fs.js';
import { decryptFile, masterKeyBytes } from './encryption.js';
import { withBackupDir } from './archive.js';
import { tempName, MANIFEST_FILE, RESTORE_OLD_PREFIX, RESTORE_TEMP_PREFIX } from './layout.js';
import type { Manifest, ManifestFile } from './manifest.js';
import { formatProblem, verifyBackup, type VerifyResult } from './verify.js';

export interface RestoreOptions {
  /** Directory that receives the backup's files (timeline.db, config.json, workspace/, extra/). */
  to: string;
  /** Replace a non-empty target; without it a non-empty target is refused. */
  replace?: boolean;
  encryptionKey?: Secret;
  /**
   * A passing verifyBackup result for this backup, taken just before: the full check is then not
   * repeated (the manifest must still be byte-identical, and every file is hashed as it is copied).
   */
  verified?: VerifyResult;
}

export interface RestoreResult {
  to: string;
  manifest: Manifest;
  verify: VerifyResult;
  files: number;
  bytes: number;
  durationMs: number;
}

/** Copy (or decrypt) one file into place, hashing what is written; the bytes must match the manifest. */
async function restoreFile(backupDir: string, file: ManifestFile, targetRoot: string, master: Buffer | null): Promise<void> {
  const source = join(backupDir, file.path);
  const target = join(targetRoot, file.path);
  await mkdirPrivate(dirname(target));
  const output = await open(target, 'wx', FILE_MODE);
  const hash = createHash('sha256');
  let size = 0;
  const sink = async (chunk: Buffer) => {
    hash.update(chunk);
    size += chunk.length;
    await output.write(chunk);
  };
  try {
    if (master) {
      await decryptFile(source, file.path, master, sink);
    } else {
      const input = await open(source, 'r');
      try {
        for await (const chunk of input.createReadStream({ highWaterMark: 1 << 20, autoClose: false })) await sink(chunk as Buffer);
      } finally {
        await input.close();
      }
    }
    await output.sync();
  } finally {
    await output.close();
  }
  if (size !== file.size || hash.digest('hex') !== file.sha256) {
    throw new BackupError(`${file.path} changed in ${backupDir} while it was being restored; nothing was restored, run the restore again`);
  }
}

async function manifestSha256Of(backupDir: string): Promise<string | null> {
  try {
    return sha256Bytes(await readFile(join(backupDir, MANIFEST_FILE)));
  } catch {
    return null;
  }
}

async function isEmptyOrMissing(path: string): Promise<'missing' | 'empty' | 'non-empty' | 'not-a-dir'> {
  const stat = await lstat(path).catch(() => null);
  if (!stat) return 'missing';
  if (!stat.isDirectory()) return 'not-a-dir';
  return (await readdir(path)).length === 0 ? 'empty' : 'non-empty';
}

/**
 * Restore a backup into `to`. The whole backup is verified before anything is written; the files
 * are written into a temp dir beside the target, checked again as they are written, fsynced, and
 * the temp dir is renamed into place. A non-empty target is refused unless `replace` is set.
 */
export async function restoreBackup(backup: string, options: RestoreOptions): Promise<RestoreResult> {
  return withBackupDir(backup, (dir) => restoreBackupDir(dir, options));
}

async function restoreBackupDir(backupDir: string, options: RestoreOptions): Promise<RestoreResult> {
  const started = performance.now();
  const to = resolve(options.to);
  const state = await isEmptyOrMissing(to);
  if (state === 'not-a-dir') throw new BackupError(`the restore target ${to} exists and is not a directory; choose another target`);
  if (state === 'non-empty' && !options.replace) {
    throw new BackupError(`the restore target ${to} is not empty; choose an empty directory, or pass replace to overwrite it`);
  }

  const reusable = options.verified?.ok === true && (await manifestSha256Of(backupDir)) === options.verified.manifestSha256;
  const verify = reusable && options.verified ? options.verified : await verifyBackup(backupDir, options.encryptionKey ? { encryptionKey: options.encryptionKey } : {});
  if (!verify.ok || !verify.manifest) {
    throw new BackupError(`the backup ${backupDir} fails verification; nothing was restored`, verify.problems.map(formatProblem));
  }
  const manifest = verify.manifest;
  if (manifest.encryption && !options.encryptionKey) {
    throw new BackupError(`the backup ${backupDir} is encrypted; give the encryption key to restore it`);
  }
  const master = manifest.encryption && options.encryptionKey ? masterKeyBytes(options.encryptionKey) : null;

  const parent = dirname(to);
  await mkdirPrivate(parent);
  const temp = join(parent, tempName(RESTORE_TEMP_PREFIX, basename(to), process.pid, randomBytes(4).toString('hex')));
  await mkdirPrivate(temp);
  try {
    let bytes = 0;
    for (const file of manifest.files) {
      await restoreFile(backupDir, file, temp, master);
      bytes += file.size;
    }
    for (const dir of new Set(manifest.files.map((file) => dirname(file.path)).filter((d) => d !== '.'))) await fsyncPath(join(temp, dir));
    await fsyncPath(temp);
    if (state === 'missing') {
      await rename(temp, to);
    } else {
      const old = join(parent, tempName(RESTORE_OLD_PREFIX, basename(to), process.pid, randomBytes(4).toString('hex')));
      await rename(to, old);
      await rename(temp, to);
      await rm(old, { recursive: true, force: true });
    }
    await fsyncPath(parent);
    return { to, manifest, verify, files: manifest.files.length, bytes, durationMs: Math.round(performance.now() - started) };
  } catch (error) {
    await rm(temp, { recursive: true, force: true });
    throw error;
  }
}
