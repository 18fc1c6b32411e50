import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildRemoteCommand, errorCodeOf, parseStatLine, STAT_FORMAT, writeAtomicArgv } from '../../../lib/target/remote-shell.js';

const dir = mkdtempSync(join(tmpdir(), 'kafclaw-remote-shell-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

/** What sshd does with the command string: hand it to a shell. */
function viaShell(command: string, input = ''): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync('sh', ['-c', command], { input, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

test('the built command runs the argv exactly, with cwd', () => {
  const argv = ['printf', '%s|', 'a b', "it's", '$(id)', 'x\ny', ''];
  assert.is(viaShell(buildRemoteCommand(argv)).stdout, "a b|it's|$(id)|x\ny||");
  assert.is(viaShell(buildRemoteCommand(['pwd'], { cwd: dir })).stdout, `${dir}\n`);
});

test('sudo prefixes and the timeout backstop', () => {
  assert.is(buildRemoteCommand(['id'], { sudo: 'nopasswd' }), 'exec sudo -n -- id');
  assert.is(buildRemoteCommand(['id'], { sudo: 'password' }), "exec sudo -S -k -p '' -- id");
  assert.is(buildRemoteCommand(['id'], { sudo: false, timeoutMs: 1500 }), 'exec timeout -s KILL 2s id');
  assert.throws(() => buildRemoteCommand([]), /empty argv/);
});

test('the atomic write script: mode, content, nothing left beside it, old file replaced', () => {
  const path = join(dir, "with space's.env");
  writeFileSync(path, 'old');
  const [file, ...args] = writeAtomicArgv(path, 0o640);
  const run = spawnSync(file!, args, { input: Buffer.from([0, 1, 2, 10]) });
  assert.is(run.status, 0, run.stderr?.toString());
  assert.equal(readFileSync(path), Buffer.from([0, 1, 2, 10]));
  assert.is(statSync(path).mode & 0o7777, 0o640);
  assert.equal(readdirSync(dir), ["with space's.env"]);
});

test('the atomic write script fails cleanly for a missing directory or unknown owner', () => {
  const [file, ...args] = writeAtomicArgv(join(dir, 'nope', 'f'), 0o600);
  assert.is.not(spawnSync(file!, args, { input: 'x' }).status, 0);
  const [file2, ...args2] = writeAtomicArgv(join(dir, 'f'), 0o600, 'no-such-user-kafclaw');
  const failed = spawnSync(file2!, args2, { input: 'x', encoding: 'utf8' });
  assert.is.not(failed.status, 0);
  assert.equal(readdirSync(dir).filter((n) => n.includes('.f.')), [], 'temp file removed');
});

test('stat lines parse into FileStat, checked against the real stat', () => {
  const path = join(dir, 'stat-me');
  writeFileSync(path, 'hello', { mode: 0o600 });
  const line = execFileSync('stat', ['-c', STAT_FORMAT, '--', path]).toString();
  const parsed = parseStatLine(line);
  const real = statSync(path);
  assert.equal(
    { type: parsed.type, mode: parsed.mode, uid: parsed.uid, size: parsed.size },
    { type: 'file', mode: 0o600, uid: real.uid, size: 5 },
  );
  assert.ok(Math.abs(parsed.mtimeMs - real.mtimeMs) < 2);
  assert.equal(parseStatLine('41ed 0 0 4096 1.5').type, 'dir');
  assert.equal(parseStatLine('a1ff 0 0 11 1').type, 'symlink');
  assert.equal(parseStatLine('89e8 0 0 0 1').mode, 0o4750);
  assert.equal(parseStatLine('11b6 0 0 0 1').type, 'other');
  assert.throws(() => parseStatLine('garbage'), /unexpected stat output/);
});

test('coreutils messages map to errno codes', () => {
  assert.is(errorCodeOf('cat: /x: No such file or directory\n'), 'ENOENT');
  assert.is(errorCodeOf('stat: cannot statx \'/etc/passwd/x\': Not a directory\n'), 'ENOTDIR');
  assert.is(errorCodeOf('cat: /etc/shadow: Permission denied\n'), 'EACCES');
  assert.is(errorCodeOf('cat: /etc: Is a directory\n'), 'EISDIR');
  assert.is(errorCodeOf('sudo: a password is required\n'), null);
});

test.run();
