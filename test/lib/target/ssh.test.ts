import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Secret } from '../../../lib/secrets/secret.js';
import { gatherFacts } from '../../../lib/facts/gather.js';
import type { FactProbe } from '../../../lib/facts/types.js';
import { fingerprintSha256, hashHostName } from '../../../lib/target/known-hosts.js';
import { SshTarget } from '../../../lib/target/ssh.js';
import { TargetUnreachableError } from '../../../lib/target/types.js';
import type { RunOptions, RunResult, Target } from '../../../lib/target/types.js';
import { labTarget, useLabHosts } from '../../lab/hosts.js';

const test = suite('SshTarget on a lab host');
const lab = useLabHosts(test, 1, { sudoUser: 'admin' });
const scratch = mkdtempSync(join(tmpdir(), 'kafclaw-ssh-test-'));
const open: SshTarget[] = [];

function target(overrides: Parameters<typeof labTarget>[1] = {}): SshTarget {
  const t = labTarget(lab.hosts[0]!, overrides);
  open.push(t);
  return t;
}

let root: SshTarget;
test.before.each(() => {
  if (!root) root = target();
});

test.after(async () => {
  await Promise.all(open.map((t) => t.close()));
  rmSync(scratch, { recursive: true, force: true });
});

async function rejects(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

test('connects as root, runs an argv, and reuses one connection (timings printed)', async () => {
  const first = await root.run(['id', '-un']);
  assert.equal({ code: first.exitCode, out: first.stdout }, { code: 0, out: 'root\n' });
  const latencies: number[] = [];
  for (let i = 0; i < 20; i++) {
    const started = performance.now();
    await root.run(['true']);
    latencies.push(performance.now() - started);
  }
  latencies.sort((a, b) => a - b);
  console.log(`  ssh: connect ${root.connectMs!.toFixed(0)} ms, command median ${latencies[10]!.toFixed(1)} ms, max ${latencies[19]!.toFixed(1)} ms`);
  const parallel = await Promise.all(Array.from({ length: 24 }, (_, i) => root.run(['echo', String(i)])));
  assert.equal(parallel.map((r) => r.stdout), Array.from({ length: 24 }, (_, i) => `${i}\n`));
  const peers = await root.run(['ss', '-Htn', 'state', 'established', '( sport = :22 )']);
  const fromThisTarget = peers.stdout.trim().split('\n').filter((line) => line.includes(lab.hosts[0]!.controllerAddress));
  assert.is(fromThisTarget.length, 1, peers.stdout);
});

test('a failing command is a result with its exit code and stderr', async () => {
  const result = await root.run(['sh', '-c', 'echo oops >&2; exit 7']);
  assert.equal({ code: result.exitCode, err: result.stderr, timedOut: result.timedOut }, { code: 7, err: 'oops\n', timedOut: false });
  const missing = await root.run(['no-such-command-here']);
  assert.is(missing.exitCode, 127);
});

test('arguments with spaces, quotes, newlines and shell syntax arrive unchanged', async () => {
  const tricky = ['a b', "it's", '"dq"', 'line1\nline2', '$HOME', '`id`', '$(id)', '*', '', '-n', 'tab\there', 'back\\slash', 'ünïcode', ';rm -rf /tmp/x;', '|&<>'];
  const result = await root.run(['printf', '%s\\0', ...tricky]);
  assert.is(result.exitCode, 0, result.stderr);
  assert.equal(result.stdout.split('\0').slice(0, -1), tricky);
});

test('stdin: text, binary bytes and a Secret reach the command', async () => {
  assert.is((await root.run(['cat'], { stdin: 'hello\nworld' })).stdout, 'hello\nworld');
  const bytes = Buffer.from([0, 1, 2, 255, 10, 13, 0x80]);
  const hex = await root.run(['od', '-An', '-tx1'], { stdin: bytes });
  assert.is(hex.stdout.trim().replace(/\s+/g, ' '), '00 01 02 ff 0a 0d 80');
  const secret = new Secret('canary-stdin-5b1e0c9d7a3f2e8b', 'test');
  assert.is((await root.run(['sha256sum'], { stdin: secret })).stdout.split(' ')[0], execFileSync('sha256sum', { input: secret.reveal() }).toString().split(' ')[0]);
});

test('large stdin and stdout stream through intact (throughput printed)', async () => {
  const big = randomBytes(16 * 1024 * 1024);
  const started = performance.now();
  const sum = await root.run(['sha256sum'], { stdin: big });
  const seconds = (performance.now() - started) / 1000;
  assert.is(sum.stdout.split(' ')[0], createHash('sha256').update(big).digest('hex'));
  const back = await root.run(['head', '-c', String(8 * 1024 * 1024), '/dev/zero']);
  assert.is(back.stdout.length, 8 * 1024 * 1024);
  console.log(`  ssh: 16 MiB up in ${seconds.toFixed(2)} s (${(16 / seconds).toFixed(0)} MiB/s)`);
});

test('cwd and runScript', async () => {
  assert.is((await root.run(['pwd'], { cwd: '/etc/ssh' })).stdout, '/etc/ssh\n');
  const script = await root.runScript('set -e\nx="$(hostname)"\necho "host=$x"\nexit 3\n');
  assert.equal({ code: script.exitCode, out: script.stdout }, { code: 3, out: `host=${lab.hosts[0]!.name}\n` });
});

test('a timeout ends the command and reports timedOut', async () => {
  const started = performance.now();
  const result = await root.run(['sleep', '31'], { timeoutMs: 300 });
  assert.ok(result.timedOut);
  assert.ok(performance.now() - started < 3000);
  let left = '';
  for (let i = 0; i < 20; i++) {
    left = (await root.run(['sh', '-c', 'ps -eo args | grep -x "sleep 31" || true'])).stdout;
    if (left === '') break;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.is(left, '', 'the remote command was killed');
  assert.is((await root.run(['echo', 'still usable'])).stdout, 'still usable\n');
  const admin = target({ user: 'admin' });
  const viaSudo = await admin.run(['sleep', '32'], { timeoutMs: 300, sudo: true });
  assert.ok(viaSudo.timedOut);
  for (let i = 0; i < 40; i++) {
    left = (await root.run(['sh', '-c', 'ps -eo args | grep -x "sleep 32" || true'])).stdout;
    if (left === '') break;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.is(left, '', 'the command run by sudo was killed');
});

test('a non-root login runs with sudo -n only when asked', async () => {
  const admin = target({ user: 'admin' });
  assert.is((await admin.run(['id', '-un'])).stdout, 'admin\n');
  assert.is((await admin.run(['id', '-un'], { sudo: true })).stdout, 'root\n');
  assert.is((await admin.run(['cat'], { sudo: true, stdin: 'through sudo' })).stdout, 'through sudo');
  assert.is((await admin.run(['pwd'], { sudo: true, cwd: '/var/log' })).stdout, '/var/log\n');
});

test('the first sudo command of a connection goes straight to sudo -n: no `sudo -n true` is asked first', async () => {
  const mark = `kafclaw-sudo-probe-${Date.now()}`;
  const admin = target({ user: 'admin' });
  assert.is((await admin.run(['echo', mark], { sudo: true })).stdout, `${mark}\n`);
  assert.is((await admin.run(['id', '-u'], { sudo: true })).stdout, '0\n');
  await admin.close();
  const log = await root.run(['journalctl', '-o', 'cat', '_COMM=sudo', '--no-pager', '-n', '200']);
  const commands = log.stdout.split('\n').filter((line) => line.includes('COMMAND='));
  const since = commands.findIndex((line) => line.includes(mark));
  assert.ok(since > 0, `sudo logged the first command, after earlier ones:\n${commands.slice(-5).join('\n')}`);
  assert.not.ok(commands.slice(since - 1, since).some((line) => /COMMAND=\/usr\/bin\/true$/.test(line)), commands.slice(since - 2, since + 2).join('\n'));
  assert.is(commands.slice(since).filter((line) => /COMMAND=\/usr\/bin\/true$/.test(line)).length, 0);
});

const SUDO_PASSWORD = new Secret('canary-sudo-pw-4c8e1a7f3b9d', 'test');

async function passwordUser(): Promise<void> {
  const exists = await root.run(['id', 'pwuser']);
  if (exists.exitCode === 0) return;
  const setup = await root.runScript(`set -e
useradd --create-home --shell /bin/sh --groups sudo pwuser
install -d -m 0700 -o pwuser -g pwuser /home/pwuser/.ssh
install -m 0600 -o pwuser -g pwuser /root/.ssh/authorized_keys /home/pwuser/.ssh/authorized_keys
`);
  assert.is(setup.exitCode, 0, setup.stderr);
  const pw = await root.run(['chpasswd'], { stdin: new Secret(`pwuser:${SUDO_PASSWORD.reveal()}\n`) });
  assert.is(pw.exitCode, 0, pw.stderr);
}

test('sudo with a password: sudo -S reads it from stdin, the command still gets its own stdin', async () => {
  await passwordUser();
  const withPassword = target({ user: 'pwuser', sudoPassword: SUDO_PASSWORD });
  assert.is((await withPassword.run(['id', '-u'], { sudo: true })).stdout, '0\n');
  assert.is((await withPassword.run(['cat'], { sudo: true, stdin: 'payload' })).stdout, 'payload');
  assert.is((await withPassword.run(['cat'], { sudo: true })).stdout, '');
  const script = await withPassword.runScript('id -u; cat /etc/shadow >/dev/null && echo readable', { sudo: true });
  assert.is(script.stdout, '0\nreadable\n');
  const withoutPassword = target({ user: 'pwuser' });
  const refused = await withoutPassword.run(['id', '-u'], { sudo: true });
  assert.is(refused.exitCode, 1);
  assert.match(refused.stderr, /password is required/);
});

test('readFile: contents as bytes, null when missing, an error when unreadable', async () => {
  const bytes = Buffer.from([0xde, 0xad, 0, 0xbe, 0xef, 10]);
  await root.run(['sh', '-c', 'cat > /root/blob'], { stdin: bytes });
  assert.equal(await root.readFile('/root/blob'), bytes);
  assert.is(await root.readFile('/root/no-such-file'), null);
  assert.is(await root.readFile('/no-such-dir/file'), null);
  const admin = target({ user: 'admin' });
  const denied = (await rejects(admin.readFile('/etc/shadow'))) as NodeJS.ErrnoException;
  assert.is(denied.code, 'EACCES');
  assert.match(denied.message, /cannot read \/etc\/shadow/);
  assert.match((await admin.readFile('/etc/shadow', { sudo: true }))!.toString(), /^root:/);
  const isDir = (await rejects(root.readFile('/etc'))) as NodeJS.ErrnoException;
  assert.is(isDir.code, 'EISDIR');
});

test('writeFileAtomic: final owner, group, mode and content; nothing left beside it', async () => {
  await root.run(['mkdir', '-p', '/srv/w']);
  await root.writeFileAtomic('/srv/w/app.env', 'A=1\n', { mode: 0o640, owner: 'root', group: 'admin' });
  const stat = await root.stat('/srv/w/app.env');
  const adminGid = Number((await root.run(['getent', 'group', 'admin'])).stdout.split(':')[2]);
  assert.equal({ type: stat!.type, mode: stat!.mode, uid: stat!.uid, gid: stat!.gid, size: stat!.size }, { type: 'file', mode: 0o640, uid: 0, gid: adminGid, size: 4 });
  const secret = new Secret('TOKEN=canary-write-9f2d4b6a8c1e\n', 'test');
  await root.writeFileAtomic('/srv/w/app.env', secret, { mode: 0o600 });
  assert.is((await root.readFile('/srv/w/app.env'))!.toString(), secret.reveal());
  assert.is((await root.stat('/srv/w/app.env'))!.mode, 0o600);
  await root.writeFileAtomic("/srv/w/it's a file", Buffer.from([1, 2, 3]), { mode: 0o644, owner: 'admin' });
  const odd = await root.stat("/srv/w/it's a file");
  assert.equal({ mode: odd!.mode, size: odd!.size, gid: odd!.gid }, { mode: 0o644, size: 3, gid: 0 });
  assert.is((await root.run(['ls', '-A', '/srv/w'])).stdout, "app.env\nit's a file\n");
  const admin = target({ user: 'admin' });
  await admin.writeFileAtomic('/etc/kafclaw-test.conf', 'x=1\n', { mode: 0o600, owner: 'root', group: 'root', sudo: true });
  assert.equal(await root.stat('/etc/kafclaw-test.conf').then((s) => [s!.mode, s!.uid]), [0o600, 0]);
  const denied = await rejects(admin.writeFileAtomic('/etc/denied.conf', 'x', { mode: 0o600 }));
  assert.match(denied.message, /cannot write \/etc\/denied.conf/);
  assert.is(await root.stat('/etc/denied.conf'), null);
  const missingDir = await rejects(root.writeFileAtomic('/no/such/dir/f', 'x', { mode: 0o600 }));
  assert.match(missingDir.message, /cannot write/);
});

test('stat: lstat of files, directories and symlinks; null when missing', async () => {
  await root.runScript('set -e; mkdir -p /srv/s; ln -sfn /etc/passwd /srv/s/link; install -m 4750 /dev/null /srv/s/suid');
  assert.equal(await root.stat('/srv/s/link').then((s) => s!.type), 'symlink');
  assert.equal(await root.stat('/srv/s').then((s) => [s!.type, s!.mode]), ['dir', 0o755]);
  assert.equal(await root.stat('/srv/s/suid').then((s) => [s!.type, s!.mode]), ['file', 0o4750]);
  const passwd = await root.stat('/etc/passwd');
  assert.ok(passwd!.size > 0 && Math.abs(passwd!.mtimeMs - Date.now()) < 10 * 365 * 86400_000);
  assert.is(await root.stat('/srv/s/missing'), null);
  assert.is(await root.stat('/etc/passwd/child'), null);
});

function publicKeyBlob(line: string): Buffer {
  return Buffer.from(line.trim().split(/\s+/).pop()!, 'base64');
}

test('an unknown host key is refused with its fingerprint and the flag; accepted and recorded with the flag', async () => {
  const host = lab.hosts[0]!;
  const knownHostsPath = join(scratch, 'new_known_hosts');
  const fingerprint = fingerprintSha256(publicKeyBlob(host.knownHostsLine));
  const error = await rejects(target({ knownHostsPath }).run(['true']));
  assert.instance(error, TargetUnreachableError);
  assert.is((error as TargetUnreachableError).step, 'host key');
  assert.ok(error.message.includes(host.name), error.message);
  assert.ok(error.message.includes(fingerprint), error.message);
  assert.ok(error.message.includes('--accept-new-host-keys'), error.message);
  const accepting = target({ knownHostsPath, acceptNewHostKeys: true });
  assert.is((await accepting.run(['echo', 'ok'])).stdout, 'ok\n');
  assert.is(accepting.acceptedHostKey, fingerprint);
  assert.is(readFileSync(knownHostsPath, 'utf8'), `${host.knownHostsLine}\n`);
  assert.is((await target({ knownHostsPath }).run(['echo', 'known now'])).stdout, 'known now\n');
});

test('a changed host key is refused, even with --accept-new-host-keys', async () => {
  const host = lab.hosts[0]!;
  const keyPath = join(scratch, 'other_key');
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', keyPath]);
  const other = readFileSync(`${keyPath}.pub`, 'utf8').trim().split(/\s+/).slice(0, 2).join(' ');
  const knownHostsPath = join(scratch, 'changed_known_hosts');
  writeFileSync(knownHostsPath, `# old entry\n${host.address} ${other}\n`);
  const error = await rejects(target({ knownHostsPath, acceptNewHostKeys: true }).run(['true']));
  assert.instance(error, TargetUnreachableError);
  assert.is((error as TargetUnreachableError).step, 'host key');
  assert.match(error.message, /HOST KEY CHANGED/);
  assert.ok(error.message.includes(`${knownHostsPath}:2`), error.message);
  assert.ok(error.message.includes(fingerprintSha256(publicKeyBlob(host.knownHostsLine))), error.message);
  assert.is(readFileSync(knownHostsPath, 'utf8'), `# old entry\n${host.address} ${other}\n`);
});

test('hashed known_hosts lines are honoured', async () => {
  const host = lab.hosts[0]!;
  const knownHostsPath = join(scratch, 'hashed_known_hosts');
  const [, type, key] = host.knownHostsLine.split(' ');
  writeFileSync(knownHostsPath, `${hashHostName('10.0.0.1')} ${type} AAAA\n${hashHostName(host.address)} ${type} ${key}\n`);
  assert.is((await target({ knownHostsPath }).run(['echo', 'hashed'])).stdout, 'hashed\n');
  const byOpenSsh = join(scratch, 'ssh_keygen_hashed');
  writeFileSync(byOpenSsh, readFileSync(host.knownHostsPath));
  execFileSync('ssh-keygen', ['-q', '-H', '-f', byOpenSsh], { stdio: 'ignore' });
  assert.match(readFileSync(byOpenSsh, 'utf8'), /^\|1\|/);
  assert.is((await target({ knownHostsPath: byOpenSsh }).run(['echo', 'still'])).stdout, 'still\n');
});

test('authentication failure is TargetUnreachableError; the bootstrap user is tried and reported', async () => {
  const refused = await rejects(target({ user: 'nobody-here' }).run(['true']));
  assert.instance(refused, TargetUnreachableError);
  assert.is((refused as TargetUnreachableError).step, 'authenticate');
  assert.match(refused.message, /nobody-here/);
  const bootstrapped = target({ user: 'nobody-here', bootstrapUser: 'root' });
  assert.is((await bootstrapped.run(['id', '-un'])).stdout, 'root\n');
  assert.is(bootstrapped.user, 'root');
  assert.ok(bootstrapped.usedBootstrapUser);
  const direct = target({ user: 'admin', bootstrapUser: 'root' });
  await direct.connect();
  assert.equal([direct.user, direct.usedBootstrapUser], ['admin', false]);
});

test('a closed port is TargetUnreachableError at the connect step', async () => {
  const error = await rejects(target({ port: 2222 }).run(['true']));
  assert.instance(error, TargetUnreachableError);
  assert.is((error as TargetUnreachableError).step, 'connect');
  assert.match(error.message, /refused/);
});

test('a connection lost mid-command is TargetUnreachableError; the next command connects again', async () => {
  const fragile = target();
  await fragile.connect();
  // The command's parent is this connection's sshd session process.
  const lost = await rejects(fragile.run(['sh', '-c', 'kill -9 $PPID; sleep 5']));
  assert.instance(lost, TargetUnreachableError);
  assert.is((lost as TargetUnreachableError).step, 'run');
  assert.is((await fragile.run(['echo', 'back'])).stdout, 'back\n');
});

/** Counts round trips; delegates everything to the real target. */
function counting(inner: Target): { target: Target; calls: () => number } {
  let calls = 0;
  const target: Target = {
    name: inner.name,
    kind: inner.kind,
    run: (argv: readonly string[], options?: RunOptions): Promise<RunResult> => (calls++, inner.run(argv, options)),
    runScript: (script, options) => (calls++, inner.runScript(script, options)),
    readFile: (path, options) => inner.readFile(path, options),
    writeFileAtomic: (path, content, options) => inner.writeFileAtomic(path, content, options),
    stat: (path) => inner.stat(path),
    close: () => inner.close(),
  };
  return { target, calls: () => calls };
}

const probes: FactProbe[] = [
  { key: 'host.name', script: 'hostname', parse: (out) => out.trim() },
  { key: 'os.id', script: '. /etc/os-release; echo "$ID $VERSION_ID"', parse: (out) => out.trim() },
  { key: 'users.uid0', script: "awk -F: '$3 == 0 {print $1}' /etc/passwd", parse: (out) => out.trim().split('\n') },
  { key: 'sshd.permitrootlogin', root: true, script: 'sshd -T | grep -i "^permitrootlogin "', parse: (out) => out.trim().split(' ')[1] },
  { key: 'path.missing', script: 'stat -c %a /nowhere', parse: (out, code) => (code === 0 ? out.trim() : null) },
];

test('gatherFacts over SSH: every probe in one round trip (two with sudo as a non-root login)', async () => {
  const asRoot = counting(root);
  const facts = await gatherFacts(asRoot.target, probes);
  assert.is(asRoot.calls(), 1);
  assert.is(facts.get('host.name'), lab.hosts[0]!.name);
  assert.is(facts.get('os.id'), 'debian 12');
  assert.equal(facts.get('users.uid0'), ['root']);
  assert.is(facts.get('sshd.permitrootlogin'), 'without-password');
  assert.is(facts.get('path.missing'), null);
  const asAdmin = counting(target({ user: 'admin' }));
  const adminFacts = await gatherFacts(asAdmin.target, probes, undefined, { sudo: true });
  assert.is(asAdmin.calls(), 2);
  assert.is(adminFacts.get('sshd.permitrootlogin'), 'without-password');
});

test('a secret passed on stdin never shows in the host process list', async () => {
  await passwordUser();
  const canary = new Secret('canary-ps-8d3f1b7e2a6c4f0e', 'test');
  const seen: string[] = [];
  const watch = async (marker: string, running: Promise<unknown>): Promise<void> => {
    let done = false;
    void running.finally(() => (done = true));
    let sawCommand = false;
    while (!done) {
      const ps = (await root.run(['ps', '-eo', 'args'])).stdout;
      seen.push(ps);
      if (ps.includes(marker)) sawCommand = true;
      await new Promise((r) => setTimeout(r, 50));
    }
    await running;
    assert.ok(sawCommand, `the command "${marker}" was seen running`);
  };
  const holder = root.run(['sh', '-c', 'read value; echo ${#value}; sleep 1.1'], { stdin: canary });
  await watch('sleep 1.1', holder);
  assert.is((await holder).stdout, `${canary.reveal().length}\n`);
  const viaSudo = target({ user: 'pwuser', sudoPassword: SUDO_PASSWORD });
  await viaSudo.connect();
  await watch('sleep 1.2', viaSudo.run(['sh', '-c', 'read value; sleep 1.2'], { sudo: true, stdin: canary }));
  assert.ok(seen.length >= 4);
  for (const ps of seen) {
    assert.not.ok(ps.includes(canary.reveal()), 'canary in process list');
    assert.not.ok(ps.includes(SUDO_PASSWORD.reveal()), 'sudo password in process list');
  }
});

test.run();
