import { promises as fs } from 'node:fs';
import { performance } from 'node:perf_hooks';
import type { NodeSSH } from 'node-ssh';
import { Secret } from '../secrets/secret.js';
import { readKnownHosts, sshLogin } from './ssh-connect.js';
import { STAT_FORMAT, buildRemoteCommand, errorCodeOf, parseStatLine, writeAtomicArgv } from './remote-shell.js';
import type { SudoMode } from './remote-shell.js';
import { ChannelGate, execOnChannel } from './ssh-channel.js';
import type { ChannelOutput, ExecClient } from './ssh-channel.js';
import { TargetUnreachableError } from './types.js';
import type { FileStat, RunOptions, RunResult, Target, WriteOptions } from './types.js';

export interface SshTargetOptions {
  host: string;
  port?: number;
  /** The login; `root` needs no sudo. */
  user: string;
  /** Name used in results and errors; defaults to the host. */
  name?: string;
  privateKeyPath?: string;
  privateKey?: Secret;
  passphrase?: Secret;
  /** For `sudo -S` when the login's sudo asks for one; written to sudo's stdin, never on a command line. */
  sudoPassword?: Secret;
  /** OpenSSH known_hosts file that the host key must be in. */
  knownHostsPath: string;
  /** Record an unknown host key in knownHostsPath instead of refusing it (a changed key is always refused). */
  acceptNewHostKeys?: boolean;
  /** Tried, with the same key, when `user` fails to authenticate (for example `root` on a fresh host). */
  bootstrapUser?: string;
  connectTimeoutMs?: number;
  /** Channels open at once on the connection; OpenSSH allows 10 by default (MaxSessions). */
  maxChannels?: number;
}

interface Session {
  ssh: NodeSSH;
  user: string;
}

/** A host reached over SSH: one connection, reused for every command of the run. */
export class SshTarget implements Target {
  readonly name: string;
  readonly kind = 'ssh' as const;
  readonly #options: SshTargetOptions;
  readonly #gate: ChannelGate;
  #session: Promise<Session> | null = null;
  #sudoMode: Promise<SudoMode> | null = null;
  #user: string | null = null;
  #connectMs: number | null = null;
  #hostKeyAdded: string | null = null;

  constructor(options: SshTargetOptions) {
    this.#options = options;
    this.name = options.name ?? options.host;
    this.#gate = new ChannelGate(options.maxChannels ?? 8);
  }

  /** Connect now (instead of at the first command) and return the target. */
  static async connect(options: SshTargetOptions): Promise<SshTarget> {
    const target = new SshTarget(options);
    await target.connect();
    return target;
  }

  /** The login in use after connecting: the configured user, or the bootstrap user when that one was refused. */
  get user(): string | null {
    return this.#user;
  }

  get usedBootstrapUser(): boolean {
    return this.#user !== null && this.#user !== this.#options.user;
  }

  /** Milliseconds the last connection took (TCP, key exchange, authentication). */
  get connectMs(): number | null {
    return this.#connectMs;
  }

  /** The fingerprint of a host key this target recorded because acceptNewHostKeys was set. */
  get acceptedHostKey(): string | null {
    return this.#hostKeyAdded;
  }

  async connect(): Promise<void> {
    await this.#connection();
  }

