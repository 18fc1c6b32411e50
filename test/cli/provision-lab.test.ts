// `kafclaw provision` against a real lab host, as a user runs it: --check with --tags, --limit and -e.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { useLabHosts } from '../lab/hosts.js';
import { writeLabInventory } from '../provision/runner/lab-inventory.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const test = suite('cli/provision (lab)');
const lab = useLabHosts(test, 1);

function kafclaw(args: string[]) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'cli/main.ts', ...args], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/root', NO_COLOR: '1', KAFCLAW_GATEWAY_AUTH_TOKEN: 'cli-lab-token-0123456789abcdef' },
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

test('--check --tags firewall --diff -e: only the firewall tasks, their changes, exit 0', async () => {
  const host = lab.hosts[0]!;
  const inventory = await writeLabInventory([host]);
  try {
    const result = kafclaw(['provision', 'playbooks/harden.yml', '-i', inventory.path, '--check', '--diff', '--tags', 'firewall', '--limit', host.name, '-e', 'ssh_allow_from=["10.0.0.0/8"]']);
    assert.is(result.code, 0, result.stderr + result.stdout);
    assert.match(result.stdout, new RegExp(`${host.name}: would change nftables ruleset`));
    assert.match(result.stdout, /ruleset: inet kafclaw not loaded -> loaded/);
    assert.match(result.stdout, /skipped\s+sshd drop-in \(tags\)/);
    assert.not.match(result.stdout, /would change (Service user|sshd drop-in)/);
    assert.match(result.stdout, /SUMMARY \(check mode: nothing was changed\)\n\s+\S+\s+ok=0\s+would-change=3\s+failed=0\s+unreachable=no/);
    // Still a fresh host: nothing was applied.
    const again = kafclaw(['provision', 'playbooks/harden.yml', '-i', inventory.path, '--check', '--tags', 'firewall', '--format', 'json']);
    assert.equal(JSON.parse(again.stdout.trim().split('\n').at(-1)!).hosts[host.name], { ok: 0, changed: 3, failed: 0, unreachable: false });
  } finally {
    await inventory.cleanup();
  }
});

test.run();
