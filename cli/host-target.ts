import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Target } from '../lib/target/types.js';
import { LocalTarget } from '../lib/target/local.js';
import { UsageError } from './exit-codes.js';

export interface HostFlags {
  host?: string;
  inventory?: string;
  identity?: string;
  knownHosts?: string;
  acceptNewHostKeys?: boolean;
}

/** `USER@HOST[:PORT]` (user defaults to root, port to 22). */
export function parseHostSpec(spec: string): { user: string; host: string; port: number } {
  const match = /^(?:([^@\s]+)@)?(\[[^\]]+\]|[^:@\s]+)(?::(\d+))?$/.exec(spec.trim());
  if (!match) throw new UsageError(`--host "${spec}" is not USER@HOST[:PORT]`);
  const port = match[3] ? Number(match[3]) : 22;
  if (port < 1 || port > 65535) throw new UsageError(`--host "${spec}": port ${port} is out of range`);
  return { user: match[1] ?? 'root', host: match[2]!.replace(/^\[|\]$/g, ''), port };
}

/** This machine, or the host of `--host` over SSH (loaded only then: node-ssh is not needed locally). */
export async function targetFromFlags(flags: HostFlags): Promise<{ target: Target; sudo: boolean }> {
  if (!flags.host) return { target: new LocalTarget(), sudo: false };
  const { user, host, port } = parseHostSpec(flags.host);
  const { SshTarget } = await import('../lib/target/ssh.js');
  const options: ConstructorParameters<typeof SshTarget>[0] = {
    host,
    port,
    user,
    name: flags.host,
    knownHostsPath: flags.knownHosts ?? join(homedir(), '.ssh', 'known_hosts'),
    acceptNewHostKeys: flags.acceptNewHostKeys === true,
  };
  if (flags.identity) options.privateKeyPath = flags.identity;
  const target = await SshTarget.connect(options);
  return { target, sudo: user !== 'root' };
}

export interface InventoryTarget {
  name: string;
  /** Connected lazily: `connect()` throws TargetUnreachableError for a host that cannot be reached. */
  connect(): Promise<{ target: Target; sudo: boolean }>;
}

/** One SSH target per inventory host, with the provisioner's connection settings for it (`ansible_host`, `ansible_user`, …). */
export async function targetsFromInventory(path: string, flags: HostFlags): Promise<InventoryTarget[]> {
  const { loadInventory } = await import('../provision/inventory/index.js');
  const inventory = await loadInventory(path);
  return [...inventory.hosts.values()].map((host) => ({
    name: host.name,
    async connect() {
      const [{ SshTarget }, { sshOptionsFor }] = await Promise.all([import('../lib/target/ssh.js'), import('../provision/runner/connect.js')]);
      const connectFlags: Parameters<typeof sshOptionsFor>[2] = { acceptNewHostKeys: flags.acceptNewHostKeys === true };
      if (flags.knownHosts) connectFlags.knownHostsPath = flags.knownHosts;
      const options = sshOptionsFor(host.name, host.connection, connectFlags);
      if (!options.privateKeyPath && flags.identity) options.privateKeyPath = flags.identity;
      const target = await SshTarget.connect(options);
      return { target, sudo: (target.user ?? options.user) !== 'root' };
    },
  }));
}
