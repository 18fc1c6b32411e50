import { lstat, readdir } from 'node:fs/promises';
import { homedir, hostname } from 'node:os';
import { resolve } from 'node:path';
import {
  backupRecordOf,
  createBackup,
  defaultBackupDest,
  formatProblem,
  listBackups,
  opsStorePath,
  pruneBackups,
  restoreBackup,
  restoreTest,
  restoreTestRecordOf,
  stateDirOf,
  verifyBackup,
  withBackupDir,
  type RestoreTestResult,
  type RetentionPolicy,
} from '../lib/backup/index.js';
import { isConfigError, loadConfig, resolveConfigPath } from '../lib/config/index.js';
import type { Secret } from '../lib/secrets/index.js';
import { listBackupRecords, openStore, recordBackup, recordRestoreTest } from '../lib/store/index.js';
import { literalSecretMessage, parseSecretReference, resolveSecretReference } from '../provision/secrets/index.js';
import { phaseProgress } from './backup-progress.js';
import { EXIT, UsageError } from './exit-codes.js';
import { toolVersion } from './version.js';

export interface BackupFlags {
  dest?: string;
  archive?: boolean;
  encryptKey?: string;
  store?: string;
  extra?: string[];
  retain?: string;
  fullVerify?: boolean;
}

export interface RestoreFlags {
  to: string;
  replace?: boolean;
  encryptKey?: string;
}

export interface RestoreTestFlags {
  latest?: boolean;
  dest?: string;
  encryptKey?: string;
  store?: string;
  keepWorkDir?: boolean;
  host?: string;
  identity?: string;
  knownHosts?: string;
  acceptNewHostKeys?: boolean;
}

const out = (line: string) => process.stdout.write(line + '\n');
const err = (line: string) => process.stderr.write(line + '\n');

function home(): string {
  return process.env.HOME || homedir();
}

/** A key given as a secret reference (env:NAME, file:PATH, command:CMD); a literal is refused (exit 2). */
async function encryptionKeyOf(reference: string | undefined): Promise<Secret | undefined> {
  if (reference === undefined) return undefined;
  const parsed = parseSecretReference(reference);
  if (!parsed) throw new UsageError(`--encrypt-key: ${literalSecretMessage(reference)}`);
  return resolveSecretReference(parsed);
}

/** `D,W,M` (daily, weekly, monthly backups to keep) or `none`. */
export function parseRetention(text: string): RetentionPolicy | null {
  if (text.trim() === 'none') return null;
  const match = /^\s*(\d+)\s*,\s*(\d+)\s*,\s*(\d+)\s*$/.exec(text);
  if (!match) throw new UsageError(`--retain "${text}" is not DAILY,WEEKLY,MONTHLY (for example 7,4,6) or none`);
  return { daily: Number(match[1]), weekly: Number(match[2]), monthly: Number(match[3]) };
}

function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

/** The config file and workspace the gateway would use; a config that fails validation is still backed up as it is. */
async function configLocations(): Promise<{ configPath?: string; workspace?: string }> {
  try {
    const loaded = await loadConfig();
    return { ...(loaded.exists ? { configPath: loaded.path } : {}), workspace: loaded.config.paths.workspace };
  } catch (error) {
    if (!isConfigError(error)) throw error;
    err(`warning: the config does not validate (${error.describe()}); backing it up as it is, without the workspace`);
    const path = resolveConfigPath(process.env, home(), process.cwd());
    return path ? { configPath: path } : {};
  }
}

/** `kafclaw backup`: snapshot, verify, record, apply retention. Exit 1 when the new backup fails verification. */
export async function backupCommand(flags: BackupFlags): Promise<number> {
  const retention = parseRetention(flags.retain ?? '7,4,6');
  const key = await encryptionKeyOf(flags.encryptKey);
  const dest = flags.dest ? resolve(flags.dest) : await defaultBackupDest(home());
  const storePath = flags.store ? resolve(flags.store) : opsStorePath(home());
  const locations = await configLocations();
  const progress = phaseProgress('backup');
  const created = await createBackup({
    stateDir: stateDirOf(home()),
    ...locations,
    extraFiles: (flags.extra ?? []).map((path) => resolve(path)),
    dest,
    sourceHost: hostname(),
    toolVersion: toolVersion(),
    ...(key ? { encryptionKey: key } : {}),
    ...(flags.archive ? { archive: true } : {}),
    onPhase: (phase) => (phase === 'published' ? progress.end() : progress.phase(phase)),
  });
  progress.phase('verify');
  // the manifest's digests were computed by reading the written files back; re-hashing them
  // seconds later finds nothing new unless asked (--full-verify); restore-test hashes everything
  const verify = await verifyBackup(created.path, { ...(key ? { encryptionKey: key } : {}), hashContents: flags.fullVerify === true });
  progress.end();
  for (const warning of created.warnings) err(`warning: ${warning}`);

  const store = openStore(storePath);
  let removed: string[] = [];
  try {
    recordBackup(store, backupRecordOf(created, verify.ok));
    if (retention) {
      const verifiedNames = new Set(listBackupRecords(store, hostname()).filter((r) => r.verified).map((r) => r.name));
      removed = (await pruneBackups(dest, retention, { verifiedNames })).removed;
    }
  } finally {
    store.close();
  }
  const size = created.manifest.files.reduce((sum, file) => sum + (file.stored?.size ?? file.size), 0);
  out(
    `backup ${created.name}: ${created.path} (${created.manifest.files.length} files, ${megabytes(size)}` +
      `${key ? ', encrypted' : ''}; written in ${(created.durationMs / 1000).toFixed(1)} s, ${flags.fullVerify ? 'fully ' : ''}verified in ${(verify.durationMs / 1000).toFixed(1)} s)`,
  );
  if (removed.length > 0) out(`retention removed ${removed.length}: ${removed.join(', ')}`);
  out(`recorded in ${storePath}`);
  if (!verify.ok) {
    err(`kafclaw: the new backup fails verification:\n  - ${verify.problems.map(formatProblem).join('\n  - ')}`);
    return EXIT.findings;
  }
  return EXIT.ok;
}

