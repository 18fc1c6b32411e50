import { randomBytes } from 'node:crypto';
import { copyFile, lstat, readFile, rename, rm, chmod } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { matchCredentialFormat, type Secret } from '../secrets/index.js';
import { BackupError } from './errors.js';
import { DIR_MODE, FILE_MODE, fsyncPath, mkdirPrivate, sha256Bytes, sha256File, writeFileDurable, type Digest } from './durable-fs.js';
import { encryptToFile, manifestMac, masterKeyBytes, CHUNK_SIZE } from './encryption.js';
import {
  backupName,
  tempName,
  CONFIG_FILE,
  DATABASE_FILE,
  EXTRA_DIR,
  IDENTITY_FILES,
  MANIFEST_FILE,
  MANIFEST_MAC_FILE,
  MANIFEST_SUM_FILE,
  TEMP_PREFIX,
  WORKSPACE_DIR,
} from './layout.js';
import { sweepTempDirs } from './list.js';
import { writeArchive } from './archive.js';
import { serializeManifest, MANIFEST_FORMAT, MANIFEST_FORMAT_VERSION, type Manifest, type ManifestFile } from './manifest.js';
import { sanitizeConfig } from './sanitize.js';
import { snapshotDatabase, type CheckLevel } from './snapshot.js';
import { sha256FileInWorker } from './hash-worker.js';

export interface CreateBackupOptions {
  /** KafClaw's state dir (`~/.kafclaw`), holding `timeline.db`. */
  stateDir: string;
  /** config.json to include, sanitized. */
  configPath?: string;
  /** An already parsed config object, instead of configPath (the manifest then records no source path). */
  config?: unknown;
  /** The workspace whose identity files (SOUL.md, IDENTITY.md, …) are included when present. */
  workspace?: string;
  /** Further files the operator lists; stored under `extra/` by file name. */
  extraFiles?: readonly string[];
  /** Directory that receives `kafclaw-backup-<UTC timestamp>/`; created 0700 when missing. */
  dest: string;
  sourceHost: string;
  toolVersion: string;
  encryptionKey?: Secret;
  /**
   * SQLite check run on the snapshot before it is published; default none, because restore-test
   * runs the full integrity_check on the restored copy and quick_check would double a backup's time.
   */
  snapshotCheck?: CheckLevel;
  /** Publish one tar file `<name>.tar` (written atomically) instead of a directory. */
  archive?: boolean;
  /** Called as each phase starts (for progress display). */
  onPhase?: (phase: BackupPhase) => void;
  /** For tests: the clock. */
  now?: () => Date;
}

export const BACKUP_PHASES = ['prepare', 'snapshot', 'files', 'manifest', 'sync', 'publish', 'published'] as const;
export type BackupPhase = (typeof BACKUP_PHASES)[number];

export interface CreatedBackup {
  name: string;
  path: string;
  manifest: Manifest;
  /** sha256 of manifest.json, as written to manifest.json.sha256. */
  manifestSha256: string;
  durationMs: number;
  timings: Record<string, number>;
  /**
   * Credentials the backup holds in the clear although the config was sanitized: settings rows in
   * timeline.db, or credential formats inside identity and extra files. Empty when encrypted.
   * Names and places only, never values.
   */
  warnings: string[];
}

async function readConfig(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new BackupError(`cannot read the config ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}. Check configPath.`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new BackupError(`the config ${path} is not valid JSON (${(error as Error).message}); fix the file or leave it out of the backup`);
  }
}

/** The name of the first credential format found in a text file of at most 16 MiB, or null. */
async function credentialFormatIn(path: string): Promise<string | null> {
  const stat = await lstat(path);
  if (stat.size > 16 * 1024 * 1024) return null;
  const text = await readFile(path, 'utf8');
  return matchCredentialFormat(text)?.name ?? null;
}

