import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import { dirname } from 'node:path';

/**
 * An exclusive lock held by a `flock` child process: the kernel releases it when that child dies,
 * and the child dies when our end of its stdin closes, so a crashed holder never leaves it taken.
 */
export async function withFileLock<T>(
  path: string,
  fn: () => Promise<T>,
  options: { timeoutMs?: number; onWait?: () => void } = {},
): Promise<T> {
  await fs.mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const timeoutSeconds = String(Math.ceil((options.timeoutMs ?? 600_000) / 1000));
  const holder = spawn('flock', ['-x', '-w', timeoutSeconds, path, 'sh', '-c', 'echo locked; exec cat >/dev/null'], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  holder.stdin.on('error', () => {});
  const waitNotice = options.onWait ? setTimeout(options.onWait, 500) : null;
  try {
    await new Promise<void>((resolve, reject) => {
      let stderr = '';
      holder.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      holder.stdout.once('data', () => resolve());
      holder.once('error', reject);
      holder.once('exit', (code) => reject(new Error(`could not lock ${path} (flock exit ${code}): ${stderr.trim() || 'timed out'}`)));
    });
  } finally {
    if (waitNotice) clearTimeout(waitNotice);
  }
  try {
    return await fn();
  } finally {
    holder.stdin.end();
    await new Promise((resolve) => (holder.exitCode !== null ? resolve(null) : holder.once('exit', resolve)));
  }
}
