// `kafclaw provision` (the built CLI) on four real lab hosts: `serial` runs the hosts in batches,
// one batch after the other, and `max_fail_percentage` (or a batch that failed whole) stops the
// rollout before the next batch, as Ansible does; a share at the limit goes on.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { labTarget, useLabHosts } from '../lab/hosts.js';
import type { LabHost } from '../lab/hosts.js';
import type { RunEvent } from '../../provision/runner/events.js';
import { inventoryText, kafclawAsync, parseJsonRun, show, workDir } from './provision-lab-helpers.js';
import type { CliRun, JsonRun } from './provision-lab-helpers.js';

const test = suite('cli/provision: serial and max_fail_percentage (lab)');
const lab = useLabHosts(test, 4);

/** A directory owned by `batch_owner`: a host whose batch_owner does not exist fails the task. */
function playbook(path: string, play: { serial?: number; maxFail?: number; secondPlay?: string } = {}): string {
  return (
    `- name: rollout\n  hosts: all\n` +
    (play.serial !== undefined ? `  serial: ${play.serial}\n` : '') +
    (play.maxFail !== undefined ? `  max_fail_percentage: ${play.maxFail}\n` : '') +
    `  tasks:\n    - name: marker directory\n      directory:\n        path: ${path}\n        owner: "{{ batch_owner }}"\n        mode: '0755'\n` +
    (play.secondPlay
      ? `- name: after the rollout\n  hosts: all\n  tasks:\n    - name: second marker\n      directory:\n        path: ${play.secondPlay}\n`
      : '')
  );
}

interface HostSetup {
  failing?: LabHost;
  unreachable?: LabHost;
}

async function provision(path: string, hosts: LabHost[], play: Parameters<typeof playbook>[1], setup: HostSetup = {}, format: 'json' | 'text' = 'json'): Promise<CliRun> {
  const work = await workDir();
  try {
    const inventory = await work.file(
      'inventory.yml',
      inventoryText(
        hosts.map((host) => ({
          host,
          vars: {
            ...(host === setup.failing ? { batch_owner: 'kafclaw-no-such-user' } : {}),
            // Nothing listens there: the connection is refused at once.
            ...(host === setup.unreachable ? { ansible_port: 2222 } : {}),
          },
        })),
        { vars: { batch_owner: 'root' } },
      ),
    );
    const file = await work.file('play.yml', playbook(path, play));
    return await kafclawAsync(['provision', file, '-i', inventory, '--format', format]);
  } finally {
    await work.cleanup();
  }
}

/** Index of the first and the last event naming each host. */
function spans(events: RunEvent[]): Map<string, { first: number; last: number }> {
  const out = new Map<string, { first: number; last: number }>();
  events.forEach((event, index) => {
    if (!('host' in event) || event.host === undefined) return;
    const span = out.get(event.host) ?? { first: index, last: index };
    span.last = index;
    out.set(event.host, span);
  });
  return out;
}

/** Every host of `before` was done (host-done or unreachable) before any host of `after` was touched. */
function assertOrdered(run: JsonRun, before: LabHost[], after: LabHost[], output: string): void {
  const byHost = spans(run.events);
  for (const host of before) {
    const done = run.events.findIndex((e) => (e.type === 'host-done' || e.type === 'unreachable') && e.host === host.name);
    assert.ok(done >= 0, `${host.name} never finished\n${output}`);
  }
  const lastBefore = Math.max(...before.map((h) => byHost.get(h.name)!.last));
  const firstAfter = Math.min(...after.map((h) => byHost.get(h.name)?.first ?? Infinity));
  assert.ok(lastBefore < firstAfter, `a host of the later batch started (event ${firstAfter}) before the earlier batch finished (event ${lastBefore})\n${output}`);
}

/** mtime of a path on the host, or null. */
async function mtime(host: LabHost, path: string): Promise<number | null> {
  const root = labTarget(host);
  try {
    return (await root.stat(path))?.mtimeMs ?? null;
  } finally {
    await root.close();
  }
}

const notes = (run: JsonRun) => run.events.flatMap((e) => (e.type === 'note' && e.host === undefined ? [e.message] : []));

test('serial: 2 runs two batches, one after the other (event stream and the hosts\' own clocks); exit 0', async () => {
  const hosts = lab.hosts;
  const path = '/srv/kafclaw-serial';
  const run = await provision(path, hosts, { serial: 2 });
  assert.is(run.code, 0, show(run));
  const parsed = parseJsonRun(run);
  for (const host of hosts) assert.equal(parsed.summary.hosts[host.name], { ok: 0, changed: 1, failed: 0, unreachable: false }, show(run));
  assert.equal(parsed.events.filter((e) => e.type === 'play').length, 1);
  assertOrdered(parsed, hosts.slice(0, 2), hosts.slice(2), show(run));
  // On the hosts: both directories of batch 1 were made before either of batch 2.
  const made = await Promise.all(hosts.map((h) => mtime(h, path)));
  assert.ok(made.every((m) => m !== null), JSON.stringify(made));
  assert.ok(Math.max(made[0]!, made[1]!) < Math.min(made[2]!, made[3]!), `mtimes ${JSON.stringify(made)}`);
  console.log(`  serial 2 over 4 hosts: ${run.ms} ms`);
});

