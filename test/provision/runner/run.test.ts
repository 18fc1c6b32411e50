// runPlan on real Debian 12 lab hosts: harden.yml converges, a rerun changes nothing, check mode
// writes nothing, the firewall holds from outside, a killed connection is recovered by a rerun,
// and a canary secret never shows in output or in `ps` on the host.
import { connect } from 'node:net';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { describeLabHost, useLabHosts, labTarget } from '../../lab/hosts.js';
import type { LabHost } from '../../lab/hosts.js';
import { loadInventory } from '../../../provision/inventory/index.js';
import { loadPlaybook, planPlaybook } from '../../../provision/playbook/index.js';
import { SecretResolver } from '../../../provision/secrets/index.js';
import { runPlan } from '../../../provision/runner/run.js';
import type { RunEvent, RunSummary } from '../../../provision/runner/events.js';
import { eventJson } from '../../../provision/runner/report-json.js';
import { eventText } from '../../../provision/runner/report-text.js';
import { PENDING_HANDLERS_PATH } from '../../../provision/runner/pending-handlers.js';
import { runDoctor } from '../../../checks/doctor.js';
import { ADMIN, writeLabInventory } from './lab-inventory.js';

const test = suite('provision/runner/run (lab)');
const lab = useLabHosts(test, 2);

const CANARY = `canary-provider-key-${process.pid}-0f9e8d7c6b5a`;
const TOKEN = `canary-gateway-token-${process.pid}-a1b2c3d4e5f6`;
const env = { KAFCLAW_GATEWAY_AUTH_TOKEN: TOKEN, KAFCLAW_TEST_PROVIDER_KEY: CANARY };
const secretsVar = { secrets: { gateway_token: 'env:KAFCLAW_GATEWAY_AUTH_TOKEN', provider_keys: { ANTHROPIC_API_KEY: 'env:KAFCLAW_TEST_PROVIDER_KEY' } } };

interface Outcome {
  summary: RunSummary;
  events: RunEvent[];
  /** Everything a user would have seen: text lines and JSON lines. */
  output: string;
}

async function provision(hosts: LabHost[], options: { check?: boolean; onEvent?: (event: RunEvent) => void; vars?: Record<string, unknown> } = {}): Promise<Outcome> {
  const inventory = await writeLabInventory(hosts, { ...secretsVar, ...options.vars });
  try {
    const plan = planPlaybook(await loadPlaybook('playbooks/harden.yml'), await loadInventory(inventory.path));
    const events: RunEvent[] = [];
    const lines: string[] = [];
    const summary = await runPlan(plan, {
      check: options.check === true,
      resolver: new SecretResolver({ env }),
      onEvent: (event) => {
        events.push(event);
        lines.push(eventJson(event), eventText(event, { diff: true }) ?? '');
        options.onEvent?.(event);
      },
    });
    return { summary, events, output: lines.join('\n') + JSON.stringify(summary) };
  } finally {
    await inventory.cleanup();
  }
}

/** sha256 over every file, its mode and owner under the trees a run may write. */
async function treeHash(host: LabHost): Promise<string> {
  // Root until harden.yml disables it, then the admin with sudo.
  const target = labTarget(host, { user: ADMIN, bootstrapUser: 'root' });
  try {
    const script = 'find /etc /var/lib /srv /opt /home /root -xdev \\( -type f -o -type d -o -type l \\) -not -path "/var/lib/systemd/*" -printf "%p %m %u %g %s\\n" 2>/dev/null | sort | sha256sum; find /etc /var/lib /srv /opt /home /root -xdev -type f -not -path "/var/lib/systemd/*" -print0 2>/dev/null | sort -z | xargs -0 sha256sum | sha256sum';
    const result = await target.runScript(script, { sudo: true });
    return result.stdout;
  } finally {
    await target.close();
  }
}

function tcpProbe(address: string, port: number, timeoutMs = 2000): Promise<'connected' | 'refused' | 'timeout'> {
  return new Promise((resolve) => {
    const socket = connect({ host: address, port });
    const done = (result: 'connected' | 'refused' | 'timeout') => {
      socket.destroy();
      resolve(result);
    };
    socket.setTimeout(timeoutMs, () => done('timeout'));
    socket.on('connect', () => done('connected'));
    socket.on('error', () => done('refused'));
  });
}

