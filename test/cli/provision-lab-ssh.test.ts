// `kafclaw provision` (the built CLI) against real lab hosts: how it treats host keys (unknown,
// accepted, changed) and a login whose sudo needs a password given as a secret reference.
import { readFile } from 'node:fs/promises';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { labTarget, useLabHosts } from '../lab/hosts.js';
import type { LabHost } from '../lab/hosts.js';
import { inventoryText, kafclawAsync, labFingerprint, parseJsonRun, runCommand, show, workDir } from './provision-lab-helpers.js';
import type { CliRun } from './provision-lab-helpers.js';
import { shellQuote } from '../../lib/target/quote.js';

const test = suite('cli/provision: host keys and sudo passwords (lab)');
const lab = useLabHosts(test, 2);

const directoryPlaybook = (path: string) => `- name: host key test
  hosts: all
  tasks:
    - name: a directory
      directory:
        path: ${path}
        mode: '0750'
`;

async function stat(host: LabHost, path: string) {
  const root = labTarget(host);
  try {
    return await root.stat(path);
  } finally {
    await root.close();
  }
}

/** The summary lines of text output, per host. */
function textSummary(stdout: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const match of stdout.matchAll(/^ {2}(\S+)\s+(ok=\d+\s+changed=\d+\s+failed=\d+\s+unreachable=(?:yes|no))$/gm)) out[match[1]!] = match[2]!.replace(/\s+/g, ' ');
  return out;
}

test('an unknown host key is refused: exit 3, the host, the step, the SHA256 fingerprint and --accept-new-host-keys; nothing is done', async () => {
  const host = lab.hosts[0]!;
  const work = await workDir();
  try {
    const knownHosts = await work.file('known_hosts', '');
    const inventory = await work.file('inventory.yml', inventoryText([{ host }], { knownHostsFile: knownHosts }));
    const playbook = await work.file('play.yml', directoryPlaybook('/srv/kafclaw-unknown-key'));
    const run = await kafclawAsync(['provision', playbook, '-i', inventory]);
    assert.is(run.code, 3, show(run));
    const line = run.stdout.split('\n').find((l) => l.includes('UNREACHABLE')) ?? '';
    assert.ok(line.startsWith(`${host.name}: UNREACHABLE at host key:`), show(run));
    assert.ok(line.includes(labFingerprint(host)), `the fingerprint ${labFingerprint(host)} is not in: ${line}`);
    assert.ok(line.includes('--accept-new-host-keys'), line);
    assert.ok(line.includes(knownHosts), `the known_hosts file is not named: ${line}`);
    assert.equal(textSummary(run.stdout), { [host.name]: 'ok=0 changed=0 failed=0 unreachable=yes' }, show(run));
    assert.is(run.stderr, '', 'a refused key is reported on stdout with the run, not as a crash');
    assert.is(await readFile(knownHosts, 'utf8'), '', 'the key was recorded without --accept-new-host-keys');
    assert.is(await stat(host, '/srv/kafclaw-unknown-key'), null, 'the playbook ran on a host whose key was refused');
  } finally {
    await work.cleanup();
  }
});

test('--accept-new-host-keys records the key in the inventory\'s known_hosts file and the run proceeds; later runs need no flag', async () => {
  const host = lab.hosts[0]!;
  const work = await workDir();
  try {
    const knownHosts = await work.file('known_hosts', '# kept\n');
    const inventory = await work.file('inventory.yml', inventoryText([{ host }], { knownHostsFile: knownHosts }));
    const playbook = await work.file('play.yml', directoryPlaybook('/srv/kafclaw-accepted-key'));
    const run = await kafclawAsync(['provision', playbook, '-i', inventory, '--accept-new-host-keys', '--format', 'json']);
    assert.is(run.code, 0, show(run));
    const { events, summary } = parseJsonRun(run);
    assert.equal(summary.hosts[host.name], { ok: 0, changed: 1, failed: 0, unreachable: false });
    const note = events.find((e) => e.type === 'note' && e.host === host.name && e.message.startsWith('recorded the host key'));
    assert.ok(note && note.type === 'note' && note.message.includes(labFingerprint(host)) && note.message.includes(knownHosts), show(run));
    const [, type, key] = host.knownHostsLine.trim().split(/\s+/);
    assert.is(await readFile(knownHosts, 'utf8'), `# kept\n${host.address} ${type} ${key}\n`);
    assert.is((await stat(host, '/srv/kafclaw-accepted-key'))?.mode, 0o750);

    const again = await kafclawAsync(['provision', playbook, '-i', inventory, '--format', 'json']);
    assert.is(again.code, 0, show(again));
    assert.equal(parseJsonRun(again).summary.hosts[host.name], { ok: 1, changed: 0, failed: 0, unreachable: false });
    assert.not.ok(parseJsonRun(again).events.some((e) => e.type === 'note'), 'the known key was recorded again');
    assert.is((await readFile(knownHosts, 'utf8')).split('\n').filter((l) => l.includes(host.address)).length, 1);
  } finally {
    await work.cleanup();
  }
});

