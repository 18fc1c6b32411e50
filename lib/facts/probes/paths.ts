import type { FactProbe } from '../types.js';
import type { FileType } from '../../target/types.js';
import { posix } from 'node:path';
import { shellQuote } from '../../target/quote.js';
import { fileTypeOf } from '../parse-file-type.js';

export interface PathFacts {
  path: string;
  exists: boolean;
  type?: FileType;
  mode?: number;
  uid?: number;
  gid?: number;
  /** The path with every symlink resolved (`readlink -f`); equal to `path` when there are none. */
  realpath?: string;
}

/** Every path that starts with `prefix` and has no `/` after it, e.g. `{ prefix: '/x/config.json.bak-' }`. */
export interface PathPrefix {
  prefix: string;
}

/** A path, or the paths of one directory that start with a prefix (the shell's `prefix*`). */
export type PathSpec = string | PathPrefix;

/** A spec as one shell word: a path quoted, a prefix quoted with an unquoted `*` after it. */
export function shellPattern(spec: PathSpec): string {
  return typeof spec === 'string' ? shellQuote(spec) : `${shellQuote(spec.prefix)}*`;
}

/** Whether `path` is one of the paths a prefix among `specs` stands for (a plain path matches nothing). */
export function matchesPrefix(specs: readonly PathSpec[], path: string): boolean {
  return specs.some((spec) => typeof spec !== 'string' && path.startsWith(spec.prefix) && !path.slice(spec.prefix.length).includes('/'));
}

/**
 * Three sections: `stat` lines `%F|%a|%u|%g|%n` for every path that exists (or is a dangling link);
 * after `@@resolving`, the paths that resolve, one a line; after `@@resolved`, `readlink -f` of each,
 * in the same order.
 */
export function parsePathFacts(paths: readonly PathSpec[], text: string): Map<string, PathFacts> {
  const result = new Map<string, PathFacts>();
  for (const path of paths) if (typeof path === 'string') result.set(path, { path, exists: false });
  const [statPart = '', rest = ''] = text.split('@@resolving\n');
  const [resolvingPart = '', resolvedPart = ''] = rest.split('@@resolved\n');
  for (const line of statPart.split('\n')) {
    const fields = line.split('|');
    if (fields.length < 5) continue;
    const [type = '', mode = '0', uid = '0', gid = '0', ...name] = fields;
    const path = name.join('|');
    if (!result.has(path) && !matchesPrefix(paths, path)) continue;
    result.set(path, { path, exists: true, type: fileTypeOf(type), mode: parseInt(mode, 8), uid: Number(uid), gid: Number(gid), realpath: path });
  }
  const resolving = resolvingPart.split('\n').filter(Boolean);
  const resolved = resolvedPart.split('\n').filter(Boolean);
  if (resolving.length === resolved.length) {
    resolving.forEach((path, index) => {
      const fact = result.get(path);
      if (fact?.exists) fact.realpath = resolved[index]!;
    });
  }
  return result;
}

/**
 * Stat and resolve every path in one probe: one `stat` and one `readlink` process for all of them.
 * A prefix adds each existing path it matches to the map; a missing plain path is there as not existing.
 */
export function pathsProbe(key: string, paths: readonly PathSpec[]): FactProbe<Map<string, PathFacts>> {
  const list = paths.map(shellPattern).join(' ');
  const script = paths.length === 0 ? 'true' : [
    `set --; for p in ${list}; do if [ -e "$p" ] || [ -L "$p" ]; then set -- "$@" "$p"; fi; done`,
    `if [ $# -gt 0 ]; then stat -c '%F|%a|%u|%g|%n' -- "$@"; fi`,
    'echo @@resolving',
    `set --; for p in ${list}; do if [ -e "$p" ]; then set -- "$@" "$p"; printf '%s\\n' "$p"; fi; done`,
    'echo @@resolved',
    'if [ $# -gt 0 ]; then readlink -f -- "$@"; fi',
  ].join('\n');
  return { key, script, parse: (text) => parsePathFacts(paths, text) };
}

export interface GitFacts {
  path: string;
  /** The work tree the file sits in, or null when it is not inside one. */
  workTree: string | null;
  tracked: boolean;
  ignored: boolean;
}

/**
 * Per directory: `@@dir INDEX|TOPLEVEL` when it sits in a work tree, then `t NAME` for each tracked
 * and `i NAME` for each ignored file of that directory.
 */
export function parseGitFacts(paths: readonly string[], dirs: readonly string[], text: string): GitFacts[] {
  const facts = paths.map((path): GitFacts => ({ path, workTree: null, tracked: false, ignored: false }));
  let dir: string | null = null;
  let top: string | null = null;
  for (const line of text.split('\n')) {
    const header = /^@@dir (\d+)\|(.*)$/.exec(line);
    if (header) {
      dir = dirs[Number(header[1])] ?? null;
      top = header[2] ?? null;
      for (const fact of facts) if (dir !== null && posix.dirname(fact.path) === dir) fact.workTree = top;
      continue;
    }
    const entry = /^([ti]) (.*)$/.exec(line);
    if (!entry || dir === null) continue;
    const fact = facts.find((f) => f.path === posix.join(dir!, entry[2]!));
    if (!fact) continue;
    if (entry[1] === 't') fact.tracked = true;
    else fact.ignored = true;
  }
  return facts;
}

/** One `git rev-parse`, `ls-files` and `check-ignore` per directory, whatever the number of files. */
export function gitProbe(key: string, paths: readonly string[]): FactProbe<GitFacts[]> {
  const dirs = [...new Set(paths.map((path) => posix.dirname(path)))];
  const lines = dirs.map((dir, index) => {
    const names = paths.filter((p) => posix.dirname(p) === dir).map((p) => shellQuote(posix.basename(p))).join(' ');
    const quoted = shellQuote(dir);
    return [
      `if [ -d ${quoted} ] && top=$(git -C ${quoted} rev-parse --show-toplevel 2>/dev/null); then echo "@@dir ${index}|$top";`,
      `  git -C ${quoted} ls-files -- ${names} 2>/dev/null | sed 's/^/t /'`,
      `  git -C ${quoted} check-ignore -- ${names} 2>/dev/null | sed 's/^/i /'; fi`,
    ].join('\n');
  });
  return {
    key,
    script: 'command -v git >/dev/null 2>&1 || exit 0\n' + (lines.join('\n') || 'true'),
    parse: (text) => parseGitFacts(paths, dirs, text),
  };
}
