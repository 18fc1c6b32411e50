import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { labDown, labList, labUp, sshCommandFor, sweepLab } from '../../../provision/lab/index.js';
import type { LabHost } from '../../../provision/lab/index.js';
import { linkExists, netnsExists } from '../../../provision/lab/network.js';
import { isMounted } from '../../../provision/lab/host.js';
import { labPaths } from '../../../provision/lab/paths.js';
import { labTarget, withLabHosts } from '../../lab/hosts.js';

const test = suite('lab hosts');
const repo = fileURLToPath(new URL('../../../', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'kafclaw-lab-test-'));
const labModule = join(repo, 'provision/lab/index.ts');

test.after(async () => {
  rmSync(scratch, { recursive: true, force: true });
  const mine = (await labList()).filter((h) => h.name.startsWith('kafclaw-labtest'));
  if (mine.length > 0) await labDown(mine.map((h) => h.name));
});

interface Traces {
  name: string;
  netns: string;
  veth: string;
  root: string;
  hostDir: string;
  nspawnPid: number;
  cgroups: string[];
}

function traces(name: string): Traces {
  const state = JSON.parse(readFileSync(labPaths.state(name), 'utf8'));
  const cgroups: string[] = state.cgroups ?? [];
  // the container runs in cgroups of its own, which the state names
  assert.ok(cgroups.length > 0, `${name}: no cgroup recorded`);
  const own = readFileSync(`/proc/${state.nspawn.pid}/cgroup`, 'utf8');
  assert.ok(own.includes(`/kafclaw-lab-${name}`), `${name}: systemd-nspawn is not in its own cgroup:\n${own}`);
  return { name, netns: state.netns, veth: state.veth, root: state.root, hostDir: state.hostDir, nspawnPid: state.nspawn.pid, cgroups };
}

function pidAlive(pid: number): boolean {
  try {
    return !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return false;
  }
}

function assertGone(t: Traces): void {
  assert.not.ok(existsSync(labPaths.state(t.name)), `${t.name}: state file removed`);
  assert.not.ok(netnsExists(t.netns), `${t.name}: namespace removed`);
  assert.not.ok(linkExists(t.veth), `${t.name}: veth removed`);
  assert.not.ok(isMounted(t.root), `${t.name}: overlay unmounted`);
  assert.not.ok(existsSync(t.hostDir), `${t.name}: host dir removed`);
  assert.not.ok(pidAlive(t.nspawnPid), `${t.name}: systemd-nspawn stopped`);
  for (const dir of t.cgroups) assert.not.ok(existsSync(dir), `${t.name}: cgroup ${dir} removed`);
}

/** A separate Node.js process that starts one host, prints it as JSON, then does what `then` says. */
function child(prefix: string, then: 'exit' | 'wait', persist = false): Promise<{ host: LabHost; pid: number; exited: Promise<number | null> }> {
  const script = join(scratch, `${prefix}.mts`);
  writeFileSync(
    script,
    `import { labUp } from ${JSON.stringify(labModule)};
const [host] = await labUp({ count: 1, namePrefix: ${JSON.stringify(prefix)}, persist: ${persist} });
console.log(JSON.stringify(host));
${then === 'exit' ? 'process.exit(0);' : 'setInterval(() => {}, 1000);'}
`,
  );
  const proc = spawn(process.execPath, ['--import', 'tsx', script], { cwd: repo, stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    let out = '';
    proc.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) resolve({ host: JSON.parse(line) as LabHost, pid: proc.pid!, exited });
    });
    void exited.then((code) => reject(new Error(`child exited ${code} before printing a host: ${out}`)));
  });
}

