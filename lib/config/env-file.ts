/**
 * The env files KafClaw loads before reading its config (facts §1.3): KEY=VALUE lines, an optional
 * `export ` prefix, `#` comments, one layer of matching quotes stripped. No escapes, no inline comments.
 */
import { posix } from 'node:path';
import type { EnvMap } from './paths.js';
import { assignOwn } from './key-path.js';

export interface EnvFileEntry {
  name: string;
  value: string;
  line: number;
}

function trimOptionalQuotes(value: string): string {
  if (value.length < 2) return value;
  const first = value[0];
  if ((first === '"' || first === "'") && value.endsWith(first)) return value.slice(1, -1);
  return value;
}

/** Every definition in file order, duplicates included (the first one is the one KafClaw uses). */
export function parseEnvFileEntries(text: string): EnvFileEntry[] {
  const entries: EnvFileEntry[] = [];
  const lines = text.split('\n');
  lines.forEach((raw, index) => {
    let line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    if (line.startsWith('export ')) line = line.slice('export '.length).trim();
    const equals = line.indexOf('=');
    if (equals <= 0) return;
    const name = line.slice(0, equals).trim();
    if (name === '') return;
    entries.push({ name, value: trimOptionalQuotes(line.slice(equals + 1).trim()), line: index + 1 });
  });
  return entries;
}

/** Name → value as KafClaw reads the file: the first definition of a name wins. */
export function parseEnvFile(text: string): Record<string, string> {
  const values: Record<string, string> = {};
  for (const entry of parseEnvFileEntries(text)) {
    if (!Object.hasOwn(values, entry.name)) assignOwn(values, entry.name, entry.value);
  }
  return values;
}

/**
 * The candidate env files in KafClaw's order: `$KAFCLAW_ENV_FILE`, `$HOME/.config/kafclaw/env`,
 * `$HOME/.kafclaw/env`, `$HOME/.kafclaw/.env` (HOME, not KAFCLAW_HOME), without duplicates.
 */
export function envFileCandidates(env: EnvMap, home: string | undefined, cwd: string): string[] {
  const candidates: string[] = [];
  const explicit = env.KAFCLAW_ENV_FILE?.trim();
  if (explicit) candidates.push(posix.resolve(cwd, explicit));
  if (home) {
    candidates.push(
      posix.join(home, '.config', 'kafclaw', 'env'),
      posix.join(home, '.kafclaw', 'env'),
      posix.join(home, '.kafclaw', '.env'),
    );
  }
  return [...new Set(candidates)];
}

export interface LayeredEnv {
  /** Process env plus every file-defined name the process env lacked. */
  env: Record<string, string>;
  /** For each name: `'process'` or the env file that defined it. */
  sources: Record<string, string>;
  /** What the env files alone define (first definition wins), including names the process env shadows. */
  fileEnv: Record<string, string>;
  /** For each name of `fileEnv`: the env file that defined it. */
  fileSources: Record<string, string>;
}

/** Files in candidate order; the first definition of a name wins and the process env is never overridden. */
export function layerEnvFiles(processEnv: EnvMap, files: readonly { path: string; text: string }[]): LayeredEnv {
  const env: Record<string, string> = {};
  const sources: Record<string, string> = {};
  for (const [name, value] of Object.entries(processEnv)) {
    if (value === undefined) continue;
    assignOwn(env, name, value);
    assignOwn(sources, name, 'process');
  }
  const fileEnv: Record<string, string> = {};
  const fileSources: Record<string, string> = {};
  for (const file of files) {
    for (const entry of parseEnvFileEntries(file.text)) {
      if (Object.hasOwn(fileEnv, entry.name)) continue;
      assignOwn(fileEnv, entry.name, entry.value);
      assignOwn(fileSources, entry.name, file.path);
      if (Object.hasOwn(env, entry.name)) continue;
      assignOwn(env, entry.name, entry.value);
      assignOwn(sources, entry.name, file.path);
    }
  }
  return { env, sources, fileEnv, fileSources };
}
