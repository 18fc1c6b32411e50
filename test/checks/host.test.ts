import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { FactSnapshot } from '../../lib/facts/snapshot.js';
import { LocalTarget } from '../../lib/target/local.js';
import { loadConfig } from '../../lib/config/index.js';
import { runCheck } from '../../checks/engine.js';
import { DEFAULT_CHECK_OPTIONS } from '../../checks/options.js';
import type { Check, CheckContext } from '../../checks/types.js';
import { parseNftRuleset } from '../../lib/facts/probes/nftables.js';
import { parseSshdT } from '../../lib/facts/probes/sshd.js';
import { parseGroups, parsePasswd, parseAuthorizedKeys } from '../../lib/facts/probes/accounts.js';
import { parseProcesses, parseUnit } from '../../lib/facts/probes/systemd.js';
import { parsePatches } from '../../lib/facts/probes/packages.js';
import { firewallActive, firewallGatewayPorts, nonRootRuntime, patches, sharedAdminAccounts, sshHardening, SSHD_EXPECTED } from '../../checks/host.js';

// Host verdicts are pure functions of parsed facts: these feed them real probe output (nft fixtures
// are real `nft -j` output) without a host. The lab suites run the same checks over SSH.
const nft = (name: string) => parseNftRuleset(readFileSync(new URL(`../fixtures/nft/${name}.json`, import.meta.url), 'utf8'), 0);

async function verdict(check: Check, facts: Record<string, unknown>, config: Record<string, unknown> = {}) {
  const snapshot = new FactSnapshot();
  for (const [key, value] of Object.entries(facts)) snapshot.set(key, value);
  if (check.needs.includes('config')) {
    snapshot.set('config', await loadConfig({ env: { HOME: '/home/op' }, readFile: async (path) => (path.endsWith('config.json') ? Buffer.from(JSON.stringify(config)) : null) }));
  }
  const ctx: CheckContext = { target: new LocalTarget(), host: 'test', facts: snapshot, options: DEFAULT_CHECK_OPTIONS, now: new Date() };
  return runCheck(check, ctx);
}

const UNIT = 'host.unit:kafclaw-gateway.service';
const unit = (user: string) => parseUnit('kafclaw-gateway.service', `LoadState=loaded\nActiveState=active\nUser=${user}\nFragmentPath=/etc/systemd/system/kafclaw-gateway.service\n@@cat\n`);

test('non-root runtime: unit user and running process', async () => {
  const none = parseUnit('kafclaw-gateway.service', 'LoadState=not-found\n@@cat\n');
  assert.is((await verdict(nonRootRuntime, { [UNIT]: none, 'host.processes': [] }))[0]?.status, 'skip');
  assert.is((await verdict(nonRootRuntime, { [UNIT]: unit('kafclaw'), 'host.processes': [] }))[0]?.status, 'pass');
  assert.is((await verdict(nonRootRuntime, { [UNIT]: unit(''), 'host.processes': [] }))[0]?.status, 'fail');
  const rootProcess = parseProcesses('root 0 4242 node /usr/local/bin/kafclaw gateway\n');
  const results = await verdict(nonRootRuntime, { [UNIT]: unit('kafclaw'), 'host.processes': rootProcess });
  assert.equal(results.map((r) => r.status), ['pass', 'fail']);
  assert.match(results[1]!.message, /pid 4242/);
});

test('firewall active: drop policy passes; accept-all and no chains fail; unreadable is an error', async () => {
  assert.is((await verdict(firewallActive, { 'host.nft': nft('hardened-loopback') }))[0]?.status, 'pass');
  assert.is((await verdict(firewallActive, { 'host.nft': nft('accept-all') }))[0]?.status, 'fail');
  assert.is((await verdict(firewallActive, { 'host.nft': nft('empty') }))[0]?.status, 'fail');
  assert.is((await verdict(firewallActive, { 'host.nft': parseNftRuleset('Operation not permitted', 1) }))[0]?.status, 'error');
});