async function isRegularFile(path: string): Promise<boolean> {
  try {
    return (await lstat(path)).isFile();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

/**
 * Take a backup: an online snapshot of timeline.db, a sanitized config.json, the identity files and
 * the extra files, and a manifest. Everything is written into a dot-named temp dir beside the
 * destination, fsynced, and the dir is renamed into place last; a crash leaves only a temp dir,
 * which nothing lists or verifies and the next run sweeps.
 */
export async function createBackup(options: CreateBackupOptions): Promise<CreatedBackup> {
  const started = performance.now();
  const timings: Record<string, number> = {};
  const timed = async <T>(label: string, work: () => Promise<T>): Promise<T> => {
    const t0 = performance.now();
    try {
      return await work();
    } finally {
      timings[label] = Math.round(performance.now() - t0);
    }
  };

  const phase = options.onPhase ?? (() => {});
  phase('prepare');
  const createdAt = (options.now ?? (() => new Date()))();
  const name = backupName(createdAt);
  const master = options.encryptionKey ? masterKeyBytes(options.encryptionKey) : null;
  if (options.config !== undefined && options.configPath !== undefined) {
    throw new BackupError('give the config either as configPath or as a parsed object (config), not both');
  }
  const config = options.config !== undefined ? options.config : options.configPath ? await readConfig(options.configPath) : undefined;

  await mkdirPrivate(options.dest);
  await sweepTempDirs(options.dest);
  const temp = join(options.dest, tempName(TEMP_PREFIX, name, process.pid, randomBytes(4).toString('hex')));
  await mkdirPrivate(temp);

  const files: ManifestFile[] = [];
  const warnings: string[] = [];
  /** Store one payload file (from a path or bytes) at `relPath`, encrypting when a key is given. */
  const store = async (relPath: string, source: string | Buffer, role: ManifestFile['role'], origin?: string) => {
    const dir = relPath.includes('/') ? join(temp, relPath.slice(0, relPath.lastIndexOf('/'))) : temp;
    await mkdirPrivate(dir);
    const target = join(temp, relPath);
    if (!master && role !== 'config' && typeof source === 'string') {
      const found = await credentialFormatIn(source);
      if (found) warnings.push(`${relPath} contains what looks like a ${found}; encrypt backups or remove it from the file`);
    }
    let entry: ManifestFile;
    if (master) {
      const digest = await encryptToFile(source, target, relPath, master);
      entry = { path: relPath, role, ...digest.plain, stored: digest.stored };
    } else {
      if (typeof source === 'string') {
        await copyFile(source, target, 1 /* COPYFILE_EXCL */);
        await chmod(target, FILE_MODE);
        await fsyncPath(target);
      } else {
        await writeFileDurable(target, source);
      }
      const digest: Digest = typeof source === 'string' ? await sha256File(target) : { size: source.length, sha256: sha256Bytes(source) };
      entry = { path: relPath, role, ...digest };
    }
    if (origin !== undefined) entry.source = origin;
    files.push(entry);
  };

  try {
    phase('snapshot');
    const databaseSource = join(options.stateDir, DATABASE_FILE);
    const snapshotPath = join(temp, master ? '.snapshot.db' : DATABASE_FILE);
    // unencrypted, the copy is hashed on a worker thread while this one counts its rows
    let hashed: Promise<Digest> | null = null;
    const { credentialSettings, ...database } = await timed('snapshot', () =>
      snapshotDatabase(
        databaseSource,
        snapshotPath,
        options.snapshotCheck ?? 'none',
        master
          ? undefined
          : (path) => {
              hashed = sha256FileInWorker(path);
              hashed.catch(() => undefined); // awaited below; a failed snapshot must not leave it unhandled
            },
      ),
    );
    if (!master) {
      for (const key of credentialSettings) warnings.push(`timeline.db settings row ${key} holds a credential; encrypt backups to keep it out of the clear`);
    }
    await timed('database-file', async () => {
      if (master) {
        await store(DATABASE_FILE, snapshotPath, 'database', databaseSource);
        await rm(snapshotPath);
      } else {
        await chmod(snapshotPath, FILE_MODE);
        const [, digest] = await Promise.all([fsyncPath(snapshotPath), hashed ?? sha256File(snapshotPath)]);
        files.push({ path: DATABASE_FILE, role: 'database', ...digest, source: databaseSource });
      }
    });

    phase('files');
    let configSection: Manifest['config'] = null;
    if (config !== undefined) {
      const { config: clean, report } = sanitizeConfig(config);
      await store(CONFIG_FILE, Buffer.from(JSON.stringify(clean, null, 2) + '\n'), 'config', options.configPath);
      configSection = { path: CONFIG_FILE, keptReferences: report.kept, removed: report.removed };
    }

    const identity: Manifest['identity'] = { present: [], missing: [] };
    if (options.workspace !== undefined) {
      for (const file of IDENTITY_FILES) {
        const path = join(options.workspace, file);
        if (await isRegularFile(path)) {
          await store(`${WORKSPACE_DIR}/${file}`, path, 'identity', path);
          identity.present.push(file);
        } else {
          identity.missing.push(file);
        }
      }
    }

    const extraNames = new Set<string>();
    for (const path of options.extraFiles ?? []) {
      const fileName = basename(path);
      if (extraNames.has(fileName)) throw new BackupError(`two extra files share the name ${fileName}; rename one or list only one`);
      extraNames.add(fileName);
      if (!(await isRegularFile(path))) throw new BackupError(`the extra file ${path} does not exist or is not a regular file; remove it from the list`);
      await store(`${EXTRA_DIR}/${fileName}`, path, 'extra', path);
    }

    phase('manifest');
    const manifest: Manifest = {
      format: MANIFEST_FORMAT,
      formatVersion: MANIFEST_FORMAT_VERSION,
      name,
      createdAt: createdAt.toISOString(),
      sourceHost: options.sourceHost,
      toolVersion: options.toolVersion,
      encryption: master ? { algorithm: 'aes-256-gcm-chunked', chunkSize: CHUNK_SIZE, kdf: 'hkdf-sha256' } : null,
      database: { path: DATABASE_FILE, ...database },
      config: configSection,
      identity,
      files,
    };
    const manifestBytes = Buffer.from(serializeManifest(manifest));
    const manifestSha256 = sha256Bytes(manifestBytes);
    await writeFileDurable(join(temp, MANIFEST_FILE), manifestBytes);
    if (master) await writeFileDurable(join(temp, MANIFEST_MAC_FILE), manifestMac(master, manifestBytes) + '\n');
    await writeFileDurable(join(temp, MANIFEST_SUM_FILE), `${manifestSha256}  ${MANIFEST_FILE}\n`);

    phase('sync');
    for (const dir of new Set(files.map((file) => (file.path.includes('/') ? file.path.slice(0, file.path.lastIndexOf('/')) : '')))) {
      if (dir) await fsyncPath(join(temp, dir));
    }
    await fsyncPath(temp);
    let final = join(options.dest, name);
    if (await lstat(final).then(() => true, () => false)) throw new BackupError(`${final} already exists; wait a moment and run the backup again`);
    phase('publish');
    if (options.archive) {
      final = await writeArchive(temp, name, options.dest);
      await rm(temp, { recursive: true, force: true });
    } else {
      await rename(temp, final);
      await fsyncPath(options.dest);
    }
    phase('published');
    return { name, path: final, manifest, manifestSha256, durationMs: Math.round(performance.now() - started), timings, warnings };
  } catch (error) {
    await rm(temp, { recursive: true, force: true });
    throw error;
  }
}

export { DIR_MODE, FILE_MODE };