const changedTasks = (events: RunEvent[]) => events.filter((e) => (e.type === 'task' || e.type === 'handler') && e.status === 'changed');

test('--check on a fresh host lists the changes and writes nothing', async () => {
  const host = lab.hosts[0]!;
  const before = await treeHash(host);
  const { summary, events, output } = await provision([host], { check: true });
  const after = await treeHash(host);
  assert.is(after, before, 'the file tree changed in check mode');
  assert.ok(summary.hosts[host.name]!.changed >= 20, `expected the whole playbook as changes, got ${summary.hosts[host.name]!.changed}`);
  assert.is(summary.hosts[host.name]!.failed, 0);
  assert.ok(events.some((e) => e.type === 'task' && e.task.startsWith('sshd drop-in') && e.status === 'changed' && e.changes.length > 0));
  assert.not.ok(output.includes(CANARY) || output.includes(TOKEN), 'a secret appeared in check-mode output');
});

test('harden.yml converges a fresh host; no secret in output or in ps on the host', async () => {
  const host = lab.hosts[0]!;
  const watcher = labTarget(host);
  let watching = true;
  let seen = 0;
  let polls = 0;
  const watch = (async () => {
    while (watching) {
      const ps = await watcher.run(['ps', '-eww', '-o', 'args']).catch(() => null);
      if (ps) {
        polls++;
        if (ps.stdout.includes(CANARY) || ps.stdout.includes(TOKEN)) seen++;
      }
    }
  })();
  let outcome: Outcome;
  try {
    outcome = await provision([host]);
  } finally {
    watching = false;
    await watch;
    await watcher.close();
  }
  const totals = outcome.summary.hosts[host.name]!;
  assert.equal({ failed: totals.failed, unreachable: totals.unreachable }, { failed: 0, unreachable: false }, outcome.output);
  assert.ok(totals.changed >= 20);
  assert.ok(polls > 3, `ps was polled ${polls} times only`);
  assert.is(seen, 0, 'a secret showed in a process argument list on the host');
  assert.not.ok(outcome.output.includes(CANARY) || outcome.output.includes(TOKEN), 'a secret appeared in the output');
  assert.ok(outcome.events.some((e) => e.type === 'handler' && e.handler === 'reload sshd' && e.status === 'changed'));

  // The env file holds the values; the pending-handler file is gone.
  const admin = labTarget(host, { user: ADMIN });
  try {
    const envFile = (await admin.readFile('/etc/kafclaw/gateway.env', { sudo: true }))!.toString();
    assert.ok(envFile.includes(`ANTHROPIC_API_KEY=${CANARY}`) && envFile.includes(TOKEN));
    assert.is(await admin.stat(PENDING_HANDLERS_PATH, { sudo: true }), null);
    // Root can no longer log in; the admin can.
    const root = labTarget(host);
    await root.connect().then(
      () => assert.unreachable('root logged in after hardening'),
      (error: Error) => assert.match(error.message, /authenticat/),
    );
    await root.close();
    // The host checks pass over SSH as the admin.
    const run = await runDoctor(admin, { profile: 'host', sudo: true, only: ['host.ssh-hardening', 'host.firewall-active', 'host.firewall-gateway-ports', 'host.shared-admin-accounts'] });
    const statuses = Object.fromEntries(run.results.map((r) => [r.id, `${r.status}: ${r.message}`]));
    for (const id of ['host.ssh-hardening', 'host.firewall-active', 'host.firewall-gateway-ports', 'host.shared-admin-accounts']) {
      assert.match(statuses[id] ?? 'missing', /^pass/, `${id}: ${statuses[id]}`);
    }
  } finally {
    await admin.close();
  }
});

test('the firewall holds from the controller: tcp/22 connects, 18790 is dropped', async () => {
  const host = lab.hosts[0]!;
  assert.is(await tcpProbe(host.address, 22), 'connected');
  const gateway = await tcpProbe(host.address, 18790);
  assert.ok(gateway === 'timeout' || gateway === 'refused', gateway);
  assert.is(gateway, 'timeout', 'policy drop: no RST for the gateway port');
});

