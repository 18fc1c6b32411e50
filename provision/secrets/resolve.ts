import { spawn } from 'node:child_process';
import { stat, readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { isAbsolute, join, resolve as resolvePath } from 'node:path';
import { Secret } from '../../lib/secrets/secret.js';
import type { SecretReference } from './reference.js';
import { describeReference } from './reference.js';

/**
 * A secret reference that cannot be resolved. Names the reference (safe: it says where the value
 * lives, not what it is) and what to do; never the value, never a command's output. Exit 2.
 */
export class SecretResolutionError extends Error {
  /** The reference as shown (a command by its program name only). */
  readonly reference: string;
  readonly exitCode = 2;
  constructor(reference: SecretReference, message: string) {
    const shown = describeReference(reference);
    super(`secret ${shown}: ${message}`);
    this.name = 'SecretResolutionError';
    this.reference = shown;
  }
}

export interface ResolveOptions {
  /** The controller environment; default `process.env`. */
  env?: Record<string, string | undefined>;
  /** Base for relative `file:` paths (`~/` is the home directory); default the working directory. */
  baseDir?: string;
  /** `command:` time limit; default 10 s. */
  commandTimeoutMs?: number;
  /** The user that must own `file:` secrets; default the invoking user. */
  uid?: number;
}

const DEFAULT_COMMAND_TIMEOUT_MS = 10_000;
const MAX_OUTPUT_BYTES = 1024 * 1024;

async function fromFile(reference: SecretReference & { kind: 'file' }, options: ResolveOptions): Promise<string> {
  const expanded = reference.path.startsWith('~/') ? join(homedir(), reference.path.slice(2)) : reference.path;
  const path = isAbsolute(expanded) ? expanded : resolvePath(options.baseDir ?? process.cwd(), expanded);
  let info;
  try {
    info = await stat(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new SecretResolutionError(reference, code === 'ENOENT' ? `${path} does not exist` : `cannot read ${path} (${code})`);
  }
  if (!info.isFile()) throw new SecretResolutionError(reference, `${path} is not a regular file`);
  const mode = info.mode & 0o777;
  if (mode !== 0o600 && mode !== 0o400) {
    throw new SecretResolutionError(reference, `${path} has mode 0${mode.toString(8)}; a secret file must be 0600 or 0400 (chmod 600 ${path})`);
  }
  const uid = options.uid ?? process.getuid?.();
  if (uid !== undefined && info.uid !== uid) {
    throw new SecretResolutionError(reference, `${path} is owned by uid ${info.uid}, not by you (uid ${uid}); a secret file must belong to the user running kafclaw`);
  }
  return (await readFile(path, 'utf8')).replace(/\r?\n$/, '');
}

function fromCommand(reference: SecretReference & { kind: 'command' }, options: ResolveOptions): Promise<string> {
  const timeoutMs = options.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS;
  return new Promise((resolve, reject) => {
    // stderr is discarded: a secret manager may echo the secret or the session there. The command
    // keeps the controlling terminal (no new session), so a manager can still prompt on /dev/tty.
    const child = spawn('/bin/sh', ['-c', reference.command], {
      stdio: ['ignore', 'pipe', 'ignore'],
      env: options.env ? (options.env as NodeJS.ProcessEnv) : process.env,
    });
    let settled = false;
    const timer = setTimeout(() => {
      // A background child of the shell may hold the pipe open: stop reading rather than wait for it.
      settled = true;
      child.kill('SIGKILL');
      child.stdout.destroy();
      reject(new SecretResolutionError(reference, `the command did not finish within ${timeoutMs} ms and was killed`));
    }, timeoutMs);
    const chunks: Buffer[] = [];
    let size = 0;
    child.stdout.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_OUTPUT_BYTES) chunks.push(chunk);
    });
    child.on('error', (error) => {
      clearTimeout(timer);
      if (settled) return;
      settled = true;
      reject(new SecretResolutionError(reference, `cannot start /bin/sh (${(error as NodeJS.ErrnoException).code})`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (settled) return;
      settled = true;
      if (signal) {
        reject(new SecretResolutionError(reference, `the command was killed by ${signal}`));
      } else if (code !== 0) {
        reject(new SecretResolutionError(reference, `the command exited with status ${code}; its output is not shown, run it yourself to see why`));
      } else if (size > MAX_OUTPUT_BYTES) {
        reject(new SecretResolutionError(reference, `the command printed more than ${MAX_OUTPUT_BYTES} bytes; print only the secret`));
      } else {
        resolve(Buffer.concat(chunks).toString('utf8').trim());
      }
    });
  });
}

/** Reads the secret a reference points to, as a `Secret`. An empty value is an error. */
export async function resolveSecretReference(reference: SecretReference, options: ResolveOptions = {}): Promise<Secret> {
  let value: string;
  if (reference.kind === 'env') {
    const env = options.env ?? process.env;
    const found = env[reference.name];
    if (found === undefined) throw new SecretResolutionError(reference, `the environment variable ${reference.name} is not set; export it before running kafclaw`);
    value = found;
  } else if (reference.kind === 'file') {
    value = await fromFile(reference, options);
  } else {
    value = await fromCommand(reference, options);
  }
  if (value.length === 0) throw new SecretResolutionError(reference, 'the value is empty');
  return new Secret(value, describeReference(reference));
}

/** Resolves each distinct reference once per run (a `command:` may prompt or be slow). */
export class SecretResolver {
  readonly #cache = new Map<string, Promise<Secret>>();
  constructor(private readonly options: ResolveOptions = {}) {}

  resolve(reference: SecretReference): Promise<Secret> {
    let pending = this.#cache.get(reference.text);
    if (!pending) {
      pending = resolveSecretReference(reference, this.options);
      this.#cache.set(reference.text, pending);
    }
    return pending;
  }
}
