import { join } from 'node:path';
import { ensureImage } from './image.js';
import type { EnsureImageOptions } from './image.js';
import { ensureLabKey } from './keys.js';
import { withFileLock } from './lock.js';
import { freeSlot, linkExists, netnsExists, slotNetwork } from './network.js';
import { labPaths } from './paths.js';
import { requireRoot } from './root.js';
import { bootHost, stopHostsSync } from './host.js';
import { currentProcess, isAlive, isInUseElsewhere, isLeftover, readStates, writeState } from './state.js';
import type { HostState } from './state.js';

/** What a test or a person needs to reach a lab host. */
export interface LabHost {
  name: string;
  address: string;
  port: 22;
  user: 'root';
  privateKeyPath: string;
  /** `ADDRESS ssh-ed25519 AAAA...`: the host key, generated on the controller before boot. */
  knownHostsLine: string;
  /** A known_hosts file holding only knownHostsLine. */
  knownHostsPath: string;
  /** A login with passwordless sudo and the same key, when asked for. */
  sudoUser: string | null;
  controllerAddress: string;
}

export interface LabHostStatus extends LabHost {
  running: boolean;
  /** Stays up after the process that started it exits (`kafclaw lab up`). */
  persist: boolean;
  ownerPid: number;
  createdAt: string;
}

export interface LabUpOptions extends EnsureImageOptions {
  count: number;
  /** Host names are `<prefix>-<slot>`; lowercase letters, digits and dashes. Default `kafclaw-lab`. */
  namePrefix?: string;
  /** Keep the hosts after this process exits (for the CLI); otherwise they are removed at exit. */
  persist?: boolean;
  /** Create this login (key as root's, passwordless sudo) on every host. */
  sudoUser?: string;
}

const owned = new Map<string, HostState>();
let handlersInstalled = false;

/** The newest record of each host: the state file (bootHost adds the nspawn pid there), else what we hold. */
function latest(names: readonly string[]): HostState[] {
  const onDisk = new Map(readStates().map((s) => [s.name, s]));
  return names.flatMap((name) => {
    const state = onDisk.get(name) ?? owned.get(name);
    return state ? [state] : [];
  });
}

function cleanupOwned(): void {
  const states = latest([...owned.keys()]);
  owned.clear();
  if (states.length > 0) stopHostsSync(states);
}

function installExitHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  process.on('exit', cleanupOwned);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      cleanupOwned();
      process.kill(process.pid, signal);
    });
  }
}

function toLabHost(state: HostState, privateKeyPath: string): LabHost {
  return {
    name: state.name,
    address: state.address,
    port: 22,
    user: 'root',
    privateKeyPath,
    knownHostsLine: state.knownHostsLine,
    knownHostsPath: join(state.hostDir, 'known_hosts'),
    sudoUser: state.sudoUser,
    controllerAddress: state.controllerAddress,
  };
}

/** The OpenSSH command that logs in to a lab host, checking its host key. */
export function sshCommandFor(host: LabHost): string[] {
  return ['ssh', '-i', host.privateKeyPath, '-o', `UserKnownHostsFile=${host.knownHostsPath}`, '-o', 'StrictHostKeyChecking=yes', `${host.user}@${host.address}`];
}

/** Tear down leftovers of crashed runs; returns their names. */
export function sweepLab(): string[] {
  requireRoot('clean up lab hosts');
  const leftovers = readStates().filter((s) => isLeftover(s) && !owned.has(s.name));
  stopHostsSync(leftovers);
  return leftovers.map((s) => s.name);
}

function checkPrefix(prefix: string): void {
  if (!/^[a-z][a-z0-9-]{0,40}$/.test(prefix)) {
    throw new Error(`lab name prefix "${prefix}" is not valid: use 1 to 41 lowercase letters, digits and dashes, starting with a letter`);
  }
}

/** Start `count` fresh Debian 12 hosts, each in its own network namespace, reachable over SSH as root. */
export async function labUp(options: LabUpOptions): Promise<LabHost[]> {
  requireRoot('start lab hosts');
  const prefix = options.namePrefix ?? 'kafclaw-lab';
  checkPrefix(prefix);
  if (!Number.isInteger(options.count) || options.count < 1) throw new Error(`lab host count must be a whole number of at least 1, not ${options.count}`);
  if (options.sudoUser !== undefined && !/^[a-z_][a-z0-9_-]{0,30}$/.test(options.sudoUser)) {
    throw new Error(`lab sudo user "${options.sudoUser}" is not a valid login name`);
  }
  const image = await ensureImage(options.onProgress ? { onProgress: options.onProgress } : {});
  const key = await ensureLabKey();
  installExitHandlers();

  const states = await withFileLock(labPaths.allocationLock, async () => {
    sweepLab();
    const taken = new Set(readStates().map((s) => s.slot));
    const created: HostState[] = [];
    for (let i = 0; i < options.count; i++) {
      const slot = freeSlot(taken, (n) => {
        const net = slotNetwork(n);
        return linkExists(net.veth) || netnsExists(`${prefix}-${n}`);
      });
      taken.add(slot);
      const net = slotNetwork(slot);
      const name = `${prefix}-${slot}`;
      const hostDir = labPaths.hostDir(name);
      const state: HostState = {
        name,
        slot,
        address: net.hostAddress,
        controllerAddress: net.controllerAddress,
        netns: name,
        veth: net.veth,
        hostDir,
        root: join(hostDir, 'root'),
        image: image.path,
        owner: currentProcess(),
        persist: options.persist === true,
        nspawn: null,
        knownHostsLine: '',
        sudoUser: options.sudoUser ?? null,
        createdAt: new Date().toISOString(),
      };
      writeState(state);
      owned.set(name, state);
      created.push(state);
    }
    return created;
  });

  const results = await Promise.allSettled(states.map((state) => bootHost(state, key)));
  const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  const booted = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  for (const state of booted) owned.set(state.name, state);
  if (failure) {
    const names = states.map((s) => s.name);
    const toStop = latest(names);
    for (const name of names) owned.delete(name);
    stopHostsSync(toStop);
    throw failure.reason;
  }
  if (options.persist) for (const state of booted) owned.delete(state.name);
  return booted.map((state) => toLabHost(state, key.privateKeyPath));
}

/**
 * Stop and remove lab hosts: the named ones, or 'all' — every persisted host, every leftover and
 * this process's own, but not the hosts another running process (a test suite) is still using.
 * Returns the names removed.
 */
export async function labDown(names: readonly string[] | 'all' = 'all'): Promise<string[]> {
  requireRoot('stop lab hosts');
  const states = readStates();
  let chosen: HostState[];
  if (names === 'all') {
    const me = currentProcess();
    chosen = states.filter((s) => !isInUseElsewhere(s, me));
  } else {
    const unknown = names.filter((n) => !states.some((s) => s.name === n));
    if (unknown.length > 0) {
      const known = states.map((s) => s.name).join(', ') || 'none';
      throw new Error(`no lab host named ${unknown.map((n) => `"${n}"`).join(', ')} (running: ${known})`);
    }
    chosen = states.filter((s) => names.includes(s.name));
  }
  for (const state of chosen) owned.delete(state.name);
  stopHostsSync(chosen);
  return chosen.map((s) => s.name);
}

/** Every lab host on this machine, running or left over. */
export async function labList(): Promise<LabHostStatus[]> {
  requireRoot('list lab hosts');
  const key = labPaths.privateKey;
  return readStates().map((state) => ({
    ...toLabHost(state, key),
    running: isAlive(state.nspawn),
    persist: state.persist,
    ownerPid: state.owner.pid,
    createdAt: state.createdAt,
  }));
}
