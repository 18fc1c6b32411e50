import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Secret } from '../../lib/secrets/secret.js';
import { SshTarget } from '../../lib/target/ssh.js';
import { TargetUnreachableError } from '../../lib/target/types.js';
import type { SshTargetOptions } from '../../lib/target/ssh.js';
import type { Connection } from '../inventory/connection.js';

export interface ConnectFlags {
  acceptNewHostKeys?: boolean;
  /** known_hosts when the inventory names none; default ~/.ssh/known_hosts. */
  knownHostsPath?: string;
  connectTimeoutMs?: number;
}

const expandHome = (path: string) => (path === '~' ? homedir() : path.startsWith('~/') ? join(homedir(), path.slice(2)) : path);

/** SshTarget options for one inventory host: `ansible_user` (default root), falling back to `bootstrap_user`. */
export function sshOptionsFor(name: string, connection: Connection, flags: ConnectFlags, sudoPassword?: Secret): SshTargetOptions {
  const options: SshTargetOptions = {
    name,
    host: connection.host,
    port: connection.port,
    user: connection.user ?? 'root',
    knownHostsPath: expandHome(connection.knownHostsFile ?? flags.knownHostsPath ?? join(homedir(), '.ssh', 'known_hosts')),
    acceptNewHostKeys: flags.acceptNewHostKeys === true,
    connectTimeoutMs: flags.connectTimeoutMs ?? 10_000,
  };
  if (connection.privateKeyFile) options.privateKeyPath = expandHome(connection.privateKeyFile);
  if (connection.bootstrapUser) options.bootstrapUser = connection.bootstrapUser;
  if (sudoPassword) options.sudoPassword = sudoPassword;
  return options;
}

/**
 * A fresh login (a new TCP connection, key exchange and authentication, then one command), closed
 * at once. Proves that what was just changed (firewall, sshd) still lets an operator in.
 */
export async function proveFreshLogin(options: SshTargetOptions, command: readonly string[] = ['true'], attempts = 4): Promise<boolean> {
  return (await freshLoginProblem(options, command, attempts)) === null;
}

/** proveFreshLogin, saying why the last attempt failed; null when a login worked. */
export async function freshLoginProblem(options: SshTargetOptions, command: readonly string[] = ['true'], attempts = 4): Promise<string | null> {
  let problem = 'no attempt was made';
  // sshd re-executes itself on reload: a login right after it may be refused for a moment.
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const failed = await loginOnce(options, command);
    if (failed === null) return null;
    problem = failed;
    if (attempt < attempts) await new Promise((resolve) => setTimeout(resolve, 500 * attempt));
  }
  return `${problem} (${attempts} attempts)`;
}

async function loginOnce(options: SshTargetOptions, command: readonly string[]): Promise<string | null> {
  const target = new SshTarget({ ...options, acceptNewHostKeys: false });
  try {
    await target.connect();
    const result = await target.run(command, { timeoutMs: 15_000 });
    if (result.exitCode === 0) return null;
    const said = result.stderr.trim().split('\n').slice(-1)[0];
    return `${command.join(' ')} exited ${result.exitCode}${result.timedOut ? ' (timed out)' : ''}${said ? `: ${said}` : ''}`;
  } catch (error) {
    return error instanceof TargetUnreachableError ? `${error.step}: ${error.message}` : (error as Error).message;
  } finally {
    await target.close();
  }
}
