/**
 * `$include` resolution as KafClaw does it: included files (a string or an array, relative to the
 * including file) are deep-merged first, then the file's own keys over them; arrays and scalars
 * replace, objects merge. Cycles are an error. No `${VAR}` substitution happens here.
 */
import { posix } from 'node:path';
import { ConfigError } from './errors.js';
import { parseConfigJson } from './json-file.js';
import type { KeySegments } from './key-path.js';
import { assignOwn, getAtPath } from './key-path.js';

export type JsonObject = Record<string, unknown>;
export type ReadFile = (path: string) => Promise<Buffer | null>;

export interface ConfigTree {
  /** Merged content, `$include` keys removed. */
  object: JsonObject;
  /** Raw text of every file read, by absolute path (for locating keys). */
  texts: Map<string, string>;
  /** Included files in the order they were read. */
  includes: string[];
  /** Each file's own keys (without `$include`) in merge order: includes first, the including file last. */
  layers: { path: string; object: JsonObject }[];
}

export function isPlainObject(value: unknown): value is JsonObject {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/** Deep merge of `source` into `target` (mutates target): objects merge, everything else replaces. */
export function deepMerge(target: JsonObject, source: JsonObject): void {
  for (const [key, value] of Object.entries(source)) {
    if (isPlainObject(value)) {
      const existing = Object.hasOwn(target, key) ? target[key] : undefined;
      const into: JsonObject = isPlainObject(existing) ? existing : {};
      assignOwn(target, key, into);
      deepMerge(into, value);
    } else {
      assignOwn(target, key, value);
    }
  }
}

function includeList(value: unknown, path: string, text: string): string[] {
  const where = () => ({ path, key: '$include', ...lineOf(text) });
  if (typeof value === 'string') return value.trim() === '' ? [] : [value];
  if (Array.isArray(value)) {
    return value.filter((item): item is string => {
      if (typeof item !== 'string') throw new ConfigError('$include entries must be strings (paths to JSON files)', where());
      return item.trim() !== '';
    });
  }
  throw new ConfigError('$include must be a string or an array of strings', where());
}

function lineOf(text: string): { line?: number } {
  const index = text.indexOf('"$include"');
  return index < 0 ? {} : { line: text.slice(0, index).split('\n').length };
}

async function readText(readFile: ReadFile, path: string): Promise<string | null> {
  let bytes: Buffer | null;
  try {
    bytes = await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'EACCES' ? 'permission denied; run as the file owner or with sudo' : code === 'EISDIR' ? 'it is a directory, not a file' : (error as Error).message;
    throw new ConfigError(`cannot read the config file: ${reason}`, { path });
  }
  return bytes === null ? null : bytes.toString('utf8');
}

/**
 * Reads `path` and its includes. Returns null when `path` itself does not exist (KafClaw then uses
 * the defaults); a missing included file is an error.
 */
export async function readConfigTree(path: string, readFile: ReadFile): Promise<ConfigTree | null> {
  const tree: ConfigTree = { object: {}, texts: new Map(), includes: [], layers: [] };
  const root = await readText(readFile, path);
  if (root === null) return null;
  tree.object = await load(path, root, [], tree, readFile);
  return tree;
}

async function load(path: string, text: string, chain: string[], tree: ConfigTree, readFile: ReadFile): Promise<JsonObject> {
  tree.texts.set(path, text);
  const parsed = parseConfigJson(text, path);
  if (parsed !== null && !isPlainObject(parsed)) {
    throw new ConfigError('the config must be a JSON object ({ ... }) at the top level', { path, line: 1, column: 1 });
  }
  const own: JsonObject = parsed ?? {};
  const merged: JsonObject = {};
  if (Object.hasOwn(own, '$include')) {
    for (const include of includeList(own.$include, path, text)) {
      const target = posix.isAbsolute(include) ? include : posix.join(posix.dirname(path), include);
      const nextChain = [...chain, path];
      if (nextChain.includes(target)) {
        throw new ConfigError(`$include cycle: ${[...nextChain, target].join(' -> ')}; remove one of these includes`, { path, key: '$include', ...lineOf(text) });
      }
      const childText = await readText(readFile, target);
      if (childText === null) {
        throw new ConfigError(`included file ${target} does not exist; create it or remove it from $include`, { path, key: '$include', ...lineOf(text) });
      }
      tree.includes.push(target);
      const child = await load(target, childText, nextChain, tree, readFile);
      deepMerge(merged, child);
    }
  }
  const { $include: _ignored, ...rest } = own;
  tree.layers.push({ path, object: rest });
  deepMerge(merged, rest);
  return merged;
}

/**
 * The file whose value for a key survived the merge, or null when no file sets it (or sets null).
 * Inside arrays the whole array is what a file provides, so the array's file is returned.
 */
export function fileProvidingKey(tree: Pick<ConfigTree, 'object' | 'layers'>, segments: KeySegments): string | null {
  let leaf = segments.length;
  for (let i = 0; i < segments.length; i++) {
    if (!isPlainObject(getAtPath(tree.object, segments.slice(0, i + 1)))) {
      leaf = i + 1;
      break;
    }
  }
  const key = segments.slice(0, leaf);
  const value = getAtPath(tree.object, segments);
  if (value === undefined || value === null) return null;
  for (let i = tree.layers.length - 1; i >= 0; i--) {
    const layer = tree.layers[i]!;
    const own = getAtPath(layer.object, key);
    if (own !== undefined && own !== null) return layer.path;
  }
  return null;
}