test('hosts come up in parallel with their own names, subnets and keys, and go down without a trace', async () => {
  const started = Date.now();
  const [first, second] = await Promise.all([
    labUp({ count: 2, namePrefix: 'kafclaw-labtest-a', sudoUser: 'ops' }),
    labUp({ count: 1, namePrefix: 'kafclaw-labtest-b' }),
  ]);
  console.log(`  lab: 3 hosts up in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  const hosts = [...first, ...second];
  assert.is(new Set(hosts.map((h) => h.name)).size, 3);
  assert.is(new Set(hosts.map((h) => h.address)).size, 3);
  assert.is(new Set(hosts.map((h) => h.knownHostsLine)).size, 3, 'each host has its own host key');
  for (const host of hosts) {
    assert.equal([host.port, host.user], [22, 'root']);
    assert.ok(host.knownHostsLine.startsWith(`${host.address} ssh-ed25519 `));
    const target = labTarget(host);
    const facts = await target.run(['sh', '-c', 'hostname; cat /etc/resolv.conf | wc -c; ip -4 -o addr show eth0 | wc -l; systemctl is-system-running --wait']);
    let failed = '';
    if (!facts.stdout.endsWith('running\n')) {
      // name the unit that failed at boot, so a repeat says what it was
      failed = (await target.run(['sh', '-c', 'systemctl --failed --no-legend; for u in $(systemctl --failed --no-legend --plain | cut -d" " -f1); do journalctl -u "$u" -n 5 --no-pager -o cat; done'])).stdout;
    }
    assert.is(facts.stdout, `${host.name}\n0\n1\nrunning\n`, failed);
    await target.close();
  }
  const viaOpenSsh = execFileSync(sshCommandFor(first[0]!)[0]!, [...sshCommandFor(first[0]!).slice(1), '-o', 'BatchMode=yes', 'hostname']);
  assert.is(viaOpenSsh.toString(), `${first[0]!.name}\n`, 'the OpenSSH client accepts the recorded host key');
  const ops = labTarget(first[0]!, { user: 'ops' });
  assert.is((await ops.run(['id', '-un'], { sudo: true })).stdout, 'root\n');
  await ops.close();
  const listed = await labList();
  for (const host of hosts) {
    const entry = listed.find((h) => h.name === host.name);
    assert.equal([entry?.running, entry?.persist, entry?.ownerPid], [true, false, process.pid]);
  }
  const all = hosts.map((h) => traces(h.name));
  const down = Date.now();
  assert.equal((await labDown(hosts.map((h) => h.name))).sort(), hosts.map((h) => h.name).sort());
  console.log(`  lab: 3 hosts down in ${((Date.now() - down) / 1000).toFixed(1)} s`);
  all.forEach(assertGone);
});

test('withLabHosts (the suite helper) removes its hosts even when the body throws', async () => {
  let seen: Traces | null = null;
  const error = await withLabHosts(1, async ([host]) => {
    seen = traces(host!.name);
    const target = labTarget(host!);
    assert.is((await target.run(['hostname'])).stdout, `${host!.name}\n`);
    await target.close();
    throw new Error('body failed');
  }).catch((e: Error) => e);
  assert.is((error as Error).message, 'body failed');
  assertGone(seen!);
});

test('labDown names unknown hosts in its error', async () => {
  await labDown(['kafclaw-labtest-none']).then(
    () => assert.unreachable('expected an error'),
    (error: Error) => assert.match(error.message, /no lab host named "kafclaw-labtest-none"/),
  );
});

test('a process that exits normally or on SIGTERM takes its hosts with it', async () => {
  const normal = await child('kafclaw-labtest-exit', 'exit');
  assert.is(await normal.exited, 0);
  assert.not.ok(existsSync(labPaths.state(normal.host.name)));
  assert.not.ok(netnsExists(normal.host.name));
  const term = await child('kafclaw-labtest-term', 'wait');
  const t = traces(term.host.name);
  process.kill(term.pid, 'SIGTERM');
  await term.exited;
  assertGone(t);
});

test('leftovers of a killed process are swept; a persisted host survives its creator until labDown', async () => {
  const killed = await child('kafclaw-labtest-crash', 'wait');
  const persisted = await child('kafclaw-labtest-keep', 'exit', true);
  await persisted.exited;
  const t = traces(killed.host.name);
  process.kill(killed.pid, 'SIGKILL');
  await killed.exited;
  assert.ok(existsSync(labPaths.state(killed.host.name)), 'SIGKILL leaves the host behind');
  assert.ok(pidAlive(t.nspawnPid));
  const swept = sweepLab();
  assert.ok(swept.includes(killed.host.name));
  assert.not.ok(swept.includes(persisted.host.name));
  assertGone(t);
  const kept = (await labList()).find((h) => h.name === persisted.host.name);
  assert.equal([kept?.running, kept?.persist], [true, true]);
  const target = labTarget(persisted.host);
  assert.is((await target.run(['hostname'])).stdout, `${persisted.host.name}\n`);
  await target.close();
  const keptTraces = traces(persisted.host.name);
  await labDown([persisted.host.name]);
  assertGone(keptTraces);
});

test("labDown('all') removes persisted hosts but not those of another running process", async () => {
  const persisted = await child('kafclaw-labtest-keep2', 'exit', true);
  await persisted.exited;
  const busy = await child('kafclaw-labtest-busy', 'wait');
  const keptTraces = traces(persisted.host.name);
  const others = (await labList()).filter((h) => h.persist && !h.name.startsWith('kafclaw-labtest'));
  if (others.length > 0) {
    // Never take down someone's `kafclaw lab up` hosts to run a test.
    console.log(`  skipped labDown('all'): persisted hosts present (${others.map((h) => h.name).join(', ')})`);
    await labDown([persisted.host.name]);
    process.kill(busy.pid, 'SIGTERM');
    await busy.exited;
    return;
  }
  const removed = await labDown('all');
  assert.ok(removed.includes(persisted.host.name));
  assertGone(keptTraces);
  assert.not.ok(removed.includes(busy.host.name));
  assert.ok(existsSync(labPaths.state(busy.host.name)));
  const busyTraces = traces(busy.host.name);
  process.kill(busy.pid, 'SIGTERM');
  await busy.exited;
  assertGone(busyTraces);
});

test.run();