  #connection(): Promise<Session> {
    if (!this.#session) {
      this.#session = this.#open().catch((error: unknown) => {
        this.#session = null;
        throw error;
      });
    }
    return this.#session;
  }

  async #open(): Promise<Session> {
    const started = performance.now();
    const privateKey = await this.#privateKey();
    const login = async (user: string): Promise<NodeSSH> =>
      sshLogin(
        {
          name: this.name,
          host: this.#options.host,
          port: this.#options.port ?? 22,
          user,
          privateKey,
          passphrase: this.#options.passphrase,
          knownHostsPath: this.#options.knownHostsPath,
          acceptNewHostKeys: this.#options.acceptNewHostKeys === true,
          connectTimeoutMs: this.#options.connectTimeoutMs ?? 10_000,
          onHostKeyAdded: (fingerprint) => (this.#hostKeyAdded = fingerprint),
        },
        await readKnownHosts(this.name, this.#options.knownHostsPath),
      );
    const { user, bootstrapUser } = this.#options;
    try {
      return this.#opened(await login(user), user, started);
    } catch (error) {
      const refused = error instanceof TargetUnreachableError && error.step === 'authenticate';
      if (!refused || !bootstrapUser || bootstrapUser === user) throw error;
    }
    try {
      return this.#opened(await login(bootstrapUser), bootstrapUser, started);
    } catch (error) {
      if (!(error instanceof TargetUnreachableError) || error.step !== 'authenticate') throw error;
      throw new TargetUnreachableError(
        this.name,
        'authenticate',
        `neither "${user}" nor the bootstrap user "${bootstrapUser}" was accepted with the given key`,
      );
    }
  }

  #opened(ssh: NodeSSH, user: string, started: number): Session {
    this.#user = user;
    this.#connectMs = performance.now() - started;
    ssh.connection?.on('close', () => {
      this.#session = null;
      this.#sudoMode = null;
    });
    return { ssh, user };
  }

  async #privateKey(): Promise<string | undefined> {
    if (this.#options.privateKey) return this.#options.privateKey.reveal();
    if (!this.#options.privateKeyPath) return undefined;
    try {
      return await fs.readFile(this.#options.privateKeyPath, 'utf8');
    } catch (error) {
      throw new TargetUnreachableError(
        this.name,
        'private key',
        `cannot read ${this.#options.privateKeyPath}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      );
    }
  }

  /**
   * How sudo is reached for this login, found once per connection. A sudo password is tried once,
   * here: when sudo refuses it, every sudo command of the connection fails with that reason and the
   * password is not tried again (each try counts toward a lockout). `refusedWithoutPassword` says a
   * `sudo -n` was already refused, so it is not asked again.
   */
  async #sudo(refusedWithoutPassword = false): Promise<SudoMode> {
    const session = await this.#connection();
    if (session.user === 'root') return 'root';
    if (!this.#sudoMode) this.#sudoMode = this.#sudoModeOf(session, refusedWithoutPassword);
    return this.#sudoMode;
  }

  async #sudoModeOf(session: Session, refusedWithoutPassword: boolean): Promise<SudoMode> {
    const password = this.#options.sudoPassword;
    if (!password) return 'nopasswd';
    if (!refusedWithoutPassword) {
      const noPassword = await this.#exec(session, buildRemoteCommand(['sudo', '-n', 'true']), null, 30_000);
      if (noPassword.exitCode === 0) return 'nopasswd';
    }
    const tried = await this.#exec(session, buildRemoteCommand(['true'], { sudo: 'password' }), Buffer.from(`${password.reveal()}\n`), 30_000);
    if (tried.exitCode === 0) return 'password';
    const said = tried.stderr.trim().split('\n').filter((line) => line !== '' && !/^Sorry, try again/.test(line)).slice(-2).join('; ');
    throw new TargetUnreachableError(
      this.name,
      'sudo',
      `sudo did not accept the password given for "${session.user}"${said ? ` (${said})` : ''}: check the sudo password (ansible_become_password in an inventory)`,
    );
  }

  async run(argv: readonly string[], options: RunOptions = {}): Promise<RunResult> {
    const output = await this.#run(argv, options);
    return { ...output, stdout: output.stdout.toString('utf8') };
  }

  #exec(session: Session, command: string, stdin: Buffer | null, timeoutMs: number | undefined): Promise<ChannelOutput> {
    const client = session.ssh.connection as ExecClient | null;
    if (!client) return Promise.reject(new TargetUnreachableError(this.name, 'run', 'not connected'));
    return execOnChannel(client, this.#gate, this.name, command, stdin, timeoutMs);
  }

  async #run(argv: readonly string[], options: RunOptions): Promise<ChannelOutput> {
    const session = await this.#connection();
    const input = options.stdin instanceof Secret ? Buffer.from(options.stdin.reveal()) : options.stdin;
    const stdin = input === undefined ? null : Buffer.isBuffer(input) ? input : Buffer.from(input);
    const command = (sudo: SudoMode | false) =>
      buildRemoteCommand(argv, {
        sudo: sudo === 'root' ? false : sudo,
        ...(options.cwd ? { cwd: options.cwd } : {}),
        ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
      });
    let refusedWithoutPassword = false;
    if (options.sudo && session.user !== 'root' && !this.#sudoMode) {
      // the first sudo command of a connection goes straight to `sudo -n`: on the usual
      // passwordless sudo that saves asking `sudo -n true` first
      const first = await this.#exec(session, command('nopasswd'), stdin, options.timeoutMs);
      if (!sudoRefused(first)) {
        this.#sudoMode ??= Promise.resolve('nopasswd');
        return first;
      }
      if (!this.#options.sudoPassword) return first;
      refusedWithoutPassword = true;
    }
    const sudo = options.sudo ? await this.#sudo(refusedWithoutPassword) : false;
    const chunks: Buffer[] = [];
    if (sudo === 'password') chunks.push(Buffer.from(`${this.#options.sudoPassword!.reveal()}\n`));
    if (stdin) chunks.push(stdin);
    return this.#exec(session, command(sudo), chunks.length > 0 ? Buffer.concat(chunks) : null, options.timeoutMs);
  }

  runScript(script: string, options: Omit<RunOptions, 'stdin'> = {}): Promise<RunResult> {
    return this.run(['sh', '-s'], { ...options, stdin: script });
  }

  async readFile(path: string, options: { sudo?: boolean } = {}): Promise<Buffer | null> {
    const result = await this.#run(['env', 'LC_ALL=C', 'cat', '--', path], { sudo: options.sudo === true });
    if (result.exitCode === 0) return result.stdout;
    const code = errorCodeOf(result.stderr);
    if (code === 'ENOENT') return null;
    throw remoteFileError(this.name, 'read', path, result.stderr, code);
  }

  async writeFileAtomic(path: string, content: string | Buffer | Secret, options: WriteOptions): Promise<void> {
    const result = await this.run(writeAtomicArgv(path, options.mode, options.owner, options.group), {
      stdin: content,
      sudo: options.sudo === true,
    });
    if (result.exitCode !== 0) throw remoteFileError(this.name, 'write', path, result.stderr, errorCodeOf(result.stderr));
  }

  /** lstat; null when the path does not exist. `sudo` reaches paths the login cannot traverse. */
  async stat(path: string, options: { sudo?: boolean } = {}): Promise<FileStat | null> {
    const result = await this.run(['env', 'LC_ALL=C', 'stat', '-c', STAT_FORMAT, '--', path], { sudo: options.sudo === true });
    if (result.exitCode === 0) return parseStatLine(result.stdout);
    const code = errorCodeOf(result.stderr);
    if (code === 'ENOENT' || code === 'ENOTDIR') return null;
    throw remoteFileError(this.name, 'stat', path, result.stderr, code);
  }

  async close(): Promise<void> {
    const session = this.#session;
    this.#session = null;
    this.#sudoMode = null;
    if (!session) return;
    const { ssh } = await session.catch(() => ({ ssh: null }));
    ssh?.dispose();
  }
}

/**
 * `sudo -n` refused to run the command (a password or a terminal is needed, or the login may not use
 * sudo): exit 1, no output, and only sudo's own lines on stderr. A command that ran and printed such
 * a line itself (a nested sudo) produced other output or lines, and is not run a second time.
 */
function sudoRefused(output: ChannelOutput): boolean {
  if (output.exitCode !== 1 || output.stdout.length > 0) return false;
  const lines = output.stderr.split('\n').filter((line) => line.trim() !== '');
  return lines.length > 0 && lines.every((line) => line.startsWith('sudo: ')) && lines.some((line) => /^sudo: (a password is required|a terminal is required|.*not in the sudoers|.*may not run sudo)/.test(line));
}

function remoteFileError(host: string, verb: string, path: string, stderr: string, code: string | null): Error {
  const detail = stderr.trim().split('\n').slice(-3).join('; ') || 'failed without a message';
  const error = new Error(`${host}: cannot ${verb} ${path}: ${detail}`) as NodeJS.ErrnoException;
  if (code) error.code = code;
  return error;
}
