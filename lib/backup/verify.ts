import { lstat, readdir, readFile, realpath } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { Secret } from '../secrets/index.js';
import { sha256Bytes, sha256File } from './durable-fs.js';
import { isArchive, withBackupDir } from './archive.js';
import { BackupError } from './errors.js';
import { decryptFile, DecryptionError, macMatches, manifestMac, masterKeyBytes } from './encryption.js';
import { MANIFEST_FILE, MANIFEST_MAC_FILE, MANIFEST_SUM_FILE } from './layout.js';
import { parseManifest, type Manifest } from './manifest.js';

export type ProblemKind = 'archive' | 'manifest' | 'missing' | 'unexpected' | 'not-a-file' | 'size' | 'checksum' | 'decryption' | 'name';

export interface Problem {
  /** Path inside the backup, or '.' for the backup as a whole. */
  path: string;
  kind: ProblemKind;
  detail: string;
}

export interface VerifyResult {
  ok: boolean;
  dir: string;
  manifest: Manifest | null;
  manifestSha256: string | null;
  problems: Problem[];
  filesChecked: number;
  bytesChecked: number;
  /** True when an encrypted backup's content was decrypted and checked (a key was given). */
  decrypted: boolean;
  durationMs: number;
}

export interface VerifyOptions {
  /** Needed to check the content of an encrypted backup and its manifest MAC. */
  encryptionKey?: Secret;
  /**
   * Hash (and decrypt) every file; default true. False checks everything else (the manifest's
   * checksum and MAC, the file set, types and sizes): for a backup just written, whose digests
   * were computed by reading the written files back.
   */
  hashContents?: boolean;
}

async function walk(root: string, rel = ''): Promise<Array<{ path: string; kind: 'file' | 'dir' | 'other' }>> {
  const out: Array<{ path: string; kind: 'file' | 'dir' | 'other' }> = [];
  for (const entry of await readdir(join(root, rel), { withFileTypes: true })) {
    const path = rel ? `${rel}/${entry.name}` : entry.name;
    if (entry.isDirectory()) {
      out.push({ path, kind: 'dir' });
      out.push(...(await walk(root, path)));
    } else {
      out.push({ path, kind: entry.isFile() ? 'file' : 'other' });
    }
  }
  return out;
}

export function formatProblem(problem: Problem): string {
  return `${problem.path}: ${problem.kind}: ${problem.detail}`;
}

/**
 * Check a backup directory without writing anything: the manifest's own checksum (and MAC when
 * encrypted and a key is given), its shape, its name, then every file's presence, type, size and
 * sha256, and that no file is there that the manifest does not list.
 */
export async function verifyBackup(path: string, options: VerifyOptions = {}): Promise<VerifyResult> {
  if (!(await isArchive(path))) return verifyBackupDir(path, options);
  const started = performance.now();
  try {
    return { ...(await withBackupDir(path, (dir) => verifyBackupDir(dir, options))), dir: path, durationMs: Math.round(performance.now() - started) };
  } catch (error) {
    if (!(error instanceof BackupError)) throw error;
    return {
      ok: false, dir: path, manifest: null, manifestSha256: null, filesChecked: 0, bytesChecked: 0, decrypted: false,
      problems: [{ path: '.', kind: 'archive', detail: error.message }],
      durationMs: Math.round(performance.now() - started),
    };
  }
}

