/**
 * Edits to config.json for `doctor --fix`: the parsed JSON tree is edited (never the zod output), so
 * keys this model does not know and their order survive. The file is backed up first (0600, see
 * backup.ts), then replaced atomically with its mode and owner kept.
 */
import { posix } from 'node:path';
import { isSecret } from '../secrets/secret.js';
import { LocalTarget } from '../target/local.js';
import type { Target } from '../target/types.js';
import { ConfigError } from './errors.js';
import { isPlainObject } from './includes.js';
import type { JsonObject } from './includes.js';
import { parseConfigJson } from './json-file.js';
import { assignOwn } from './key-path.js';
import { backUpBeforeEdit, noteCreated } from './backup.js';

export { backupPathFor } from './backup.js';

export interface ConfigEdit {
  keyPath: readonly string[];
  /** The new value; `undefined` deletes the key. */
  value: unknown;
}

export type FileIo = Pick<Target, 'readFile' | 'writeFileAtomic' | 'stat' | 'run'>;

export interface EditResult {
  changed: boolean;
  /**
   * The backup holding the file as it was before the change: inside a fix run, the one the run's
   * first edit of the file wrote. Absent when nothing changed or the file was new.
   */
  backupPath?: string;
}

type Container = JsonObject | unknown[];

function child(container: Container, segment: string): unknown {
  if (Array.isArray(container)) return /^\d+$/.test(segment) ? container[Number(segment)] : undefined;
  return Object.hasOwn(container, segment) ? container[segment] : undefined;
}

function isContainer(value: unknown): value is Container {
  return Array.isArray(value) || isPlainObject(value);
}

/** Applies edits to a JSON tree in place; returns whether anything changed. Pure apart from the tree. */
export function applyConfigEdits(tree: JsonObject, edits: readonly ConfigEdit[], path = 'config.json'): boolean {
  let changed = false;
  for (const edit of edits) {
    if (edit.keyPath.length === 0) throw new ConfigError('an edit needs a non-empty key path', { path });
    if (containsSecret(edit.value)) {
      throw new ConfigError('refusing to write a secret value into config.json; put it in the env file and reference it as ${VAR}', {
        path,
        key: edit.keyPath.join('.'),
      });
    }
    let node: Container = tree;
    const parents = edit.keyPath.slice(0, -1);
    let missing = false;
    for (const segment of parents) {
      let next = child(node, segment);
      if (!isContainer(next)) {
        if (edit.value === undefined) {
          missing = true;
          break;
        }
        if (Array.isArray(node)) {
          throw new ConfigError(`cannot set ${edit.keyPath.join('.')}: no element ${segment} in that array`, { path, key: edit.keyPath.join('.') });
        }
        next = {};
        assignOwn(node, segment, next);
      }
      node = next as Container;
    }
    if (missing) continue;
    const last = edit.keyPath[edit.keyPath.length - 1]!;
    const before = child(node, last);
    if (JSON.stringify(before) === JSON.stringify(edit.value)) continue;
    if (Array.isArray(node)) {
      if (!/^\d+$/.test(last) || Number(last) > node.length) {
        throw new ConfigError(`cannot set ${edit.keyPath.join('.')}: not an index of that array`, { path, key: edit.keyPath.join('.') });
      }
      if (edit.value === undefined) node.splice(Number(last), 1);
      else node[Number(last)] = edit.value;
    } else if (edit.value === undefined) {
      delete node[last];
    } else {
      assignOwn(node, last, structuredClone(edit.value));
    }
    changed = true;
  }
  return changed;
}

function containsSecret(value: unknown): boolean {
  if (isSecret(value)) return true;
  if (Array.isArray(value)) return value.some(containsSecret);
  if (isPlainObject(value)) return Object.values(value).some(containsSecret);
  return false;
}

/** Serialises like the original: same indentation (or none), trailing newline kept. */
export function formatLike(original: string, tree: unknown): string {
  const indent = /\n([ \t]+)"/.exec(original)?.[1];
  const body = original.includes('\n') || original.trim() === '' ? JSON.stringify(tree, null, indent ?? 2) : JSON.stringify(tree);
  return original === '' || original.endsWith('\n') ? `${body}\n` : body;
}

/** Creates a missing directory 0700 (mode applies to the last component only, as mkdir -p -m does). */
export async function ensurePrivateDir(io: FileIo, dir: string): Promise<void> {
  const stat = await io.stat(dir);
  if (stat?.type === 'dir') return;
  if (stat) throw new ConfigError(`${dir} exists but is not a directory`, { path: dir });
  const result = await io.run(['mkdir', '-p', '-m', '700', '--', dir]);
  if (result.exitCode !== 0) throw new ConfigError(`cannot create ${dir}: ${result.stderr.trim()}`, { path: dir });
}

/**
 * Sets or deletes keys in a config file in place. A missing file is created 0600 (in a 0700 dir);
 * an existing one is backed up to `<name>.bak-<UTC timestamp>` (0600, once per fix run), then replaced
 * atomically with the same mode and owner. Nothing is written when no value changes.
 */
export async function editConfigFile(
  path: string,
  edits: readonly ConfigEdit[],
  io: FileIo = new LocalTarget(),
  options: { now?: Date } = {},
): Promise<EditResult> {
  const stat = await io.stat(path);
  if (stat && stat.type !== 'file') {
    throw new ConfigError(`not a regular file (${stat.type}); edit the file it points to instead`, { path });
  }
  const original = stat ? ((await io.readFile(path))?.toString('utf8') ?? '') : '';
  const parsed = original.trim() === '' ? {} : parseConfigJson(original, path);
  if (parsed !== null && !isPlainObject(parsed)) {
    throw new ConfigError('the config must be a JSON object ({ ... }) at the top level', { path, line: 1, column: 1 });
  }
  const tree: JsonObject = parsed ?? {};
  if (!applyConfigEdits(tree, edits, path)) return { changed: false };

  const text = formatLike(original === '' ? '\n' : original, tree);
  if (!stat) {
    await ensurePrivateDir(io, posix.dirname(path));
    await io.writeFileAtomic(path, text, { mode: 0o600 });
    noteCreated(path);
    return { changed: true };
  }
  const backupPath = await backUpBeforeEdit(io, path, original, stat, options.now);
  await io.writeFileAtomic(path, text, { mode: stat.mode, owner: String(stat.uid), group: String(stat.gid) });
  return backupPath ? { changed: true, backupPath } : { changed: true };
}
