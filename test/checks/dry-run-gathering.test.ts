import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { fixtureHome, referenceConfig } from './fixture-home.js';
import { LocalTarget } from '../../lib/target/local.js';
import type { RunOptions, RunResult, Target } from '../../lib/target/types.js';
import { FactSnapshot } from '../../lib/facts/snapshot.js';
import type { UnitFacts } from '../../lib/facts/probes/systemd.js';
import { setEnvFileValue } from '../../lib/config/index.js';
import { Secret } from '../../lib/secrets/secret.js';
import { DryRunTarget } from '../../checks/dry-run-target.js';
import { reloadSimulatedFacts } from '../../checks/simulated-facts.js';
import type { ServiceEnvironment } from '../../checks/kafclaw.js';
import type { ConfigFact } from '../../checks/config-fact.js';
import { runDoctor } from '../../checks/doctor.js';

/** This machine, counting the probe scripts it runs. */
class CountingTarget extends LocalTarget {
  scripts: string[] = [];

  override runScript(script: string, options?: Omit<RunOptions, 'stdin'>): Promise<RunResult> {
    this.scripts.push(script);
    return super.runScript(script, options);
  }
}

/** A "remote" host that serves this machine's files and refuses any command, script or write. */
function readOnlyRemote(): Target {
  const local = new LocalTarget();
  return {
    name: 'remote-host',
    kind: 'ssh',
    run: () => Promise.reject(new Error('no command expected')),
    runScript: () => Promise.reject(new Error('no probe script expected')),
    readFile: (path) => local.readFile(path),
    stat: (path) => local.stat(path),
    writeFileAtomic: () => Promise.reject(new Error('no write expected')),
    close: async () => {},
  };
}

const greps = (scripts: readonly string[]) => scripts.filter((s) => s.includes('grep -rlsF')).length;

test('a dry run gathers the host once: after each simulated fix only config and env.service are reloaded, from memory', async () => {
  const home = fixtureHome(referenceConfig('03-remote-with-token.json'));
  try {
    home.write('ws/notes.md', 'nothing secret\n');
    const plain = new CountingTarget();
    await runDoctor(plain, { env: home.env });
    const dry = new CountingTarget();
    const run = await runDoctor(dry, { env: home.env, fix: true, dryRun: true });
    const planned = run.fixes.filter((f) => f.outcome === 'planned');
    assert.ok(planned.length >= 2, JSON.stringify(run.fixes.map((f) => [f.id, f.outcome])));
    assert.ok(greps(plain.scripts) >= 1, 'the leak scan ran');
    assert.is(greps(dry.scripts), greps(plain.scripts), 'the leak scan ran once, not again after each simulated fix');
    // Beyond the first collection, only the fixes' own probes that are scripts (file modes) run.
    const collection = plain.scripts.length;
    assert.ok(dry.scripts.length < collection + planned.length, `${dry.scripts.length} scripts for ${planned.length} planned fixes (one collection: ${collection})`);
  } finally {
    home.cleanup();
  }
});

test('on a remote host the reload reads the unit\'s EnvironmentFile= through the simulation, running no script', async () => {
  const home = fixtureHome({ gateway: { port: 18790 } });
  try {
    const remote = readOnlyRemote();
    const envFile = home.write('gateway.env', 'KAFCLAW_GATEWAY_PORT=18790\n');
    const snapshot = new FactSnapshot();
    const unit: UnitFacts = { name: 'kafclaw-gateway.service', loaded: true, activeState: 'active', unitFileState: 'enabled', user: 'kafclaw', fragmentPath: '/etc/systemd/system/kafclaw-gateway.service', text: '', environment: [{ name: 'HOME', value: home.home }], environmentFiles: [`-${envFile}`] };
    snapshot.set('host.unit:kafclaw-gateway.service', unit);
    snapshot.set('host.passwd', []);
    snapshot.set('config', 'stale');
    snapshot.set('env.service', 'stale');
    const sim = new DryRunTarget(remote);
    await sim.simulate(() => setEnvFileValue(envFile, 'KAFCLAW_GATEWAY_PORT', new Secret('18800'), sim).then(() => undefined));
    await reloadSimulatedFacts(sim, snapshot, {});
    const env = snapshot.get<ServiceEnvironment>('env.service').assignments;
    assert.ok(env.some((a) => a.name === 'KAFCLAW_GATEWAY_PORT' && a.value === '18800' && a.source === envFile), JSON.stringify(env));
    assert.is(snapshot.get<ConfigFact>('config').path, home.path('.kafclaw/config.json'));
    assert.is(home.read('gateway.env'), 'KAFCLAW_GATEWAY_PORT=18790\n');
  } finally {
    home.cleanup();
  }
});

test('on a remote host the reload counts the unit\'s bare names as the gateway does (HOST in Environment=)', async () => {
  const home = fixtureHome({ gateway: { port: 18790 } });
  try {
    const remote = readOnlyRemote();
    const snapshot = new FactSnapshot();
    const unit: UnitFacts = { name: 'kafclaw-gateway.service', loaded: true, activeState: 'active', unitFileState: 'enabled', user: 'kafclaw', fragmentPath: '/etc/systemd/system/kafclaw-gateway.service', text: '', environment: [{ name: 'HOME', value: home.home }, { name: 'HOST', value: '10.0.0.5' }], environmentFiles: [] };
    snapshot.set('host.unit:kafclaw-gateway.service', unit);
    snapshot.set('host.passwd', []);
    snapshot.set('config', 'stale');
    await reloadSimulatedFacts(new DryRunTarget(remote), snapshot, {});
    const config = snapshot.get<ConfigFact>('config');
    assert.is(config.config.gateway.host, '10.0.0.5', 'the unit\'s bare HOST is the bind, as in the first collection');
  } finally {
    home.cleanup();
  }
});

test.run();
