import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { fixtureHome, referenceConfig } from './fixture-home.js';
import { LocalTarget } from '../../lib/target/local.js';
import { runDoctor } from '../../checks/doctor.js';

type Told = Array<{ path: string; exists: boolean }>;

test('runDoctor tells onConfig once per run, the config as the first gather found it, whatever the fixes and re-gathers', async () => {
  for (const dryRun of [false, true]) {
    const home = fixtureHome(referenceConfig('03-remote-with-token.json'));
    try {
      const told: Told = [];
      const run = await runDoctor(new LocalTarget(), { env: home.env, fix: true, dryRun, onConfig: (config) => told.push(config) });
      assert.ok(run.fixes.some((f) => f.outcome === (dryRun ? 'planned' : 'repaired')), `${dryRun ? 'dry run' : 'fix run'} made fixes`);
      assert.equal(told, [{ path: home.path('.kafclaw/config.json'), exists: true }], dryRun ? 'dry run' : 'fix run');
    } finally {
      home.cleanup();
    }
  }
});

test('a callback reused across runs hears every run (a library caller auditing one host after another)', async () => {
  const home = fixtureHome(null);
  try {
    const told: Told = [];
    const options = { env: home.env, onConfig: (config: { path: string; exists: boolean }) => told.push(config) };
    await runDoctor(new LocalTarget(), options);
    home.write('.kafclaw/config.json', '{}');
    await runDoctor(new LocalTarget(), options);
    const path = home.path('.kafclaw/config.json');
    assert.equal(told, [{ path, exists: false }, { path, exists: true }]);
  } finally {
    home.cleanup();
  }
});

test.run();
