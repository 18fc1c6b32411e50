import { readFileSync, readdirSync, renameSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { labPaths } from './paths.js';

/** A process named by pid and start time, so a reused pid is never mistaken for it. */
export interface ProcessRef {
  pid: number;
  start: string;
}

/** Everything needed to tear a host down, written before the first resource is created. */
export interface HostState {
  name: string;
  slot: number;
  address: string;
  controllerAddress: string;
  netns: string;
  veth: string;
  hostDir: string;
  /** The overlay mount point: the host's root file system. */
  root: string;
  image: string;
  /** The process that created the host; when it dies, the host goes unless `persist` is set. */
  owner: ProcessRef;
  persist: boolean;
  /** systemd-nspawn, once started. */
  nspawn: ProcessRef | null;
  /** The host's own cgroup directories (provision/lab/cgroup.ts), once chosen; absent in older state files. */
  cgroups?: string[];
  knownHostsLine: string;
  sudoUser: string | null;
  createdAt: string;
}

/** Field 22 of /proc/PID/stat: the start time in clock ticks since boot; null when there is no such process. */
export function processStart(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

export function currentProcess(): ProcessRef {
  return { pid: process.pid, start: processStart(process.pid) ?? '' };
}

export function isAlive(ref: ProcessRef | null): boolean {
  if (!ref) return false;
  const start = processStart(ref.pid);
  if (start === null || start !== ref.start) return false;
  // A zombie has exited: it only waits for its parent to collect it.
  try {
    return !/^State:\s+Z/m.test(readFileSync(`/proc/${ref.pid}/status`, 'utf8'));
  } catch {
    return false;
  }
}

/** Leftovers of crashed runs: hosts whose creator is gone, unless they were made to persist and still run. */
export function isLeftover(state: HostState, alive: (ref: ProcessRef | null) => boolean = isAlive): boolean {
  if (alive(state.owner)) return false;
  return !state.persist || !alive(state.nspawn);
}

/** Hosts another living process created for its own use (a test suite): `labDown('all')` leaves them. */
export function isInUseElsewhere(state: HostState, me: ProcessRef, alive: (ref: ProcessRef | null) => boolean = isAlive): boolean {
  const mine = state.owner.pid === me.pid && state.owner.start === me.start;
  return !state.persist && !mine && alive(state.owner);
}

export function writeState(state: HostState): void {
  mkdirSync(labPaths.stateDir, { recursive: true, mode: 0o700 });
  const path = labPaths.state(state.name);
  writeFileSync(`${path}.tmp`, JSON.stringify(state, null, 2) + '\n', { mode: 0o600 });
  renameSync(`${path}.tmp`, path);
}

export function readStates(): HostState[] {
  let names: string[];
  try {
    names = readdirSync(labPaths.stateDir).filter((n) => n.endsWith('.json'));
  } catch {
    return [];
  }
  const states: HostState[] = [];
  for (const name of names.sort()) {
    try {
      states.push(JSON.parse(readFileSync(`${labPaths.stateDir}/${name}`, 'utf8')) as HostState);
    } catch {
      // A state file being written right now, or a broken one: not ours to judge here.
    }
  }
  return states;
}

export function removeState(name: string): void {
  rmSync(labPaths.state(name), { force: true });
}
