import { lstat, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, relative, resolve, isAbsolute } from 'node:path';
import Database from 'better-sqlite3';
import { isConfigError, loadConfig } from '../config/index.js';
import type { Secret } from '../secrets/index.js';
import { sha256File } from './durable-fs.js';
import type { Manifest } from './manifest.js';
import { restoreBackup } from './restore.js';
import { extractArchive, isArchive } from './archive.js';
import { foreignKeyProblems, integrityProblems, readDatabaseFacts } from './snapshot.js';
import { formatProblem, verifyBackup, type VerifyResult } from './verify.js';

/** Tables every KafClaw timeline.db has (facts §3); a restore without them is not a KafClaw state. */
export const EXPECTED_TABLES = ['timeline', 'settings', 'tasks', 'policy_decisions'] as const;

export type StepStatus = 'passed' | 'failed' | 'skipped';

export interface RestoreTestStep {
  name: string;
  ok: boolean;
  status: StepStatus;
  detail: string;
  durationMs: number;
}

export interface RestoreTestResult {
  ok: boolean;
  backupDir: string;
  backupName: string | null;
  /** The host the backup was taken on, from its manifest (null when the manifest was unreadable). */
  sourceHost: string | null;
  manifestSha256: string | null;
  startedAt: string;
  durationMs: number;
  steps: RestoreTestStep[];
  /** Names of the failed steps, for the store and the exit message. */
  failed: string[];
}

/**
 * Proves the restored state serves: given the restored dir, start a gateway on a free loopback port
 * and check /healthz and an authenticated timeline query. Supplied by the runtime once it exists.
 */
export type GatewaySmokeHook = (restoredDir: string, manifest: Manifest) => Promise<{ ok: boolean; detail: string }>;

export interface RestoreTestOptions {
  /** Parent of the fresh scratch directory; default the OS temp dir. */
  workDir?: string;
  encryptionKey?: Secret;
  /** The gateway boot check; when absent the step is reported as skipped. */
  gatewaySmoke?: GatewaySmokeHook;
  /** Keep the scratch directory (for inspection after a failure). */
  keepWorkDir?: boolean;
  /** Called as each step starts (for progress display). */
  onStep?: (name: string) => void;
}

type StepOutcome = { ok: boolean; detail: string; skipped?: boolean };