test('a second run changes nothing and restarts nothing', async () => {
  const host = lab.hosts[0]!;
  const before = await treeHash(host);
  const { summary, events } = await provision([host]);
  assert.equal(summary.hosts[host.name], { ok: 20, changed: 0, failed: 0, unreachable: false });
  assert.is(changedTasks(events).length, 0);
  assert.not.ok(events.some((e) => e.type === 'handler'));
  assert.ok(events.some((e) => e.type === 'host' && e.login === ADMIN && !e.bootstrap), 'the rerun logs in as the admin');
  assert.is(await treeHash(host), before, 'the no-op run wrote something');
});

test('the SSH connection killed in the middle of a run; a rerun converges and runs the pending handlers', async () => {
  const host = lab.hosts[1]!;
  let killed = false;
  const killer = labTarget(host);
  let kill: Promise<unknown> = Promise.resolve();
  const first = await provision([host], {
    onEvent: (event) => {
      if (!killed && event.type === 'task' && event.status === 'changed' && event.task.startsWith('Admins may sudo')) {
        killed = true;
        // Every root session but the killer's own (the parent of this shell) is the run's connection.
        kill = killer
          .runScript('for pid in $(pgrep -f "^sshd: root@"); do if [ "$pid" != "$PPID" ]; then kill -KILL "$pid" && echo "$pid"; fi; done')
          .then((r) => console.log(`  killed sshd session(s): ${r.stdout.trim().split('\n').join(' ') || 'none'}`));
      }
    },
  });
  await kill;
  await killer.close().catch(() => undefined);
  assert.ok(killed, 'the kill was never triggered');
  console.log(`  first run after the kill: ${JSON.stringify(first.summary.hosts[host.name])}`);
  const stopped = first.events.find((e) => e.type === 'unreachable' || (e.type === 'task' && e.status === 'failed'));
  if (stopped) console.log(`  ${eventText(stopped, { diff: false })}`);
  const second = await provision([host]);
  const totals = second.summary.hosts[host.name]!;
  if (totals.unreachable) console.log(describeLabHost(host));
  assert.equal({ failed: totals.failed, unreachable: totals.unreachable }, { failed: 0, unreachable: false }, second.output);
  const third = await provision([host]);
  assert.equal(third.summary.hosts[host.name], { ok: 20, changed: 0, failed: 0, unreachable: false }, third.output);
});

test('a ruleset that would cut SSH is reverted by the host on its own; the run fails; the pending restart runs next time', async () => {
  const host = lab.hosts[1]!;
  const cut = await provision([host], { vars: { ssh_allow_from: ['192.0.2.0/24'] } });
  const totals = cut.summary.hosts[host.name]!;
  assert.is(totals.failed, 1, cut.output);
  const failed = cut.events.find((e) => e.type === 'task' && e.status === 'failed');
  assert.ok(failed && failed.type === 'task' && failed.task.startsWith('nftables ruleset') && /prove a fresh login/.test(failed.message ?? ''), cut.output);
  // The host restores the previous ruleset within its revert delay (60 s).
  const deadline = Date.now() + 120_000;
  let reachable = false;
  while (!reachable && Date.now() < deadline) reachable = (await tcpProbe(host.address, 22, 2000)) === 'connected';
  assert.ok(reachable, 'sshd stayed cut off: the host did not revert the ruleset');
  const after = await provision([host]);
  assert.is(after.summary.hosts[host.name]!.changed, 1, after.output);
  const handler = after.events.find((e) => e.type === 'handler');
  assert.ok(handler && handler.type === 'handler' && handler.handler === 'restart nftables' && handler.pendingFromEarlierRun && handler.status === 'changed', after.output);
  const again = await provision([host]);
  assert.equal(again.summary.hosts[host.name], { ok: 20, changed: 0, failed: 0, unreachable: false }, again.output);
  assert.is(await tcpProbe(host.address, 18790), 'timeout');
});

test.run();