/** verifyBackup of a backup directory. */
async function verifyBackupDir(dir: string, options: VerifyOptions): Promise<VerifyResult> {
  const started = performance.now();
  const result: VerifyResult = {
    ok: false,
    dir,
    manifest: null,
    manifestSha256: null,
    problems: [],
    filesChecked: 0,
    bytesChecked: 0,
    decrypted: false,
    durationMs: 0,
  };
  const finish = () => {
    result.ok = result.problems.length === 0;
    result.durationMs = Math.round(performance.now() - started);
    return result;
  };
  const problem = (path: string, kind: ProblemKind, detail: string) => result.problems.push({ path, kind, detail });

  const real = await realpath(dir).catch(() => dir);
  const dirStat = await lstat(real).catch(() => null);
  if (!dirStat?.isDirectory()) {
    problem('.', 'missing', `${dir} is not a directory`);
    return finish();
  }

  let manifestBytes: Buffer;
  let sumText: string;
  try {
    const manifestStat = await lstat(join(dir, MANIFEST_FILE));
    if (!manifestStat.isFile()) throw new Error('not a regular file');
    manifestBytes = await readFile(join(dir, MANIFEST_FILE));
  } catch (error) {
    problem(MANIFEST_FILE, 'missing', `cannot read it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}): not a finished backup`);
    return finish();
  }
  try {
    sumText = await readFile(join(dir, MANIFEST_SUM_FILE), 'utf8');
  } catch {
    problem(MANIFEST_SUM_FILE, 'missing', 'the manifest checksum file is missing: not a finished backup');
    return finish();
  }
  const expectedSum = /^([0-9a-f]{64}) {2}manifest\.json\n?$/.exec(sumText)?.[1];
  const actualSum = sha256Bytes(manifestBytes);
  if (!expectedSum) {
    problem(MANIFEST_SUM_FILE, 'manifest', 'not in `sha256sum` format');
    return finish();
  }
  if (expectedSum !== actualSum) {
    problem(MANIFEST_FILE, 'checksum', 'does not match manifest.json.sha256: the manifest was changed or damaged');
    return finish();
  }
  result.manifestSha256 = actualSum;

  const parsed = parseManifest(manifestBytes.toString('utf8'));
  if (!parsed.ok) {
    for (const detail of parsed.problems) problem(MANIFEST_FILE, 'manifest', detail);
    return finish();
  }
  const manifest = parsed.manifest;
  result.manifest = manifest;
  if (manifest.name !== basename(real)) {
    problem('.', 'name', `the directory is named ${basename(real)} but the manifest says ${manifest.name} (an unfinished or renamed backup)`);
  }

  const encrypted = manifest.encryption !== null;
  let master: Buffer | null = null;
  if (encrypted && options.encryptionKey) {
    try {
      master = masterKeyBytes(options.encryptionKey);
    } catch (error) {
      problem('.', 'decryption', (error as Error).message);
      return finish();
    }
    const macText = await readFile(join(dir, MANIFEST_MAC_FILE), 'utf8').catch(() => null);
    if (macText === null) {
      problem(MANIFEST_MAC_FILE, 'missing', 'an encrypted backup must carry the manifest MAC');
      return finish();
    }
    if (!macMatches(macText.trim(), manifestMac(master, manifestBytes))) {
      problem(MANIFEST_MAC_FILE, 'decryption', 'the manifest MAC does not match: wrong encryption key, or the manifest was forged');
      return finish();
    }
  }

  const expected = new Map(manifest.files.map((file) => [file.path, file]));
  const allowed = new Set([MANIFEST_FILE, MANIFEST_SUM_FILE, ...(encrypted ? [MANIFEST_MAC_FILE] : [])]);
  const dirs = new Set<string>();
  for (const file of manifest.files) {
    const parts = file.path.split('/');
    for (let i = 1; i < parts.length; i++) dirs.add(parts.slice(0, i).join('/'));
  }
  for (const entry of await walk(dir)) {
    if (entry.kind === 'dir' && dirs.has(entry.path)) continue;
    if (entry.kind === 'file' && (expected.has(entry.path) || allowed.has(entry.path))) continue;
    problem(entry.path, 'unexpected', 'not listed in the manifest');
  }

  for (const file of manifest.files) {
    const path = join(dir, file.path);
    const stat = await lstat(path).catch(() => null);
    if (!stat) {
      problem(file.path, 'missing', 'listed in the manifest but absent');
      continue;
    }
    if (!stat.isFile()) {
      problem(file.path, 'not-a-file', 'not a regular file (a symlink or a directory)');
      continue;
    }
    const want = file.stored ?? { size: file.size, sha256: file.sha256 };
    if (stat.size !== want.size) {
      problem(file.path, 'size', `${stat.size} bytes, the manifest says ${want.size}`);
      continue;
    }
    if (options.hashContents === false) continue;
    const digest = await sha256File(path);
    result.filesChecked++;
    result.bytesChecked += digest.size;
    if (digest.sha256 !== want.sha256) {
      problem(file.path, 'checksum', 'sha256 differs from the manifest');
      continue;
    }
    if (master) {
      try {
        const plain = await decryptFile(path, file.path, master);
        if (plain.size !== file.size || plain.sha256 !== file.sha256) problem(file.path, 'checksum', 'the decrypted content differs from the manifest');
      } catch (error) {
        if (!(error instanceof DecryptionError)) throw error;
        problem(file.path, 'decryption', error.message);
      }
    }
  }
  result.decrypted = master !== null && options.hashContents !== false;
  return finish();
}
