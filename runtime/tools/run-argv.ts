import { spawn } from 'node:child_process';

export interface RunOptions {
  cwd: string;
  env: Record<string, string>;
  timeoutMs: number;
  /** Bytes kept of stdout and of stderr each; the rest is read and dropped, so the program is never blocked on a full pipe. */
  maxBytes: number;
}

export interface RunOutcome {
  /** null when the process ended by a signal (including our kill on timeout) or never started. */
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  /** Set when the program could not be started (not found, not executable). */
  spawnError?: string;
  stdout: Buffer;
  stderr: Buffer;
  truncated: boolean;
  durationMs: number;
}

/**
 * Runs argv directly (no shell: no globbing, no expansion, no chaining) with stdin closed, in its
 * own process group so that a timeout kills whatever it started as well.
 */
export function runArgv(argv: readonly string[], options: RunOptions): Promise<RunOutcome> {
  const started = Date.now();
  const [program, ...args] = argv;
  return new Promise((resolve) => {
    const collected = { stdout: [] as Buffer[], stderr: [] as Buffer[] };
    const sizes = { stdout: 0, stderr: 0 };
    let truncated = false;
    let timedOut = false;
    let spawnError: string | undefined;
    const child = spawn(program ?? '', args, {
      cwd: options.cwd,
      env: options.env,
      shell: false,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      windowsHide: true,
    });
    const keep = (stream: 'stdout' | 'stderr') => (chunk: Buffer) => {
      const room = options.maxBytes - sizes[stream];
      if (room <= 0) {
        truncated = true;
        return;
      }
      const part = chunk.length > room ? chunk.subarray(0, room) : chunk;
      if (part.length < chunk.length) truncated = true;
      collected[stream].push(part);
      sizes[stream] += part.length;
    };
    child.stdout.on('data', keep('stdout'));
    child.stderr.on('data', keep('stderr'));
    const killGroup = () => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup();
    }, options.timeoutMs);
    child.on('error', (error: NodeJS.ErrnoException) => {
      spawnError = error.code === 'ENOENT' ? `${program}: program not found` : `${program}: could not start (${error.code ?? 'error'})`;
    });
    child.on('close', (exitCode, signal) => {
      clearTimeout(timer);
      // anything the program left running in its group goes with it
      if (!spawnError) killGroup();
      resolve({
        exitCode: spawnError ? null : exitCode,
        signal,
        timedOut,
        ...(spawnError ? { spawnError } : {}),
        stdout: Buffer.concat(collected.stdout),
        stderr: Buffer.concat(collected.stderr),
        truncated,
        durationMs: Date.now() - started,
      });
    });
  });
}