test('a CHANGED host key is refused even with --accept-new-host-keys; the other host converges; exit 3', async () => {
  const [changed, good] = [lab.hosts[0]!, lab.hosts[1]!];
  const work = await workDir();
  try {
    // The changed host is recorded with the other host's (valid, but wrong) key.
    const [, type, otherKey] = good.knownHostsLine.trim().split(/\s+/);
    const knownText = `${changed.address} ${type} ${otherKey}\n${good.knownHostsLine.trim()}\n`;
    const knownHosts = await work.file('known_hosts', knownText);
    const inventory = await work.file('inventory.yml', inventoryText([{ host: changed }, { host: good }], { knownHostsFile: knownHosts }));
    const playbook = await work.file('play.yml', directoryPlaybook('/srv/kafclaw-changed-key'));
    const run = await kafclawAsync(['provision', playbook, '-i', inventory, '--accept-new-host-keys']);
    assert.is(run.code, 3, show(run));
    const line = run.stdout.split('\n').find((l) => l.includes('UNREACHABLE')) ?? '';
    assert.ok(line.startsWith(`${changed.name}: UNREACHABLE at host key:`), show(run));
    assert.match(line, /HOST KEY CHANGED/);
    assert.ok(line.includes(labFingerprint(changed)), `the offered key's fingerprint is not in: ${line}`);
    assert.ok(line.includes(`${knownHosts}:1`), `the known_hosts line is not named: ${line}`);
    assert.equal(textSummary(run.stdout), {
      [changed.name]: 'ok=0 changed=0 failed=0 unreachable=yes',
      [good.name]: 'ok=0 changed=1 failed=0 unreachable=no',
    }, show(run));
    assert.is(await readFile(knownHosts, 'utf8'), knownText, 'known_hosts was changed');
    assert.is(await stat(changed, '/srv/kafclaw-changed-key'), null, 'the playbook ran on the host with the changed key');
    assert.is((await stat(good, '/srv/kafclaw-changed-key'))?.mode, 0o750);
  } finally {
    await work.cleanup();
  }
});

// A login whose sudo asks for a password: created through root, the password set through chpasswd's
// standard input, a sudoers line without NOPASSWD.
const SUDO_LOGIN = 'carol';
const PASSWORD = `sudo-canary-${process.pid}-Qm7xK2vR9t`;

async function addPasswordSudoLogin(host: LabHost): Promise<void> {
  const root = labTarget(host);
  try {
    const made = await root.runScript(`set -eu
id ${SUDO_LOGIN} >/dev/null 2>&1 || useradd --create-home --shell /bin/bash ${SUDO_LOGIN}
install -d -m 0700 -o ${SUDO_LOGIN} -g ${SUDO_LOGIN} /home/${SUDO_LOGIN}/.ssh
install -m 0600 -o ${SUDO_LOGIN} -g ${SUDO_LOGIN} /root/.ssh/authorized_keys /home/${SUDO_LOGIN}/.ssh/authorized_keys
echo '${SUDO_LOGIN} ALL=(ALL:ALL) ALL' > /etc/sudoers.d/90-test-${SUDO_LOGIN}
chmod 0440 /etc/sudoers.d/90-test-${SUDO_LOGIN}
visudo -cf /etc/sudoers.d/90-test-${SUDO_LOGIN} >/dev/null
`);
    assert.is(made.exitCode, 0, made.stderr);
    const password = await root.run(['chpasswd'], { stdin: `${SUDO_LOGIN}:${PASSWORD}\n` });
    assert.is(password.exitCode, 0, password.stderr);
  } finally {
    await root.close();
  }
}

