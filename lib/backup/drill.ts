import { mkdtemp, readFile, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Secret } from '../secrets/index.js';
import { shellQuote } from '../target/quote.js';
import type { Target } from '../target/types.js';
import { backupNameOfEntry, newestBackupEntry } from './entries.js';
import { fsyncPath, mkdirPrivate, writeFileDurable } from './durable-fs.js';
import { MANIFEST_FILE, MANIFEST_MAC_FILE, MANIFEST_SUM_FILE, TEMP_PREFIX, tempName } from './layout.js';
import type { Manifest } from './manifest.js';
import { restoreTest, type GatewaySmokeHook, type RestoreTestResult, type RestoreTestStep, type StepStatus } from './restore-test.js';
import { verifyBackup } from './verify.js';

export interface HostRestoreTestOptions {
  encryptionKey?: Secret;
  /** The gateway boot check for the restored state (the runtime supplies it; lib cannot import it). */
  gatewaySmoke?: GatewaySmokeHook;
  onStep?: (name: string) => void;
}

type Outcome = { ok: boolean; detail: string };

/** Every file of a backup directory, as stored: the payload files, then the manifest and its checksum (and MAC). */
function backupFiles(manifest: Manifest): Array<{ path: string; sha256: string; size: number }> {
  const payload = manifest.files.map((file) => ({ path: file.path, ...(file.stored ?? { size: file.size, sha256: file.sha256 }) }));
  return payload;
}

function sumsText(files: ReadonlyArray<{ path: string; sha256: string }>): string {
  return files.map((file) => `${file.sha256}  ${file.path}\n`).join('');
}

async function must(target: Target, script: string, what: string): Promise<string> {
  const result = await target.runScript(script, { timeoutMs: 600_000 });
  if (result.exitCode !== 0) throw new Error(`${what} failed on ${target.name} (exit ${result.exitCode}): ${(result.stdout + result.stderr).trim().split('\n').slice(-5).join('; ')}`);
  return result.stdout;
}

/**
 * The clean-host drill of `restore-test --host`. What runs where:
 * - controller: verify the backup as it is (checksums, manifest MAC, decryption with the key);
 * - clean host, with its own tools only (no Node.js, no sqlite3 there): the backup copied into a
 *   fresh `mktemp -d` directory (0700, files 0600), its bytes checked with `sha256sum -c` against
 *   the manifest, placed into a restore directory with `install -m 0600`, and checked there again;
 * - controller: the restored files pulled back and put through the whole local restore test (verify
 *   and decryption, SQLite integrity_check and foreign_key_check, tables, schema, row counts, config
 *   validation, identity files, the gateway booting on them). The host's temp dir is always removed.
 */
