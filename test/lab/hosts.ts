// Lab hosts for test suites: real Debian 12 hosts booted once per suite file, always torn down.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Test } from 'uvu';
import { labDown, labUp } from '../../provision/lab/index.js';
import type { LabHost, LabUpOptions } from '../../provision/lab/index.js';
import { isAlive, readStates } from '../../provision/lab/state.js';
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

/** What a test prints when a lab host stops answering: is its nspawn alive, its namespace there, its console's last lines. */
export function describeLabHost(host: LabHost): string {
  const state = readStates().find((s) => s.name === host.name);
  if (!state) return `${host.name}: no state file (the host was removed)`;
  const console = (() => {
    try {
      return readFileSync(join(state.hostDir, 'console.log'), 'utf8').trim().split('\n').slice(-20).join('\n');
    } catch (error) {
      return `(no console log: ${(error as NodeJS.ErrnoException).code})`;
    }
  })();
  return [
    `${host.name}: nspawn ${isAlive(state.nspawn) ? 'running' : 'gone'}, namespace ${existsSync(`/run/netns/${state.netns}`) ? 'present' : 'gone'}, owner ${isAlive(state.owner) ? 'alive' : 'gone'}`,
    `last console lines:\n${console}`,
  ].join('\n');
}