const sudoPlaybook = `- name: needs root
  hosts: all
  tasks:
    - name: a directory only root may enter
      directory:
        path: /root/kafclaw-sudo-test
        mode: '0700'
    - name: a root-owned file
      file:
        path: /etc/kafclaw-sudo-test.conf
        content: "written through sudo with a password\\n"
        mode: '0600'
`;

async function sudoInventory(work: Awaited<ReturnType<typeof workDir>>, host: LabHost, extra: Record<string, unknown> = {}) {
  return work.file('inventory.yml', inventoryText([{ host }], { vars: { ansible_user: SUDO_LOGIN, ...extra } }));
}

test('a sudo password from env:NAME: the run succeeds as the login; the password is in no output and no process argument list on the host', async () => {
  const host = lab.hosts[1]!;
  await addPasswordSudoLogin(host);
  const work = await workDir();
  const watcher = labTarget(host);
  try {
    // The login really needs a password: sudo -n refuses it.
    const asLogin = labTarget(host, { user: SUDO_LOGIN });
    const probe = await asLogin.run(['sudo', '-n', 'true']).finally(() => asLogin.close());
    assert.is.not(probe.exitCode, 0, 'the test login has passwordless sudo');

    const inventory = await sudoInventory(work, host, { ansible_become_password: 'env:KAFCLAW_TEST_SUDO_PASSWORD' });
    const playbook = await work.file('play.yml', sudoPlaybook);
    let watching = true;
    let polls = 0;
    let seen = 0;
    const watch = (async () => {
      while (watching) {
        const ps = await watcher.run(['ps', '-eww', '-o', 'args']).catch(() => null);
        if (!ps) continue;
        polls++;
        if (ps.stdout.includes(PASSWORD)) seen++;
      }
    })();
    let run;
    try {
      run = await kafclawAsync(['provision', playbook, '-i', inventory, '--format', 'json', '--diff'], { KAFCLAW_TEST_SUDO_PASSWORD: PASSWORD });
    } finally {
      watching = false;
      await watch;
    }
    assert.is(run.code, 0, show(run));
    const { events, summary } = parseJsonRun(run);
    assert.equal(summary.hosts[host.name], { ok: 0, changed: 2, failed: 0, unreachable: false }, show(run));
    assert.ok(events.some((e) => e.type === 'host' && e.login === SUDO_LOGIN && !e.bootstrap), show(run));
    console.log(`  sudo password run: ${run.ms} ms, ps polled ${polls} times on the host`);
    assert.ok(polls > 3, `ps was polled ${polls} times only`);
    assert.is(seen, 0, 'the sudo password showed in a process argument list on the host');
    assert.not.ok(run.stdout.includes(PASSWORD) || run.stderr.includes(PASSWORD), 'the sudo password appeared in the output');
    // The changes were made as root.
    const file = await watcher.stat('/etc/kafclaw-sudo-test.conf');
    assert.equal(file && { uid: file.uid, mode: file.mode }, { uid: 0, mode: 0o600 });
    const dir = await watcher.stat('/root/kafclaw-sudo-test');
    assert.equal(dir && { uid: dir.uid, mode: dir.mode, type: dir.type }, { uid: 0, mode: 0o700, type: 'dir' });

    // A second run (text output) changes nothing and still shows no password.
    const again = await kafclawAsync(['provision', playbook, '-i', inventory, '--diff'], { KAFCLAW_TEST_SUDO_PASSWORD: PASSWORD });
    assert.is(again.code, 0, show(again));
    assert.match(again.stdout, new RegExp(`${host.name}\\s+ok=2\\s+changed=0\\s+failed=0\\s+unreachable=no`));
    assert.not.ok(again.stdout.includes(PASSWORD) || again.stderr.includes(PASSWORD));
  } finally {
    await watcher.close();
    await work.cleanup();
  }
});

/** sudo's failed password checks for the test login so far, as the host's journal records them. */
async function sudoAuthFailures(host: LabHost): Promise<number> {
  const root = labTarget(host);
  try {
    const result = await root.runScript(`journalctl --sync; journalctl --no-pager -q _COMM=sudo | grep -c 'pam_unix(sudo:auth): authentication failure;.* ruser=${SUDO_LOGIN} ' || true`);
    return Number(result.stdout.trim());
  } finally {
    await root.close();
  }
}