test('firewall gateway ports: judged against the bind', async () => {
  const loopback = { gateway: { host: '127.0.0.1' } };
  const remote = { gateway: { host: '0.0.0.0', authToken: 'x' } };
  assert.is((await verdict(firewallGatewayPorts, { 'host.nft': nft('hardened-loopback') }, loopback))[0]?.status, 'pass');
  assert.is((await verdict(firewallGatewayPorts, { 'host.nft': nft('remote-allowlisted') }, loopback))[0]?.status, 'fail');
  assert.is((await verdict(firewallGatewayPorts, { 'host.nft': nft('remote-allowlisted') }, remote))[0]?.status, 'pass');
  assert.is((await verdict(firewallGatewayPorts, { 'host.nft': nft('remote-open') }, remote))[0]?.status, 'fail');
  assert.is((await verdict(firewallGatewayPorts, { 'host.nft': nft('accept-all') }, remote))[0]?.status, 'fail');
});

test('ssh hardening: the expected values pass, each difference is named', async () => {
  const good = Object.entries(SSHD_EXPECTED).map(([k, v]) => `${k} ${v}`).join('\n');
  assert.is((await verdict(sshHardening, { 'host.sshd': parseSshdT(good, 0) }))[0]?.status, 'pass');
  const bad = good.replace('permitrootlogin no', 'permitrootlogin prohibit-password').replace('maxauthtries 3', 'maxauthtries 6');
  const [result] = await verdict(sshHardening, { 'host.sshd': parseSshdT(bad, 0) });
  assert.is(result?.status, 'fail');
  assert.match(result!.message, /permitrootlogin is prohibit-password, expected no/);
  assert.match(result!.message, /maxauthtries is 6/);
  assert.is((await verdict(sshHardening, { 'host.sshd': parseSshdT('', 127) }))[0]?.status, 'skip');
});

test('shared admin accounts: extra uid 0, generic sudo names, several people on one account', async () => {
  const passwd = parsePasswd('root:x:0:0::/root:/bin/bash\nalice:x:1000:1000::/home/alice:/bin/bash\ntoor:x:0:0::/root:/bin/sh\nadmin:x:1001:1001::/home/admin:/bin/bash\n');
  const groups = parseGroups('sudo:x:27:alice,admin\n');
  const keys = parseAuthorizedKeys('@@user alice\nssh-ed25519 AAAA alice@laptop\nssh-ed25519 BBBB bob@desk\n');
  const results = await verdict(sharedAdminAccounts, { 'host.passwd': passwd, 'host.group': groups, 'host.authorized-keys': keys, 'host.sudoers': '' });
  assert.equal(results.map((r) => r.subject).sort(), ['admin', 'alice', 'toor']);
  const clean = await verdict(sharedAdminAccounts, {
    'host.passwd': parsePasswd('root:x:0:0::/root:/bin/bash\nalice:x:1000:1000::/home/alice:/bin/bash\n'),
    'host.group': parseGroups('sudo:x:27:alice\n'),
    'host.authorized-keys': parseAuthorizedKeys('@@user alice\nssh-ed25519 AAAA alice@laptop\nssh-ed25519 CCCC alice@phone\n'),
    'host.sudoers': 'Defaults env_reset\nroot ALL=(ALL:ALL) ALL\n%sudo ALL=(ALL:ALL) ALL\n',
  });
  assert.is(clean[0]?.status, 'pass');
  const byName = await verdict(sharedAdminAccounts, {
    'host.passwd': parsePasswd('root:x:0:0::/root:/bin/bash\nubuntu:x:1000:1000::/home/ubuntu:/bin/bash\n'),
    'host.group': parseGroups('sudo:x:27:\n'),
    'host.authorized-keys': [],
    'host.sudoers': '# drop-in\nubuntu ALL=(ALL) NOPASSWD:ALL\n',
  });
  assert.equal(byName.map((r) => [r.subject, r.status]), [['ubuntu', 'fail']], 'a generic account granted sudo by name in sudoers');
});

test('patches: pending security updates and missing automation fail; no metadata skips', async () => {
  const pending = parsePatches('Inst libssl3 [1] (2 Debian-Security:12/stable-security [amd64])\n', 0);
  assert.equal((await verdict(patches, { 'host.patches': pending })).map((r) => r.status), ['fail', 'fail']);
  assert.is((await verdict(patches, { 'host.patches': parsePatches('@@unattended 1\n', 0) }))[0]?.status, 'pass');
  assert.is((await verdict(patches, { 'host.patches': parsePatches('@@no-lists\n', 0) }))[0]?.status, 'skip');
});

test.run();