export async function restoreTestOnHost(from: string, target: Target, options: HostRestoreTestOptions = {}): Promise<RestoreTestResult> {
  const started = performance.now();
  const startedAt = new Date().toISOString();
  const steps: RestoreTestStep[] = [];
  const step = async (name: string, run: () => Promise<Outcome>): Promise<boolean> => {
    options.onStep?.(name);
    const t0 = performance.now();
    const blocked = steps.find((s) => s.status !== 'passed');
    let outcome: Outcome & { status: StepStatus };
    if (blocked) {
      outcome = { ok: false, status: 'skipped', detail: `not run: ${blocked.name} did not pass` };
    } else {
      try {
        const done = await run();
        outcome = { ...done, status: done.ok ? 'passed' : 'failed' };
      } catch (error) {
        outcome = { ok: false, status: 'failed', detail: (error as Error).message };
      }
    }
    steps.push({ name, ok: outcome.ok, status: outcome.status, detail: outcome.detail, durationMs: Math.round(performance.now() - t0) });
    return outcome.ok;
  };

  const keyOption = options.encryptionKey ? { encryptionKey: options.encryptionKey } : {};
  const verified = await verifyBackup(from, keyOption);
  const manifest = verified.manifest;
  const hostSpec = target.name;
  const scratch = await mkdtemp(join(tmpdir(), 'kafclaw-drill-'));
  let remoteDir: string | null = null;
  let local: RestoreTestResult | null = null;
  try {
    await step('source.verify', async () => {
      if (!verified.ok) return { ok: false, detail: verified.problems.map((p) => `${p.path}: ${p.kind}: ${p.detail}`).join('; ') };
      if (manifest?.encryption && !verified.decrypted) return { ok: false, detail: 'the backup is encrypted and no key was given' };
      return { ok: true, detail: `${verified.filesChecked} files, ${verified.bytesChecked} bytes match the manifest on the controller` };
    });
    const m = manifest as Manifest;
    const files = manifest ? backupFiles(m) : [];
    const extras = manifest ? [MANIFEST_FILE, MANIFEST_SUM_FILE, ...(m.encryption ? [MANIFEST_MAC_FILE] : [])] : [];

    await step('host.clean', async () => {
      const name = (await must(target, 'hostname', 'hostname')).trim();
      if (name === m.sourceHost) return { ok: false, detail: `${hostSpec} is ${name}, the host the backup was taken on: a restore test needs a separate clean host` };
      return { ok: true, detail: `${name}, not the source host ${m.sourceHost}` };
    });

    await step('host.copy', async () => {
      remoteDir = (await must(target, 'umask 077; mktemp -d /tmp/kafclaw-restore-test.XXXXXXXX', 'mktemp')).trim();
      const base = `${remoteDir}/backup/${m.name}`;
      const dirs = new Set([base, ...files.map((f) => dirname(`${base}/${f.path}`))]);
      await must(target, `install -d -m 0700 ${[...dirs].map(shellQuote).join(' ')}`, 'install -d');
      let bytes = 0;
      for (const path of [...files.map((f) => f.path), ...extras]) {
        const content = await readFile(join(from, path));
        await target.writeFileAtomic(`${base}/${path}`, content, { mode: 0o600 });
        bytes += content.length;
      }
      await target.writeFileAtomic(`${remoteDir}/backup.sha256`, sumsText(files), { mode: 0o600 });
      return { ok: true, detail: `${files.length + extras.length} files, ${bytes} bytes into ${base}` };
    });

    const dir = () => remoteDir as string;
    await step('host.sha256sum', async () => {
      const base = `${dir()}/backup/${m.name}`;
      await must(
        target,
        `cd ${shellQuote(base)} && sha256sum --strict --quiet -c ${MANIFEST_SUM_FILE} && sha256sum --strict --quiet -c ../../backup.sha256`,
        'sha256sum -c of the copied backup',
      );
      return { ok: true, detail: `sha256sum -c on ${hostSpec}: the manifest and ${files.length} files match` };
    });

    await step('host.restore', async () => {
      const base = `${dir()}/backup/${m.name}`;
      const restored = `${dir()}/restored`;
      const dirs = new Set([restored, ...files.map((f) => dirname(`${restored}/${f.path}`))]);
      const script = [
        'set -e',
        `install -d -m 0700 ${[...dirs].map(shellQuote).join(' ')}`,
        ...files.map((f) => `install -m 0600 ${shellQuote(`${base}/${f.path}`)} ${shellQuote(`${restored}/${f.path}`)}`),
        'sync',
        `cd ${shellQuote(restored)} && sha256sum --strict --quiet -c ../backup.sha256`,
      ].join('\n');
      await must(target, script, 'the restore with install(1)');
      const note = m.encryption ? ' (still encrypted: decrypted on the controller, the host has no key and no Node.js)' : '';
      return { ok: true, detail: `${files.length} files placed with install -m 0600 and checked with sha256sum -c${note}` };
    });

    await step('host.pull', async () => {
      const into = join(scratch, m.name);
      await mkdirPrivate(into);
      let bytes = 0;
      for (const path of [...files.map((f) => f.path), ...extras]) {
        const source = extras.includes(path) ? `${dir()}/backup/${m.name}/${path}` : `${dir()}/restored/${path}`;
        const content = await target.readFile(source);
        if (!content) return { ok: false, detail: `${source} is missing on ${hostSpec}` };
        await mkdirPrivate(dirname(join(into, path)));
        await writeFileDurable(join(into, path), content);
        bytes += content.length;
      }
      return { ok: true, detail: `${bytes} bytes of the restored files pulled back for the SQLite, config and gateway checks` };
    });

    if (steps.every((s) => s.status === 'passed')) {
      local = await restoreTest(join(scratch, m.name), {
        ...keyOption,
        workDir: scratch,
        ...(options.gatewaySmoke ? { gatewaySmoke: options.gatewaySmoke } : {}),
        ...(options.onStep ? { onStep: options.onStep } : {}),
      });
      steps.push(...local.steps);
    }
  } finally {
    if (remoteDir) await target.run(['rm', '-rf', '--', remoteDir]).catch(() => undefined);
    await rm(scratch, { recursive: true, force: true });
  }
  const failed = steps.filter((s) => s.status === 'failed').map((s) => s.name);
  const blocked = steps.some((s) => s.status === 'skipped' && s.detail.startsWith('not run:'));
  return {
    ok: failed.length === 0 && !blocked && local !== null && local.ok,
    backupDir: from,
    backupName: manifest?.name ?? null,
    sourceHost: manifest?.sourceHost ?? null,
    manifestSha256: verified.manifestSha256,
    startedAt,
    durationMs: Math.round(performance.now() - started),
    steps,
    failed,
  };
}

