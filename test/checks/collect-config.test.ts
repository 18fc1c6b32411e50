import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { fixtureHome } from './fixture-home.js';
import { LocalTarget } from '../../lib/target/local.js';
import { collectFacts } from '../../checks/collect.js';
import { bindLoopback } from '../../checks/gateway.js';

test('onConfig names the config of the first gather only: a later gather (after a fix, or of a dry run\'s simulated files) does not change it', async () => {
  const home = fixtureHome(null);
  try {
    const told: Array<{ path: string; exists: boolean }> = [];
    const options = { env: home.env, onConfig: (config: { path: string; exists: boolean }) => told.push(config) };
    await collectFacts(new LocalTarget(), [bindLoopback], options);
    home.write('.kafclaw/config.json', '{}');
    await collectFacts(new LocalTarget(), [bindLoopback], options);
    assert.equal(told, [{ path: home.path('.kafclaw/config.json'), exists: false }]);
  } finally {
    home.cleanup();
  }
});

test.run();
