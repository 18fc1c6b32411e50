import { promises as fs } from 'node:fs';
import { dirname } from 'node:path';
import { NodeSSH } from 'node-ssh';
import type { Secret } from '../secrets/secret.js';
import {
  fingerprintSha256,
  keyTypeOfBlob,
  knownHostsLine,
  knownKeyTypes,
  parseKnownHosts,
  verifyHostKey,
} from './known-hosts.js';
import type { KnownHostEntry } from './known-hosts.js';
import { TargetUnreachableError } from './types.js';

export interface LoginOptions {
  /** Host name for errors. */
  name: string;
  host: string;
  port: number;
  user: string;
  privateKey: string | undefined;
  passphrase: Secret | undefined;
  knownHostsPath: string;
  acceptNewHostKeys: boolean;
  connectTimeoutMs: number;
  /** Called with the fingerprint of a host key recorded because acceptNewHostKeys was set. */
  onHostKeyAdded?: (fingerprint: string) => void;
}

/** Host key types asked for, known types first; ssh-rsa (SHA-1) is left out. */
const HOST_KEY_ALGORITHMS = [
  'ssh-ed25519',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'rsa-sha2-512',
  'rsa-sha2-256',
];

function hostKeyAlgorithms(knownTypes: readonly string[]): string[] {
  const preferred = knownTypes.flatMap((type) => (type === 'ssh-rsa' ? ['rsa-sha2-512', 'rsa-sha2-256'] : [type]));
  return [...new Set([...preferred.filter((a) => HOST_KEY_ALGORITHMS.includes(a)), ...HOST_KEY_ALGORITHMS])];
}

export async function readKnownHosts(name: string, path: string): Promise<KnownHostEntry[]> {
  try {
    return parseKnownHosts(await fs.readFile(path, 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new TargetUnreachableError(name, 'host key', `cannot read known_hosts file ${path}: ${(error as Error).message}`);
  }
}

async function appendKnownHost(path: string, line: string): Promise<void> {
  await fs.mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const current = await fs.readFile(path, 'utf8').catch(() => '');
  if (current.split('\n').some((existing) => existing.trim() === line)) return;
  const separator = current === '' || current.endsWith('\n') ? '' : '\n';
  await fs.appendFile(path, `${separator}${line}\n`, { mode: 0o600 });
}

function hostKeyRefusal(options: LoginOptions, entries: readonly KnownHostEntry[], key: Buffer): TargetUnreachableError | 'known' | 'new' {
  const { host, port, knownHostsPath: path } = options;
  const fingerprint = fingerprintSha256(key);
  const type = keyTypeOfBlob(key);
  const verdict = verifyHostKey(entries, host, port, key);
  if (verdict.status === 'known') return 'known';
  if (verdict.status === 'changed') {
    const lines = verdict.entries.map((e) => `${path}:${e.line}`).join(', ');
    return new TargetUnreachableError(
      options.name,
      'host key',
      verdict.revoked
        ? `the server offered a revoked ${type} key ${fingerprint} (${lines}); refusing to connect`
        : `HOST KEY CHANGED for ${host}:${port}: the server offered ${type} ${fingerprint}, but ${lines} ` +
          'records a different key. This can be a man-in-the-middle attack, so the connection is refused. ' +
          'If the host was rebuilt, remove those lines, check the new fingerprint and re-run with --accept-new-host-keys',
    );
  }
  if (options.acceptNewHostKeys) return 'new';
  return new TargetUnreachableError(
    options.name,
    'host key',
    `unknown host key for ${host}:${port}: ${type} ${fingerprint} is not in ${path}. ` +
      'Check that fingerprint on the host (ssh-keygen -lf /etc/ssh/ssh_host_*_key.pub), then re-run with --accept-new-host-keys to record it',
  );
}

function connectError(options: LoginOptions, error: Error & { code?: string; level?: string }): TargetUnreachableError {
  const where = `${options.host}:${options.port}`;
  if (error.level === 'client-authentication') {
    return new TargetUnreachableError(options.name, 'authenticate', `user "${options.user}" was refused (${error.message.replace(/\.$/, '')})`);
  }
  if (error.level === 'client-timeout') {
    return new TargetUnreachableError(options.name, 'connect', `no SSH handshake from ${where} within ${(options.connectTimeoutMs / 1000).toFixed(0)} s`);
  }
  const reasons: Record<string, string> = {
    ECONNREFUSED: `connection refused by ${where}: is sshd running and the port open?`,
    ETIMEDOUT: `connection to ${where} timed out`,
    EHOSTUNREACH: `no route to ${where}`,
    ENETUNREACH: `network unreachable for ${where}`,
    ENOTFOUND: `cannot resolve host name "${options.host}"`,
    EAI_AGAIN: `cannot resolve host name "${options.host}" (temporary failure)`,
    ECONNRESET: `connection to ${where} was reset`,
  };
  const reason = (error.code && reasons[error.code]) || `${where}: ${error.message}`;
  return new TargetUnreachableError(options.name, 'connect', reason);
}

/** Open an SSH connection whose host key is checked against known_hosts; every failure is a TargetUnreachableError. */
export async function sshLogin(options: LoginOptions, entries: readonly KnownHostEntry[]): Promise<NodeSSH> {
  let refusal: TargetUnreachableError | null = null;
  const hostVerifier = (key: Buffer, verify: (ok: boolean) => void): void => {
    const verdict = hostKeyRefusal(options, entries, key);
    if (verdict === 'known') return verify(true);
    if (verdict !== 'new') {
      refusal = verdict;
      return verify(false);
    }
    appendKnownHost(options.knownHostsPath, knownHostsLine(options.host, options.port, key)).then(
      () => {
        options.onHostKeyAdded?.(fingerprintSha256(key));
        verify(true);
      },
      (error: unknown) => {
        refusal = new TargetUnreachableError(options.name, 'host key', `cannot record the host key in ${options.knownHostsPath}: ${(error as Error).message}`);
        verify(false);
      },
    );
  };
  const ssh = new NodeSSH();
  try {
    await ssh.connect({
      host: options.host,
      port: options.port,
      username: options.user,
      readyTimeout: options.connectTimeoutMs,
      keepaliveInterval: 15_000,
      hostVerifier,
      algorithms: { serverHostKey: hostKeyAlgorithms(knownKeyTypes(entries, options.host, options.port)) },
      ...(options.privateKey !== undefined ? { privateKey: options.privateKey } : {}),
      ...(options.passphrase ? { passphrase: options.passphrase.reveal() } : {}),
    });
  } catch (error) {
    ssh.dispose();
    throw refusal ?? connectError(options, error as Error & { code?: string; level?: string });
  }
  ssh.connection?.on('error', () => {});
  // Small request/response packets: without this, Nagle's algorithm adds delay to every command.
  ssh.connection?.setNoDelay(true);
  return ssh;
}
