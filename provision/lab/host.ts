import { spawn } from 'node:child_process';
import { ENTER_CGROUPS_SCRIPT, hostCgroupDirs, removeHostCgroups } from './cgroup.js';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, openSync, promises as fs, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { SshTarget } from '../../lib/target/ssh.js';
import { command, commandSync } from './command.js';
import { generateHostKey } from './keys.js';
import type { LabKey } from './keys.js';
import { createHostNetwork, removeHostNetworkSync, slotNetwork } from './network.js';
import { isAlive, processStart, removeState, writeState } from './state.js';
import type { HostState } from './state.js';

const BOOT_TIMEOUT_MS = 60_000;

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function isMounted(path: string): boolean {
  try {
    return readFileSync('/proc/self/mountinfo', 'utf8')
      .split('\n')
      .some((line) => line.split(' ')[4] === path);
  } catch {
    return false;
  }
}

/** Files that make this host itself: name, machine id, host key, root's key, optionally a sudo user. */
async function personalise(state: HostState, key: LabKey): Promise<string> {
  const root = state.root;
  await fs.writeFile(join(root, 'etc/hostname'), `${state.name}\n`);
  await fs.writeFile(
    join(root, 'etc/hosts'),
    `127.0.0.1\tlocalhost\n127.0.1.1\t${state.name}\n::1\t\tlocalhost ip6-localhost ip6-loopback\n`,
  );
  await fs.writeFile(join(root, 'etc/machine-id'), `${randomBytes(16).toString('hex')}\n`, { mode: 0o444 });
  await fs.mkdir(join(root, 'root/.ssh'), { recursive: true, mode: 0o700 });
  await fs.writeFile(join(root, 'root/.ssh/authorized_keys'), `${key.publicKey}\n`, { mode: 0o600 });
  if (state.sudoUser) {
    const user = state.sudoUser;
    await command(['chroot', root, 'sh', '-s'], {
      input: `set -eu
useradd --create-home --shell /bin/bash --groups sudo ${user}
install -d -m 0700 -o ${user} -g ${user} /home/${user}/.ssh
install -m 0600 -o ${user} -g ${user} /root/.ssh/authorized_keys /home/${user}/.ssh/authorized_keys
echo '${user} ALL=(ALL:ALL) NOPASSWD:ALL' > /etc/sudoers.d/90-lab-${user}
chmod 0440 /etc/sudoers.d/90-lab-${user}
`,
    });
  }
  return generateHostKey(root, `root@${state.name}`);
}

async function waitForPort(host: string, port: number, deadline: number, alive: () => boolean): Promise<void> {
  while (Date.now() < deadline) {
    if (!alive()) throw new Error('systemd-nspawn exited during boot');
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect({ host, port });
      socket.setTimeout(1000);
      socket.once('connect', () => (socket.destroy(), resolve(true)));
      socket.once('timeout', () => (socket.destroy(), resolve(false)));
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await sleep(50);
  }
  throw new Error(`port ${port} did not open within ${BOOT_TIMEOUT_MS / 1000} s`);
}