/** A reader confined to the restored tree: an `$include` or env file outside it reads as absent. */
function confinedReader(root: string): (path: string) => Promise<Buffer | null> {
  return async (path) => {
    const rel = relative(root, resolve(root, path));
    if (rel.startsWith('..') || isAbsolute(rel)) return null;
    try {
      return await readFile(resolve(root, path));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  };
}

/**
 * The restored config.json as KafClaw would load it: `$include`, zod validation onto the defaults,
 * normalisation. An empty environment and the restored dir as home and cwd, so nothing of the
 * machine running the test leaks in; `${VAR}` references stay as written.
 */
async function validateRestoredConfig(restored: string, configPath: string): Promise<StepOutcome> {
  try {
    const loaded = await loadConfig({ env: {}, home: restored, cwd: restored, configPath: join(restored, configPath), readFile: confinedReader(restored) });
    if (!loaded.exists) return { ok: false, detail: `${configPath} is missing after restore` };
    return { ok: true, detail: `${configPath} is a valid KafClaw config (gateway ${loaded.config.gateway.host}:${loaded.config.gateway.port})` };
  } catch (error) {
    if (isConfigError(error)) return { ok: false, detail: error.describe().replaceAll(restored + '/', '') };
    throw error;
  }
}

/**
 * Restore a backup into a fresh scratch directory and check that what came back is a working
 * KafClaw state: checksums, SQLite integrity and foreign keys, the expected tables, the schema and
 * row counts the manifest promised, a parseable config, the identity files, and (when the hook is
 * given) a gateway booting on it. Never throws for a bad backup: every finding is a failed step.
 */
export async function restoreTest(backupDir: string, options: RestoreTestOptions = {}): Promise<RestoreTestResult> {
  const started = performance.now();
  const startedAt = new Date().toISOString();
  const steps: RestoreTestStep[] = [];
  /** A step runs only when every step it requires has passed. */
  const step = async (name: string, requires: readonly string[], run: () => Promise<StepOutcome> | StepOutcome): Promise<void> => {
    options.onStep?.(name);
    const t0 = performance.now();
    let outcome: StepOutcome;
    const unmet = requires.find((required) => steps.find((s) => s.name === required)?.status !== 'passed');
    if (unmet) {
      outcome = { ok: false, skipped: true, detail: `not run: ${unmet} did not pass` };
    } else {
      try {
        outcome = await run();
      } catch (error) {
        outcome = { ok: false, detail: (error as Error).message };
      }
    }
    const status: StepStatus = outcome.skipped ? 'skipped' : outcome.ok ? 'passed' : 'failed';
    steps.push({ name, ok: status === 'passed', status, detail: outcome.detail, durationMs: Math.round(performance.now() - t0) });
  };

  const scratch = await mkdtemp(join(options.workDir ?? tmpdir(), 'kafclaw-restore-test-'));
  const restored = join(scratch, 'restored');
  const keyOption = options.encryptionKey ? { encryptionKey: options.encryptionKey } : {};
  const ctx: { manifest: Manifest | null; manifestSha256: string | null; db: Database.Database | null; verified?: VerifyResult } = {
    manifest: null,
    manifestSha256: null,
    db: null,
  };

  try {
    // an archive is unpacked first, strictly (a truncated one stops here); the rest reads the directory
    let source = backupDir;
    const archive = await isArchive(backupDir);
    if (archive) {
      await step('unpack', [], async () => {
        source = await extractArchive(backupDir, join(scratch, 'unpacked'));
        return { ok: true, detail: `${basename(backupDir)} unpacked` };
      });
    }

    await step('verify', archive ? ['unpack'] : [], async () => {
      const result = await verifyBackup(source, keyOption);
      ctx.manifest = result.manifest;
      ctx.manifestSha256 = result.manifestSha256;
      ctx.verified = result;
      if (!result.ok) return { ok: false, detail: result.problems.map(formatProblem).join('; ') };
      if (result.manifest?.encryption && !result.decrypted) return { ok: false, detail: 'the backup is encrypted and no key was given' };
      return { ok: true, detail: `${result.filesChecked} files, ${result.bytesChecked} bytes match the manifest` };
    });

    await step('restore', ['verify'], async () => {
      const result = await restoreBackup(source, { to: restored, ...keyOption, ...(ctx.verified ? { verified: ctx.verified } : {}) });
      return { ok: true, detail: `${result.files} files, ${result.bytes} bytes into a fresh directory` };
    });

    const m = () => ctx.manifest as Manifest;
    await step('checksums', ['restore'], async () => {
      const bad: string[] = [];
      for (const file of m().files) {
        const digest = await sha256File(join(restored, file.path));
        if (digest.sha256 !== file.sha256 || digest.size !== file.size) bad.push(file.path);
      }
      return bad.length === 0 ? { ok: true, detail: `${m().files.length} restored files match` } : { ok: false, detail: `differ from the manifest: ${bad.join(', ')}` };
    });

    await step('database.open', ['restore'], () => {
      ctx.db = new Database(join(restored, m().database.path), { readonly: true, fileMustExist: true });
      ctx.db.pragma('schema_version');
      return { ok: true, detail: m().database.path };
    });
    const open = () => ctx.db as Database.Database;
    const DB = ['database.open'];

    await step('database.integrity_check', DB, () => {
      const problems = integrityProblems(open(), 'full');
      return problems.length === 0 ? { ok: true, detail: 'ok' } : { ok: false, detail: problems.join('; ') };
    });
    await step('database.foreign_key_check', DB, () => {
      const problems = foreignKeyProblems(open());
      return problems.length === 0 ? { ok: true, detail: 'no violations' } : { ok: false, detail: problems.join('; ') };
    });
    const facts = (() => {
      try {
        return ctx.db ? readDatabaseFacts(open()) : null;
      } catch {
        return null;
      }
    })();
    await step('database.tables', DB, () => {
      if (!facts) return { ok: false, detail: 'cannot read the table list' };
      const missing = EXPECTED_TABLES.filter((table) => !facts.tables.includes(table));
      return missing.length === 0 ? { ok: true, detail: EXPECTED_TABLES.join(', ') } : { ok: false, detail: `missing KafClaw tables: ${missing.join(', ')}` };
    });
    await step('database.schema', DB, () => {
      if (!facts) return { ok: false, detail: 'cannot read the schema' };
      const want = m().database;
      if (facts.userVersion !== want.userVersion) return { ok: false, detail: `user_version ${facts.userVersion}, the manifest says ${want.userVersion}` };
      if (facts.tables.join(',') !== want.tables.join(',')) return { ok: false, detail: `tables [${facts.tables.join(', ')}], the manifest says [${want.tables.join(', ')}]` };
      return { ok: true, detail: `user_version ${facts.userVersion}, ${facts.tables.length} tables` };
    });
    await step('database.row-counts', DB, () => {
      if (!facts) return { ok: false, detail: 'cannot count rows' };
      const want = m().database.rowCounts;
      const off = Object.keys({ ...want, ...facts.rowCounts })
        .filter((table) => want[table] !== facts.rowCounts[table])
        .map((table) => `${table} ${facts.rowCounts[table] ?? 'absent'} (manifest ${want[table] ?? 'absent'})`);
      const total = Object.values(facts.rowCounts).reduce((a, b) => a + b, 0);
      return off.length === 0 ? { ok: true, detail: `${total} rows in ${facts.tables.length} tables` } : { ok: false, detail: off.join('; ') };
    });

    await step('config.parses', ['restore'], async () => {
      const config = m().config;
      if (!config) return { ok: true, skipped: true, detail: 'the backup holds no config' };
      return validateRestoredConfig(restored, config.path);
    });

    await step('identity-files', ['restore'], async () => {
      const present = m().identity.present;
      const missing: string[] = [];
      for (const name of present) {
        const stat = await lstat(join(restored, 'workspace', name)).catch(() => null);
        if (!stat?.isFile()) missing.push(name);
      }
      if (missing.length > 0) return { ok: false, detail: `missing after restore: ${missing.join(', ')}` };
      const note = m().identity.missing.length > 0 ? `; absent at backup time: ${m().identity.missing.join(', ')}` : '';
      return { ok: true, detail: `${present.length} present${note}` };
    });

    ctx.db?.close();
    ctx.db = null;
    await step('gateway.smoke', ['restore', 'database.open'], async () => {
      if (!options.gatewaySmoke) return { ok: false, skipped: true, detail: 'no gateway runtime wired yet (RestoreTestOptions.gatewaySmoke)' };
      return options.gatewaySmoke(restored, m());
    });
  } finally {
    ctx.db?.close();
    if (!options.keepWorkDir) await rm(scratch, { recursive: true, force: true });
  }

  const failed = steps.filter((s) => s.status === 'failed').map((s) => s.name);
  const blockedSteps = steps.filter((s) => s.status === 'skipped' && s.detail.startsWith('not run:'));
  return {
    ok: failed.length === 0 && blockedSteps.length === 0,
    backupDir,
    backupName: ctx.manifest?.name ?? null,
    sourceHost: ctx.manifest?.sourceHost ?? null,
    manifestSha256: ctx.manifestSha256,
    startedAt,
    durationMs: Math.round(performance.now() - started),
    steps,
    failed,
  };
}