test('max_fail_percentage 40, one host of two fails in batch 1: the run stops before batch 2 and later plays, and says why; exit 1', async () => {
  const hosts = lab.hosts;
  const path = '/srv/kafclaw-maxfail-40';
  const second = '/srv/kafclaw-maxfail-40-second-play';
  const run = await provision(path, hosts, { serial: 2, maxFail: 40, secondPlay: second }, { failing: hosts[1] });
  assert.is(run.code, 1, show(run));
  const parsed = parseJsonRun(run);
  assert.equal(parsed.summary.hosts[hosts[0]!.name], { ok: 0, changed: 1, failed: 0, unreachable: false }, show(run));
  assert.equal(parsed.summary.hosts[hosts[1]!.name], { ok: 0, changed: 0, failed: 1, unreachable: false }, show(run));
  assert.is(parsed.summary.hosts[hosts[2]!.name], undefined, show(run));
  assert.is(parsed.summary.hosts[hosts[3]!.name], undefined, show(run));
  const failed = parsed.events.find((e) => e.type === 'task' && e.status === 'failed');
  assert.ok(failed && failed.type === 'task' && failed.host === hosts[1]!.name && failed.task === 'marker directory', show(run));
  const why = notes(parsed).join('\n');
  assert.match(why, /1 of 2 hosts failed, over max_fail_percentage 40/);
  assert.ok(why.includes(`${hosts[2]!.name}, ${hosts[3]!.name}`), `the hosts not started are not named: ${why}`);
  assert.match(why, /"after the rollout"/, 'the later play that was not run is not named');
  assert.equal(parsed.events.filter((e) => e.type === 'play').map((e) => e.type === 'play' && e.play), ['rollout'], 'a later play ran after the rollout stopped');
  assert.is(await mtime(hosts[2]!, path), null, 'batch 2 was touched');
  assert.is(await mtime(hosts[3]!, path), null, 'batch 2 was touched');
  assert.is(await mtime(hosts[0]!, second), null, 'the second play ran');
});

test('max_fail_percentage 50, one host of two fails (at the limit, not over it): the run goes on to batch 2; exit 1', async () => {
  const hosts = lab.hosts;
  const path = '/srv/kafclaw-maxfail-50';
  const run = await provision(path, hosts, { serial: 2, maxFail: 50 }, { failing: hosts[1] });
  assert.is(run.code, 1, show(run));
  const parsed = parseJsonRun(run);
  assert.equal(parsed.summary.hosts[hosts[1]!.name]?.failed, 1, show(run));
  for (const host of [hosts[0]!, hosts[2]!, hosts[3]!]) assert.equal(parsed.summary.hosts[host.name], { ok: 0, changed: 1, failed: 0, unreachable: false }, show(run));
  assertOrdered(parsed, hosts.slice(0, 2), hosts.slice(2), show(run));
  assert.equal(notes(parsed), [], show(run));
  assert.ok((await mtime(hosts[3]!, path)) !== null);
});

test('an unreachable host counts as failed: max_fail_percentage 40 stops the run before batch 2; exit 3; the text output says why', async () => {
  const hosts = lab.hosts;
  const path = '/srv/kafclaw-maxfail-unreachable';
  const run = await provision(path, hosts, { serial: 2, maxFail: 40 }, { unreachable: hosts[1] }, 'text');
  assert.is(run.code, 3, show(run));
  assert.match(run.stdout, new RegExp(`^${hosts[1]!.name}: UNREACHABLE at connect: .*connection refused`, 'm'));
  assert.match(run.stdout, /^play "rollout": 1 of 2 hosts failed, over max_fail_percentage 40/m);
  assert.not.match(run.stdout, new RegExp(`^ +(${hosts[2]!.name}|${hosts[3]!.name}) `, 'm'), show(run));
  assert.match(run.stdout, new RegExp(`^ +${hosts[0]!.name} +ok=0 +changed=1 +failed=0 +unreachable=no$`, 'm'), show(run));
  assert.is(await mtime(hosts[2]!, path), null, 'batch 2 was touched');
});

test('serial: 1 without max_fail_percentage: a batch that failed whole stops the rollout (as Ansible does); exit 1', async () => {
  const hosts = lab.hosts;
  const path = '/srv/kafclaw-serial-1';
  const run = await provision(path, hosts, { serial: 1 }, { failing: hosts[0] });
  assert.is(run.code, 1, show(run));
  const parsed = parseJsonRun(run);
  assert.equal(Object.keys(parsed.summary.hosts), [hosts[0]!.name], show(run));
  const why = notes(parsed).join('\n');
  assert.match(why, /every host of the batch failed/);
  assert.ok(why.includes(`${hosts[1]!.name}, ${hosts[2]!.name}, ${hosts[3]!.name}`), why);
  for (const host of hosts.slice(1)) assert.is(await mtime(host, path), null, `${host.name} was touched`);
});

test.run();