/** Mount, personalise, wire and boot one host, then wait until root can log in over SSH. */
export async function bootHost(state: HostState, key: LabKey): Promise<HostState> {
  const upper = join(state.hostDir, 'upper');
  const work = join(state.hostDir, 'work');
  // A dir left by a crash mid-teardown must not lend its old upper layer to a fresh host.
  if (isMounted(state.root)) throw new Error(`${state.root} is still mounted: run "kafclaw lab down" first`);
  await fs.rm(state.hostDir, { recursive: true, force: true });
  await fs.mkdir(upper, { recursive: true, mode: 0o755 });
  await fs.mkdir(work, { recursive: true, mode: 0o700 });
  await fs.mkdir(state.root, { recursive: true, mode: 0o755 });
  await command(['mount', '-t', 'overlay', 'overlay', '-o', `lowerdir=${state.image},upperdir=${upper},workdir=${work}`, state.root]);
  const hostKey = await personalise(state, key);
  const knownHostsLine = `${state.address} ${hostKey}`;
  const knownHostsPath = join(state.hostDir, 'known_hosts');
  await fs.writeFile(knownHostsPath, `${knownHostsLine}\n`, { mode: 0o644 });
  await createHostNetwork(state.netns, slotNetwork(state.slot));

  // recorded before the host starts, so whoever tears it down removes these very directories
  const cgroups = hostCgroupDirs(state.name);
  writeState({ ...state, cgroups });
  const log = openSync(join(state.hostDir, 'console.log'), 'a', 0o600);
  const child = spawn(
    'sh',
    [
      '-c',
      ENTER_CGROUPS_SCRIPT,
      'sh',
      ...cgroups,
      '--',
      'systemd-nspawn',
      '--quiet',
      '--directory', state.root,
      '--boot',
      '--register=no',
      '--keep-unit',
      '--capability=CAP_NET_ADMIN',
      '--resolv-conf=off',
      '--link-journal=no',
      '--console=read-only',
      `--network-namespace-path=/run/netns/${state.netns}`,
      '--machine', state.name,
    ],
    { detached: true, stdio: ['ignore', log, log] },
  );
  closeSync(log);
  child.unref();
  const pid = child.pid;
  if (pid === undefined) throw new Error('systemd-nspawn did not start');
  const booted: HostState = { ...state, cgroups, knownHostsLine, nspawn: { pid, start: processStart(pid) ?? '' } };
  writeState(booted);

  const deadline = Date.now() + BOOT_TIMEOUT_MS;
  const alive = () => isAlive(booted.nspawn);
  try {
    await waitForPort(state.address, 22, deadline, alive);
    for (;;) {
      const target = new SshTarget({
        host: state.address,
        user: 'root',
        name: state.name,
        privateKeyPath: key.privateKeyPath,
        knownHostsPath,
        connectTimeoutMs: 5000,
      });
      try {
        const result = await target.run(['true']);
        if (result.exitCode === 0) break;
      } catch (error) {
        if (Date.now() > deadline || !alive()) throw error;
        await sleep(100);
      } finally {
        await target.close();
      }
    }
  } catch (error) {
    const console = readFileSync(join(state.hostDir, 'console.log'), 'utf8').trim().split('\n').slice(-15).join('\n');
    throw new Error(`lab host ${state.name} did not come up: ${(error as Error).message}\nlast console lines:\n${console}`);
  }
  return booted;
}

function netnsPids(netns: string): number[] {
  const result = commandSync(['ip', 'netns', 'pids', netns], { allowFail: true });
  return result.code === 0 ? result.stdout.split(/\s+/).filter(Boolean).map(Number) : [];
}

function kill(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {}
}

/**
 * Stop hosts and remove all they left: SIGTERM to each systemd-nspawn (an orderly shutdown), then
 * SIGKILL to whatever still runs in the host's namespace, unmount, delete the veth, the namespace,
 * the dirs and the state file. Synchronous, so it also works in an exit handler.
 */
export function stopHostsSync(states: readonly HostState[], graceMs = 5000): void {
  for (const state of states) if (isAlive(state.nspawn)) kill(state.nspawn!.pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline && states.some((s) => isAlive(s.nspawn))) sleepSync(50);
  for (const state of states) {
    if (isAlive(state.nspawn)) kill(state.nspawn!.pid, 'SIGKILL');
    for (const pid of netnsPids(state.netns)) kill(pid, 'SIGKILL');
  }
  const killDeadline = Date.now() + 5000;
  while (Date.now() < killDeadline && states.some((s) => isAlive(s.nspawn) || netnsPids(s.netns).length > 0)) sleepSync(50);
  for (const state of states) {
    if (isMounted(state.root)) {
      if (commandSync(['umount', state.root], { allowFail: true }).code !== 0) {
        commandSync(['umount', '--lazy', state.root], { allowFail: true });
      }
    }
    removeHostNetworkSync(state.netns, state.veth);
    removeHostCgroups(state.cgroups ?? []);
    if (!isMounted(state.root) && existsSync(state.hostDir)) rmSync(state.hostDir, { recursive: true, force: true });
    removeState(state.name);
  }
}
