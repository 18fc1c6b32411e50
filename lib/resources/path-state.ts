import type { FactProbe } from '../facts/types.js';
import type { FileType } from '../target/types.js';
import { shellQuote } from '../target/quote.js';
import { fileTypeOf } from '../facts/parse-file-type.js';

/** What a resource needs to know about one path: type, mode, owner and, for a regular file, its hash. */
export type PathState =
  | { exists: false }
  | { exists: true; type: FileType; mode: number; owner: string; group: string; uid: number; gid: number; sha256: string | null };

export const STAT_LINE = "stat -c '%F|%a|%U|%G|%u|%g' --";

/** The hex digest at the start of a `sha256sum` output line (`HASH  -`), or null. Probes leave out `| cut`: one process less per file. */
export function sha256Of(line: string | undefined): string | null {
  const match = /^([0-9a-f]{64})(?:\s|$)/.exec(line?.trim() ?? '');
  return match ? match[1]! : null;
}

export { fileTypeOf };

/** One `%F|%a|%U|%G|%u|%g` line, or null when the line is not one. */
export function parseStatFields(line: string): Omit<Extract<PathState, { exists: true }>, 'sha256'> | null {
  const match = /^([a-z ]+)\|([0-7]+)\|([^|]*)\|([^|]*)\|(\d+)\|(\d+)$/.exec(line.trim());
  if (!match) return null;
  return {
    exists: true,
    type: fileTypeOf(match[1]!),
    mode: parseInt(match[2]!, 8),
    owner: match[3]!,
    group: match[4]!,
    uid: Number(match[5]),
    gid: Number(match[6]),
  };
}

/** Output: `@@missing`, or the stat line and, for a regular file, its sha256 on the next line. */
export function parsePathState(path: string, output: string, exitCode: number): PathState {
  const lines = output.split('\n').filter((line) => line !== '');
  if (lines[0] === '@@missing') return { exists: false };
  const stat = parseStatFields(lines[0] ?? '');
  if (!stat) throw new Error(`cannot stat ${path}: ${lines[0] ?? `exit ${exitCode}`}`);
  if (stat.type !== 'file') return { ...stat, sha256: null };
  const hash = sha256Of(lines[1]);
  if (exitCode !== 0 || hash === null) throw new Error(`cannot read ${path}: ${lines[1]?.trim() || `exit ${exitCode}`}`);
  return { ...stat, sha256: hash };
}

/** Stat a path (without following a final symlink) and hash it when it is a regular file. */
export function pathStateProbe(key: string, path: string): FactProbe<PathState> {
  const quoted = shellQuote(path);
  return {
    key,
    root: true,
    script: [
      `if [ -e ${quoted} ] || [ -L ${quoted} ]; then ${STAT_LINE} ${quoted} || exit 1`,
      `  if [ -f ${quoted} ] && [ ! -L ${quoted} ]; then sha256sum < ${quoted}; fi`,
      'else echo @@missing; fi',
    ].join('\n'),
    parse: (output, exitCode) => parsePathState(path, output, exitCode),
  };
}