async function requireBackupDir(path: string): Promise<string> {
  const full = resolve(path);
  const stat = await lstat(full).catch(() => null);
  if (!stat?.isDirectory() && !stat?.isFile()) throw new UsageError(`${full} is neither a backup directory nor a backup archive; list backups with \`ls ${resolve(full, '..')}\``);
  return full;
}

/** `kafclaw restore BACKUP --to DIR`: verify everything, then write; a non-empty DIR needs --replace. */
export async function restoreCommand(backup: string, flags: RestoreFlags): Promise<number> {
  const from = await requireBackupDir(backup);
  const to = resolve(flags.to);
  const existing = await readdir(to).catch(() => null);
  if (existing && existing.length > 0 && !flags.replace) {
    throw new UsageError(`--to ${to} is not empty; choose an empty or new directory, or add --replace to overwrite it`);
  }
  const key = await encryptionKeyOf(flags.encryptKey);
  const progress = phaseProgress('restore');
  progress.phase('verify and copy');
  const result = await restoreBackup(from, { to, ...(flags.replace ? { replace: true } : {}), ...(key ? { encryptionKey: key } : {}) }).finally(() =>
    progress.end(),
  );
  out(`restored ${result.manifest.name} (from ${result.manifest.sourceHost}, ${result.manifest.createdAt}) into ${to}: ${result.files} files, ${megabytes(result.bytes)}`);
  out('stop the gateway before putting timeline.db into ~/.kafclaw; config.json holds ${VAR} references, not secrets');
  return EXIT.ok;
}

function renderSteps(result: RestoreTestResult): string {
  const width = Math.max(...result.steps.map((s) => s.name.length));
  return result.steps.map((s) => `  ${s.status.padEnd(7)} ${s.name.padEnd(width)} ${String(s.durationMs).padStart(6)} ms  ${s.detail}`).join('\n');
}

/** `kafclaw restore-test`: restore onto a clean target, verify, boot the gateway on it, record; exit 1 names the failed steps. */
export async function restoreTestCommand(backup: string | undefined, flags: RestoreTestFlags): Promise<number> {
  if (backup && flags.latest) throw new UsageError('give either a BACKUP directory or --latest, not both');
  if (!backup && !flags.latest) throw new UsageError('name the BACKUP directory to test, or pass --latest');
  const key = await encryptionKeyOf(flags.encryptKey);
  let from: string;
  if (backup) {
    from = await requireBackupDir(backup);
  } else {
    const dest = flags.dest ? resolve(flags.dest) : await defaultBackupDest(home());
    const newest = (await listBackups(dest))[0];
    if (!newest) {
      err(`kafclaw: restore-test failed: no backup in ${dest}; run \`kafclaw backup\` first`);
      return EXIT.findings;
    }
    from = newest.path;
  }
  const storePath = flags.store ? resolve(flags.store) : opsStorePath(home());
  const progress = phaseProgress('restore-test');
  let result: RestoreTestResult;
  let target: string;
  if (flags.host) {
    const { remoteRestoreTest } = await import('./backup-remote.js');
    // an archive is unpacked (strictly) on the controller; the host receives the backup's files
    ({ result, target } = await withBackupDir(from, (dir) => remoteRestoreTest(dir, flags, { ...(key ? { encryptionKey: key } : {}), onStep: (name) => progress.phase(name) })));
    result.backupDir = from;
  } else {
    const { gatewaySmoke } = await import('./backup-smoke.js');
    target = 'local-temp';
    result = await restoreTest(from, {
      gatewaySmoke,
      ...(key ? { encryptionKey: key } : {}),
      ...(flags.keepWorkDir ? { keepWorkDir: true } : {}),
      onStep: (name) => progress.phase(name),
    });
  }
  progress.end();
  out(`restore-test of ${result.backupName ?? from} on ${target === 'local-temp' ? 'a fresh temporary directory' : target}:`);
  out(renderSteps(result));
  const store = openStore(storePath);
  try {
    recordRestoreTest(store, restoreTestRecordOf(result, result.sourceHost ?? hostname(), target));
  } finally {
    store.close();
  }
  if (!result.ok) {
    const blocked = result.steps.filter((s) => s.status === 'skipped' && s.detail.startsWith('not run:')).map((s) => s.name);
    err(`kafclaw: restore-test failed: ${result.failed.join(', ')}${blocked.length > 0 ? ` (not run: ${blocked.join(', ')})` : ''}`);
    return EXIT.findings;
  }
  out(`restore-test passed in ${(result.durationMs / 1000).toFixed(1)} s; recorded in ${storePath}`);
  return EXIT.ok;
}
