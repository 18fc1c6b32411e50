import { shellJoin } from './quote.js';
import type { FileStat, FileType } from './types.js';

/** How a command gains root on the remote side. */
export type SudoMode = 'root' | 'nopasswd' | 'password';

/** The command line sent over SSH for an argv: the one place SshTarget turns argv into shell words. */
export function buildRemoteCommand(
  argv: readonly string[],
  options: { sudo?: SudoMode | false; cwd?: string; timeoutMs?: number } = {},
): string {
  if (argv.length === 0) throw new Error('run: empty argv');
  const prefix =
    options.sudo === 'nopasswd'
      ? ['sudo', '-n', '--']
      : options.sudo === 'password'
        ? // -k: always ask, so the password line on stdin is always consumed and never reaches the command.
          ['sudo', '-S', '-k', '-p', '', '--']
        : [];
  // A remote backstop half a second after the local timeout: sshd cannot signal a command run by sudo.
  const limit = options.timeoutMs === undefined ? [] : ['timeout', '-s', 'KILL', `${(options.timeoutMs + 500) / 1000}s`];
  const command = `exec ${shellJoin([...prefix, ...limit, ...argv])}`;
  return options.cwd ? `cd ${shellJoin([options.cwd])} && ${command}` : command;
}

/**
 * Atomic write, one round trip: content arrives on stdin. The temp file is created 0600 by mktemp
 * (O_EXCL, same directory), gets its owner and final mode before the first byte, then the bytes,
 * an fsync, the rename, and an fsync of the directory.
 * Arguments: $1 path, $2 octal mode, $3 owner (may be empty), $4 group (may be empty).
 */
export const WRITE_ATOMIC_SCRIPT = `set -e
d=$(dirname -- "$1"); b=$(basename -- "$1")
t=$(umask 077 && mktemp --suffix=.tmp -- "$d/.$b.XXXXXXXX")
trap 'rm -f -- "$t"' EXIT
if [ -n "$3" ] && [ -n "$4" ]; then chown -- "$3:$4" "$t"
elif [ -n "$3" ]; then chown -- "$3" "$t"
elif [ -n "$4" ]; then chgrp -- "$4" "$t"; fi
chmod -- "$2" "$t"
cat > "$t"
sync -- "$t"
mv -f -- "$t" "$1"
trap - EXIT
sync -- "$d"
`;

export function writeAtomicArgv(path: string, mode: number, owner = '', group = ''): string[] {
  return ['sh', '-c', WRITE_ATOMIC_SCRIPT, 'sh', path, mode.toString(8).padStart(4, '0'), owner, group];
}

/** `stat -c` format read by parseStatLine: raw mode (hex), uid, gid, size, mtime with milliseconds. */
export const STAT_FORMAT = '%f %u %g %s %.3Y';

export function parseStatLine(line: string): FileStat {
  const match = /^([0-9a-f]+) (\d+) (\d+) (\d+) (\d+(?:\.\d+)?)$/.exec(line.trim());
  if (!match) throw new Error(`unexpected stat output: ${JSON.stringify(line.slice(0, 200))}`);
  const raw = parseInt(match[1]!, 16);
  const format = raw & 0o170000;
  const type: FileType =
    format === 0o100000 ? 'file' : format === 0o040000 ? 'dir' : format === 0o120000 ? 'symlink' : 'other';
  return {
    type,
    mode: raw & 0o7777,
    uid: Number(match[2]),
    gid: Number(match[3]),
    size: Number(match[4]),
    mtimeMs: Math.round(Number(match[5]) * 1000),
  };
}

/** errno-like code from a coreutils message (run with LC_ALL=C), so callers can tell missing from unreadable. */
export function errorCodeOf(stderr: string): string | null {
  if (/No such file or directory\s*$/m.test(stderr)) return 'ENOENT';
  if (/Not a directory\s*$/m.test(stderr)) return 'ENOTDIR';
  if (/Permission denied\s*$/m.test(stderr)) return 'EACCES';
  if (/Is a directory\s*$/m.test(stderr)) return 'EISDIR';
  return null;
}
