import type { Secret } from '../secrets/secret.js';

export interface RunOptions {
  /** Bytes for the command's standard input; a Secret is revealed only into the pipe. */
  stdin?: string | Buffer | Secret;
  /** Run as root: `sudo -n` when the login is not root already. */
  sudo?: boolean;
  timeoutMs?: number;
  cwd?: string;
}

export interface RunResult {
  exitCode: number;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

export type FileType = 'file' | 'dir' | 'symlink' | 'other';

export interface FileStat {
  type: FileType;
  /** Permission bits only, e.g. 0o600. */
  mode: number;
  uid: number;
  gid: number;
  size: number;
  mtimeMs: number;
}

export interface WriteOptions {
  /** Final mode; the file has it before the first byte is written. */
  mode: number;
  owner?: string;
  group?: string;
  sudo?: boolean;
}

/**
 * Where work runs. `LocalTarget` and `SshTarget` implement the same interface, so checks and
 * resources never know which one they hold.
 */
export interface Target {
  /** Host name used in results and errors. */
  readonly name: string;
  readonly kind: 'local' | 'ssh';
  /** Run an argv (no shell) and return its result; a non-zero exit is a result, not an exception. */
  run(argv: readonly string[], options?: RunOptions): Promise<RunResult>;
  /** Run a POSIX shell script, passed on stdin to `sh -s`. */
  runScript(script: string, options?: Omit<RunOptions, 'stdin'>): Promise<RunResult>;
  /** File contents, or null when the file does not exist. */
  readFile(path: string, options?: { sudo?: boolean }): Promise<Buffer | null>;
  /** Temp file with the final owner and mode, fsync, rename over the destination. */
  writeFileAtomic(path: string, content: string | Buffer | Secret, options: WriteOptions): Promise<void>;
  /** lstat; null when the path does not exist. */
  stat(path: string, options?: { sudo?: boolean }): Promise<FileStat | null>;
  close(): Promise<void>;
}

/** The target could not be reached or authenticated: exit code 3. */
export class TargetUnreachableError extends Error {
  readonly host: string;
  readonly step: string;
  constructor(host: string, step: string, reason: string) {
    super(`${host}: ${step}: ${reason}`);
    this.name = 'TargetUnreachableError';
    this.host = host;
    this.step = step;
  }
}
