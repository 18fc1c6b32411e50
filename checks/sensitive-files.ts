import { posix } from 'node:path';
import type { ConfigFact } from './config-fact.js';
import { matchesPrefix, type PathPrefix } from '../lib/facts/probes/paths.js';
import { envFileCandidates, homeOf, stateDir, timelineDb } from './locations.js';

export interface SensitiveFile {
  path: string;
  kind: 'file' | 'dir';
  /** Must belong to the gateway's user (state it writes); config may belong to root. */
  ownedByRuntime: boolean;
}

/** The paths `secrets.file-permissions` judges and `secrets.config-in-git` looks up. */
export function sensitiveFiles(config: ConfigFact): SensitiveFile[] {
  const files: SensitiveFile[] = [
    { path: stateDir(config), kind: 'dir', ownedByRuntime: true },
    { path: timelineDb(config), kind: 'file', ownedByRuntime: true },
    { path: posix.join(homeOf(config), '.config', 'kafclaw'), kind: 'dir', ownedByRuntime: false },
    { path: config.path, kind: 'file', ownedByRuntime: false },
    ...envFileCandidates(config).map((path): SensitiveFile => ({ path, kind: 'file', ownedByRuntime: false })),
  ];
  const seen = new Set<string>();
  return files.filter((file) => !seen.has(file.path) && seen.add(file.path));
}

/** Config and env files, for the git check. */
export function secretBearingFiles(config: ConfigFact): string[] {
  return [config.path, ...(config.includes ?? []), ...envFileCandidates(config)];
}

/**
 * Where the backups of `doctor --fix` (and of the gateway's config edits) sit: `<file>.bak-<time>` next
 * to config.json and each env file. They hold the secrets the file held before the edit.
 */
export function fixBackupPrefixes(config: ConfigFact): PathPrefix[] {
  return [...new Set([config.path, ...envFileCandidates(config)])].map((path) => ({ prefix: `${path}.bak-` }));
}

/** The file `path` is a fix backup of, or null. */
export function backedUpFile(config: ConfigFact, path: string): string | null {
  const prefix = fixBackupPrefixes(config).find((p) => matchesPrefix([p], path));
  return prefix ? prefix.prefix.slice(0, -'.bak-'.length) : null;
}
