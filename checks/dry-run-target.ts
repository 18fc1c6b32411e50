import { posix } from 'node:path';
import { Secret } from '../lib/secrets/secret.js';
import type { MemoryReadTarget } from '../lib/facts/types.js';
import type { FileStat, RunOptions, RunResult, Target, WriteOptions } from '../lib/target/types.js';

interface SimulatedFile {
  bytes: Buffer;
  mode: number;
  uid: number;
  gid: number;
}

/**
 * The facts a DryRunTarget shows as the fixes would leave them: those that load through `readFile`.
 * After a simulated fix, a check that needs only these is re-run to tell whether it would then pass.
 */
export const SIMULATED_FACTS: ReadonlySet<string> = new Set(['config', 'env.service']);

const OK: RunResult = { exitCode: 0, stdout: '', stderr: '', timedOut: false };
const numeric = (id: string | undefined) => (id !== undefined && /^\d+$/.test(id) ? Number(id) : 0);

/**
 * The host as a dry run's fixes would leave it. Their writes, mkdirs and chmods are kept in memory
 * and read back through `readFile` and `stat` (so the configuration loads as the fixes would leave
 * it); nothing reaches the real target but reads and probe scripts, which are read-only. Facts that
 * probe scripts gather (path modes, leak scans) therefore show the host as it is.
 */
export class DryRunTarget implements MemoryReadTarget {
  /** Probes that can read through `readFile` (a file's content) do, so they see the simulated writes. */
  readonly servesReadsFromMemory = true;
  readonly name: string;
  readonly kind: Target['kind'];
  readonly #real: Target;
  readonly #files = new Map<string, SimulatedFile>();
  readonly #dirs = new Set<string>();
  readonly #modes = new Map<string, number>();
  #applying = false;

  constructor(real: Target) {
    this.#real = real;
    this.name = real.name;
    this.kind = real.kind;
  }

  /** Runs a fix's applies against the memory: a script (which could write anywhere) is refused meanwhile. */
  async simulate(apply: () => Promise<void>): Promise<void> {
    this.#applying = true;
    try {
      await apply();
    } finally {
      this.#applying = false;
    }
  }

  async readFile(path: string, options?: { sudo?: boolean }): Promise<Buffer | null> {
    const file = this.#files.get(path);
    return file ? Buffer.from(file.bytes) : this.#real.readFile(path, options);
  }

  async stat(path: string, options?: { sudo?: boolean }): Promise<FileStat | null> {
    const file = this.#files.get(path);
    const mode = this.#modes.get(path);
    if (file) return { type: 'file', mode: mode ?? file.mode, uid: file.uid, gid: file.gid, size: file.bytes.length, mtimeMs: Date.now() };
    if (this.#dirs.has(path)) return { type: 'dir', mode: mode ?? 0o700, uid: 0, gid: 0, size: 0, mtimeMs: Date.now() };
    const real = await this.#real.stat(path, options);
    return real && mode !== undefined ? { ...real, mode } : real;
  }

  async writeFileAtomic(path: string, content: string | Buffer | Secret, options: WriteOptions): Promise<void> {
    const bytes = content instanceof Secret ? Buffer.from(content.reveal()) : Buffer.from(content);
    this.#files.set(path, { bytes, mode: options.mode, uid: numeric(options.owner), gid: numeric(options.group) });
    this.#modes.delete(path);
  }

  /** Only what the fixes' applies run: `mkdir -p -m MODE -- DIR`, `chmod MODE PATH`, `chown -h OWNER PATH`. */
  async run(argv: readonly string[], _options?: RunOptions): Promise<RunResult> {
    const [command, ...args] = argv;
    if (command === 'mkdir' && args[0] === '-p' && args[1] === '-m' && args[3] === '--' && args.length === 5) {
      for (let dir = args[4]!; dir !== '/' && dir !== '.' && (await this.stat(dir)) === null; dir = posix.dirname(dir)) this.#dirs.add(dir);
      this.#modes.set(args[4]!, parseInt(args[2]!, 8));
      return OK;
    }
    if (command === 'chmod' && args.length === 2 && /^[0-7]{3,4}$/.test(args[0]!)) {
      this.#modes.set(args[1]!, parseInt(args[0]!, 8));
      return OK;
    }
    if (command === 'chown' && args[0] === '-h' && args.length === 3) return OK;
    throw new Error(`a dry run cannot simulate \`${command ?? ''}\`; run the fix for real to see its effect`);
  }

  runScript(script: string, options?: Omit<RunOptions, 'stdin'>): Promise<RunResult> {
    if (this.#applying) return Promise.reject(new Error('a dry run cannot simulate a fix that runs a script; run the fix for real to see its effect'));
    return this.#real.runScript(script, options);
  }

  /** The real target belongs to the caller, who closes it. */
  async close(): Promise<void> {}
}
