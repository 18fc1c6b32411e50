import { spawn } from 'node:child_process';
import { constants, promises as fs } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { userInfo } from 'node:os';
import { Secret } from '../secrets/secret.js';
import type { FileStat, FileType, RunOptions, RunResult, Target, WriteOptions } from './types.js';

function fileType(stats: import('node:fs').Stats): FileType {
  if (stats.isSymbolicLink()) return 'symlink';
  if (stats.isDirectory()) return 'dir';
  if (stats.isFile()) return 'file';
  return 'other';
}

export function toFileStat(stats: import('node:fs').Stats): FileStat {
  return {
    type: fileType(stats),
    mode: stats.mode & 0o7777,
    uid: stats.uid,
    gid: stats.gid,
    size: stats.size,
    mtimeMs: stats.mtimeMs,
  };
}

function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

/** The machine this process runs on. */
export class LocalTarget implements Target {
  readonly name: string;
  readonly kind = 'local' as const;

  constructor(name = 'localhost') {
    this.name = name;
  }

  run(argv: readonly string[], options: RunOptions = {}): Promise<RunResult> {
    const [command, ...args] = options.sudo && !isRoot() ? ['sudo', '-n', '--', ...argv] : argv;
    if (!command) return Promise.reject(new Error('run: empty argv'));
    return new Promise((resolve) => {
      const child = spawn(command, args, {
        cwd: options.cwd,
        stdio: ['pipe', 'pipe', 'pipe'],
        detached: true,
      });
      let timedOut = false;
      // Kill the whole process group: a shell's children would otherwise hold the pipes open.
      const timer = options.timeoutMs === undefined ? undefined : setTimeout(() => {
        timedOut = true;
        try {
          process.kill(-child.pid!, 'SIGKILL');
        } catch {
          child.kill('SIGKILL');
        }
      }, options.timeoutMs);
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      let spawnError: Error | null = null;
      child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
      child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
      child.on('error', (error) => {
        spawnError = error;
      });
      child.stdin.on('error', () => {});
      const stdin = options.stdin instanceof Secret ? options.stdin.reveal() : options.stdin;
      child.stdin.end(stdin ?? '');
      child.on('close', (code, signal) => {
        clearTimeout(timer);
        const stderr = Buffer.concat(err).toString('utf8');
        resolve({
          exitCode: spawnError ? 127 : code ?? 128 + (signal === 'SIGKILL' ? 9 : 15),
          stdout: Buffer.concat(out).toString('utf8'),
          stderr: spawnError ? `${command}: ${(spawnError as Error).message}` : stderr,
          timedOut,
        });
      });
    });
  }

  runScript(script: string, options: Omit<RunOptions, 'stdin'> = {}): Promise<RunResult> {
    return this.run(['sh', '-s'], { ...options, stdin: script });
  }

  async readFile(path: string): Promise<Buffer | null> {
    try {
      return await fs.readFile(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  async writeFileAtomic(path: string, content: string | Buffer | Secret, options: WriteOptions): Promise<void> {
    const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
    const bytes = content instanceof Secret ? content.reveal() : content;
    const handle = await fs.open(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, options.mode);
    try {
      await handle.chmod(options.mode);
      if (options.owner || options.group) {
        const uid = options.owner ? await this.#id('-u', options.owner) : -1;
        const gid = options.group ? await this.#id('-g', options.group) : -1;
        await handle.chown(uid, gid);
      }
      await handle.writeFile(bytes);
      await handle.sync();
    } catch (error) {
      await handle.close();
      await fs.rm(temp, { force: true });
      throw error;
    }
    await handle.close();
    try {
      await fs.rename(temp, path);
    } catch (error) {
      await fs.rm(temp, { force: true });
      throw error;
    }
    const dir = await fs.open(dirname(path), 'r');
    try {
      await dir.sync();
    } finally {
      await dir.close();
    }
  }

  async #id(flag: '-u' | '-g', name: string): Promise<number> {
    if (/^\d+$/.test(name)) return Number(name);
    if (flag === '-u' && name === userInfo().username) return userInfo().uid;
    const result = await this.run(flag === '-u' ? ['id', '-u', name] : ['getent', 'group', name]);
    if (result.exitCode !== 0) throw new Error(`unknown ${flag === '-u' ? 'user' : 'group'} "${name}"`);
    const value = flag === '-u' ? result.stdout.trim() : result.stdout.split(':')[2];
    return Number(value);
  }

  async stat(path: string): Promise<FileStat | null> {
    try {
      return toFileStat(await fs.lstat(path));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return null;
      throw error;
    }
  }

  async close(): Promise<void> {}
}
