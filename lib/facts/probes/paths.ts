import type { FactProbe } from '../types.js';
import type { FileType } from '../../target/types.js';
import { shellQuote } from '../../target/quote.js';

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

function fileType(text: string): FileType {
  if (text === 'symbolic link') return 'symlink';
  if (text === 'directory') return 'dir';
  if (text.startsWith('regular')) return 'file';
  return 'other';
}

/** Lines `INDEX|%F|%a|%u|%g|REALPATH` or `INDEX|missing`. */
export function parsePathFacts(paths: readonly string[], text: string): Map<string, PathFacts> {
  const result = new Map<string, PathFacts>();
  for (const path of paths) result.set(path, { path, exists: false });
  for (const line of text.split('\n')) {
    const fields = line.split('|');
    const path = paths[Number(fields[0])];
    if (path === undefined || fields.length < 2 || fields[1] === 'missing') continue;
    const [, type = '', mode = '0', uid = '0', gid = '0', ...rest] = fields;
    result.set(path, {
      path,
      exists: true,
      type: fileType(type),
      mode: parseInt(mode, 8),
      uid: Number(uid),
      gid: Number(gid),
      realpath: rest.join('|') || path,
    });
  }
  return result;
}

/** Stat and resolve every path in one probe. */
export function pathsProbe(key: string, paths: readonly string[]): FactProbe<Map<string, PathFacts>> {
  const lines = paths.map((path, index) => {
    const quoted = shellQuote(path);
    return `if [ -e ${quoted} ] || [ -L ${quoted} ]; then printf '%s|%s|' ${index} "$(stat -c '%F|%a|%u|%g' ${quoted})"; readlink -f ${quoted} || echo; else echo '${index}|missing'; fi`;
  });
  return { key, script: lines.join('\n') || 'true', parse: (text) => parsePathFacts(paths, text) };
}

export interface GitFacts {
  path: string;
  /** The work tree the file sits in, or null when it is not inside one. */
  workTree: string | null;
  tracked: boolean;
  ignored: boolean;
}

/** For each file: is it in a git work tree, tracked, ignored. Lines `INDEX|TOPLEVEL|tracked|ignored`. */
export function parseGitFacts(paths: readonly string[], text: string): GitFacts[] {
  const facts = paths.map((path): GitFacts => ({ path, workTree: null, tracked: false, ignored: false }));
  for (const line of text.split('\n')) {
    const [index, top, tracked, ignored] = line.split('|');
    const fact = facts[Number(index)];
    if (!fact || !top) continue;
    fact.workTree = top;
    fact.tracked = tracked === '1';
    fact.ignored = ignored === '1';
  }
  return facts;
}

export function gitProbe(key: string, paths: readonly string[]): FactProbe<GitFacts[]> {
  const lines = paths.map((path, index) => {
    const quoted = shellQuote(path);
    return [
      `if [ -e ${quoted} ]; then d=$(dirname ${quoted}); b=$(basename ${quoted});`,
      `  top=$(git -C "$d" rev-parse --show-toplevel 2>/dev/null) && {`,
      `    t=0; git -C "$d" ls-files --error-unmatch -- "$b" >/dev/null 2>&1 && t=1;`,
      `    i=0; git -C "$d" check-ignore -q -- "$b" 2>/dev/null && i=1;`,
      `    echo "${index}|$top|$t|$i"; }; fi`,
    ].join('\n');
  });
  return {
    key,
    script: 'command -v git >/dev/null 2>&1 || exit 0\n' + (lines.join('\n') || 'true'),
    parse: (text) => parseGitFacts(paths, text),
  };
}
