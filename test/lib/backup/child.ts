// Test helper (not a suite): start a TypeScript child process and follow its output lines.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface RunningChild {
  child: ChildProcess;
  /** Resolves when the child has printed a line equal to `line` (now or earlier). */
  waitFor(line: string): Promise<void>;
}

export function startChild(script: string, args: string[]): Promise<RunningChild> {
  const path = fileURLToPath(new URL(script, import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', path, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  const waiters: Array<{ line: string; resolve: () => void; reject: (e: Error) => void }> = [];
  const seen = (line: string) => out.split('\n').slice(0, -1).includes(line);
  const settle = () => {
    for (const waiter of [...waiters]) {
      if (seen(waiter.line)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
  };
  child.stderr!.on('data', (chunk) => (err += chunk));
  child.stdout!.on('data', (chunk) => {
    out += chunk;
    settle();
  });
  child.on('exit', (code, signal) => {
    for (const waiter of waiters.splice(0)) waiter.reject(new Error(`child ${script} exited (${code ?? signal}) before "${waiter.line}": ${err}`));
  });
  const running: RunningChild = {
    child,
    waitFor: (line) =>
      new Promise<void>((resolve, reject) => {
        waiters.push({ line, resolve, reject });
        settle();
      }),
  };
  return running.waitFor('ready').then(() => running);
}

export function stopChild(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill(signal);
  });
}