/** The newest backup entry (directory or archive) in `dest` on a host, or null when there is none. */
export async function newestBackupOnHost(target: Target, dest: string, sudo = false): Promise<string | null> {
  const listing = await target.run(['ls', '-1', '--', dest], { sudo });
  if (listing.exitCode !== 0) throw new Error(`cannot list ${dest} on ${target.name}: ${listing.stderr.trim()}`);
  return newestBackupEntry(listing.stdout.split('\n'));
}

/**
 * Copy one backup (directory or archive, as stored: still encrypted when it was) from `dest` on a
 * host into `into` on this machine. It lands under a temporary name and is renamed into place once
 * every byte is written and synced: an interrupted fetch leaves nothing that looks like a backup.
 */
export async function fetchBackup(target: Target, dest: string, entry: string, into: string, sudo = false): Promise<string> {
  if (backupNameOfEntry(entry) === null) throw new Error(`${entry} is not a backup name`);
  const base = `${dest}/${entry}`;
  const files = await target.run(['find', base, '-type', 'f', '-printf', '%P\\n'], { sudo });
  if (files.exitCode !== 0) throw new Error(`cannot list ${base} on ${target.name}: ${files.stderr.trim()}`);
  // An archive is one file: find prints its own %P, the empty string.
  const relatives = files.stdout.split('\n').filter(Boolean);
  await mkdirPrivate(into);
  const temp = join(into, tempName(TEMP_PREFIX, 'fetch', process.pid, randomBytes(4).toString('hex')));
  try {
    if (relatives.length === 0) {
      const bytes = await target.readFile(base, { sudo });
      if (!bytes) throw new Error(`${base} vanished on ${target.name}`);
      await writeFileDurable(temp, bytes);
    } else {
      await mkdirPrivate(temp);
      for (const rel of relatives) {
        if (rel.split('/').includes('..')) throw new Error(`${base} holds an unexpected path ${rel}`);
        const bytes = await target.readFile(`${base}/${rel}`, { sudo });
        if (!bytes) throw new Error(`${base}/${rel} vanished on ${target.name}`);
        await mkdirPrivate(dirname(join(temp, rel)));
        await writeFileDurable(join(temp, rel), bytes);
      }
    }
    await rename(temp, join(into, entry));
    await fsyncPath(into);
    return join(into, entry);
  } catch (error) {
    await rm(temp, { recursive: true, force: true });
    throw error;
  }
}

/** The newest backup of `dest` on a host, fetched into `into`: the first half of the drill between two hosts. */
export async function fetchNewestBackup(target: Target, dest: string, into: string, sudo = false): Promise<string> {
  const newest = await newestBackupOnHost(target, dest, sudo);
  if (!newest) throw new Error(`no backup in ${dest} on ${target.name}`);
  return fetchBackup(target, dest, newest, into, sudo);
}

export { backupNameOfEntry, newestBackupEntry };
