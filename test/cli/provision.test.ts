// `kafclaw provision` as a user runs it: exit codes, the JSON event stream and its summary line.
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';

const root = fileURLToPath(new URL('../..', import.meta.url));
const test = suite('cli/provision');
let dir = '';

function kafclaw(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'cli/main.ts', ...args], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', HOME: dir, NO_COLOR: '1', ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

const inventory = (extra = '') => `all:
  vars:
    ansible_user: alice
    bootstrap_user: root
    known_hosts_file: ${'KH'}
    admins:
      - name: alice
        keys: ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGq4bXVzdGJlcmVwbGFjZWRieWFyZWFsa2V5MDAwMDA alice@laptop"]
${extra}  hosts:
    closed:
      ansible_host: 127.0.0.1
      ansible_port: 1
`;

test.before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kafclaw-cli-provision-'));
  await writeFile(join(dir, 'inventory.yml'), inventory().replace('KH', join(dir, 'known_hosts')));
});
test.after(async () => {
  await rm(dir, { recursive: true, force: true });
});

test('an unreachable host: exit 3, the step named, JSON lines ending with the summary', () => {
  const result = kafclaw(['provision', 'playbooks/harden.yml', '-i', join(dir, 'inventory.yml'), '--format', 'json'], { KAFCLAW_GATEWAY_AUTH_TOKEN: 'a-token-for-the-cli-test-0123456789' });
  assert.is(result.code, 3, result.stderr);
  const lines = result.stdout.trim().split('\n').map((line) => JSON.parse(line));
  const unreachable = lines.find((line) => line.type === 'unreachable');
  assert.ok(unreachable, result.stdout);
  assert.is(unreachable.host, 'closed');
  assert.ok(unreachable.step.length > 0);
  assert.equal(lines.at(-1), { schemaVersion: 1, hosts: { closed: { ok: 0, changed: 0, failed: 0, unreachable: true } } });
  assert.not.ok(result.stdout.includes('a-token-for-the-cli-test-0123456789'));
});

test('text output: the host, the step and a summary line', () => {
  const result = kafclaw(['provision', 'playbooks/harden.yml', '-i', join(dir, 'inventory.yml')], { KAFCLAW_GATEWAY_AUTH_TOKEN: 'a-token-for-the-cli-test-0123456789' });
  assert.is(result.code, 3);
  assert.match(result.stdout, /closed: UNREACHABLE at \w+/);
  assert.match(result.stdout, /SUMMARY\n\s+closed\s+ok=0\s+changed=0\s+failed=0\s+unreachable=yes/);
});

test('a missing secret is an input error before any host is touched: exit 2, the reference named', () => {
  const result = kafclaw(['provision', 'playbooks/harden.yml', '-i', join(dir, 'inventory.yml')]);
  assert.is(result.code, 2, result.stderr);
  assert.match(result.stderr, /env:KAFCLAW_GATEWAY_AUTH_TOKEN/);
  assert.not.match(result.stdout, /UNREACHABLE/);
});

test('bad flags and inputs exit 2 with one line', () => {
  const forks = kafclaw(['provision', 'playbooks/harden.yml', '-i', join(dir, 'inventory.yml'), '--forks', '0']);
  assert.is(forks.code, 2);
  assert.match(forks.stderr, /--forks "0"/);
  const limit = kafclaw(['provision', 'playbooks/harden.yml', '-i', join(dir, 'inventory.yml'), '--limit', 'nosuchhost']);
  assert.is(limit.code, 2);
  assert.match(limit.stderr, /--limit/);
  assert.not.match(limit.stderr, /\n\s+at /);
});

test.run();