test('a wrong sudo password fails that host with a clear message, tried once only; exit 3; the wrong password is not shown', async () => {
  const host = lab.hosts[1]!;
  await addPasswordSudoLogin(host);
  const work = await workDir();
  const failuresBefore = await sudoAuthFailures(host);
  try {
    const wrong = `wrong-sudo-canary-${process.pid}-Zp4`;
    const inventory = await sudoInventory(work, host, { ansible_become_password: 'env:KAFCLAW_TEST_SUDO_PASSWORD' });
    const playbook = await work.file('play.yml', sudoPlaybook.replaceAll('kafclaw-sudo-test', 'kafclaw-wrong-sudo'));
    const run = await kafclawAsync(['provision', playbook, '-i', inventory], { KAFCLAW_TEST_SUDO_PASSWORD: wrong });
    assert.is(run.code, 3, show(run));
    assert.not.ok(run.stdout.includes(wrong) || run.stderr.includes(wrong), 'the wrong password appeared in the output');
    assert.not.ok(run.stdout.includes(PASSWORD) || run.stderr.includes(PASSWORD));
    const line = run.stdout.split('\n').find((l) => l.includes('UNREACHABLE')) ?? '';
    assert.ok(line.startsWith(`${host.name}: UNREACHABLE at task "gather facts": sudo:`), show(run));
    assert.match(line, /sudo did not accept the password given for "carol"/);
    assert.match(line, /carol/);
    assert.match(line, /ansible_become_password/);
    assert.is(await stat(host, '/etc/kafclaw-wrong-sudo.conf'), null);
    // Every try counts toward a lockout (pam_faillock): one run tries the password once.
    assert.is((await sudoAuthFailures(host)) - failuresBefore, 1, 'sudo password tries in one run');
  } finally {
    await work.cleanup();
  }
});

test('sudo that needs a password, none given: exit 3, the message says to set ansible_become_password', async () => {
  const host = lab.hosts[1]!;
  await addPasswordSudoLogin(host);
  const work = await workDir();
  try {
    const inventory = await sudoInventory(work, host);
    const playbook = await work.file('play.yml', sudoPlaybook.replaceAll('kafclaw-sudo-test', 'kafclaw-no-sudo-password'));
    const run = await kafclawAsync(['provision', playbook, '-i', inventory]);
    assert.is(run.code, 3, show(run));
    const line = run.stdout.split('\n').find((l) => l.includes('UNREACHABLE')) ?? '';
    assert.ok(line.startsWith(`${host.name}: UNREACHABLE at task "gather facts": sudo:`), show(run));
    assert.match(line, /sudo does not work for "carol" \(sudo: a password is required\)/);
    assert.match(line, /ansible_become_password/);
  } finally {
    await work.cleanup();
  }
});

/** The built CLI on a pseudo-terminal (util-linux `script`), sized to `columns` first unless null. */
function onTerminal(args: string[], columns: number | null): Promise<CliRun> {
  const command = [...(columns === null ? [] : [`stty cols ${columns} rows 40;`]), 'exec', shellQuote(process.execPath), 'dist/bin/kafclaw.js', ...args.map(shellQuote)].join(' ');
  return runCommand('script', ['-qfec', command, '/dev/null'], { TERM: 'xterm-256color' });
}

const plainText = (output: string) => output.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '').replace(/\r/g, '\n');

test('on a terminal: live per-host progress when it has a width; plain whole lines on a pseudo-terminal nobody sized', async () => {
  const host = lab.hosts[1]!;
  const work = await workDir();
  try {
    const inventory = await work.file('inventory.yml', inventoryText([{ host }]));
    const playbook = await work.file('play.yml', directoryPlaybook('/srv/kafclaw-terminal'));
    const sized = await onTerminal(['provision', playbook, '-i', inventory, '--check'], 100);
    assert.is(sized.code, 0, show(sized));
    const live = plainText(sized.stdout);
    assert.match(live, new RegExp(`✔ ${host.name}: ok=0 would-change=1 failed=0`), show(sized));
    assert.match(live, /SUMMARY \(check mode: nothing was changed\)/);
    const unsized = await onTerminal(['provision', playbook, '-i', inventory, '--check'], null);
    assert.is(unsized.code, 0, show(unsized));
    const lines = plainText(unsized.stdout).split('\n').map((line) => line.trim()).filter(Boolean);
    assert.ok(lines.some((line) => line.startsWith(`${host.name}: would change`)), show(unsized));
    assert.is(lines.filter((line) => line.length === 1).length, 0, `lines of one character (a display wrapped at width 0):\n${show(unsized)}`);
  } finally {
    await work.cleanup();
  }
});

test.run();
