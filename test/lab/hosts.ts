// Lab hosts for test suites: real Debian 12 hosts booted once per suite file, always torn down.
import type { Test } from 'uvu';
import { labDown, labUp } from '../../provision/lab/index.js';
import type { LabHost, LabUpOptions } from '../../provision/lab/index.js';
import { SshTarget } from '../../lib/target/ssh.js';
import type { SshTargetOptions } from '../../lib/target/ssh.js';

export type { LabHost };

type HostOptions = Omit<LabUpOptions, 'count'>;

/** Fresh hosts for the length of fn; removed afterwards whatever fn does. */
export async function withLabHosts<T>(count: number, fn: (hosts: LabHost[]) => Promise<T>, options: HostOptions = {}): Promise<T> {
  const hosts = await labUp({ count, namePrefix: 'kafclaw-test', ...options });
  try {
    return await fn(hosts);
  } finally {
    await labDown(hosts.map((h) => h.name));
  }
}

/**
 * Boot `count` hosts in the suite's `before` hook and remove them in `after`. Read `lab.hosts`
 * inside tests (it is empty until the hook has run). Boot time is printed, not asserted.
 */
export function useLabHosts(suite: Test, count: number, options: HostOptions = {}): { hosts: LabHost[] } {
  const lab = { hosts: [] as LabHost[] };
  suite.before(async () => {
    const started = Date.now();
    lab.hosts = await labUp({ count, namePrefix: 'kafclaw-test', ...options });
    console.log(`  lab: ${count} host(s) up in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  });
  suite.after(async () => {
    const names = lab.hosts.map((h) => h.name);
    lab.hosts = [];
    if (names.length > 0) await labDown(names);
  });
  return lab;
}

/** An SshTarget for a lab host (root, the lab key, the host's own known_hosts), with overrides. */
export function labTarget(host: LabHost, overrides: Partial<SshTargetOptions> = {}): SshTarget {
  return new SshTarget({
    host: host.address,
    name: host.name,
    user: host.user,
    privateKeyPath: host.privateKeyPath,
    knownHostsPath: host.knownHostsPath,
    ...overrides,
  });
}
