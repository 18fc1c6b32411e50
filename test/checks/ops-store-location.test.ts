import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { homedir } from 'node:os';
import { loadConfig } from '../../lib/config/index.js';
import { opsStorePath } from '../../lib/backup/locations.js';
import { FactSnapshot } from '../../lib/facts/snapshot.js';
import { LocalTarget } from '../../lib/target/local.js';
import type { Target } from '../../lib/target/types.js';
import { authTokenPresent } from '../../checks/gateway.js';
import { serviceHome } from '../../checks/backup-facts.js';
import { opsStoreOf } from '../../checks/locations.js';
import { gatherStatus } from '../../checks/status.js';
import { gatherTokenStatus } from '../../checks/token-status.js';
import type { CheckContext } from '../../checks/types.js';
import { fixtureHome } from './fixture-home.js';

/** Where each user of the operations store puts it for this environment: the rotation a fix records, status, token status, doctor's read. */
async function storesOf(env: Record<string, string>): Promise<Record<string, string>> {
  const target = new LocalTarget();
  const loaded = await loadConfig({ env, readFile: (path) => target.readFile(path) });
  const facts = new FactSnapshot();
  facts.set('config', loaded);
  facts.set('env.service', { assignments: Object.entries(env).map(([name, value]) => ({ name, value, source: 'given environment' })) });
  const plan = await authTokenPresent.fix!({ target, host: 'localhost', facts, options: {} as CheckContext['options'], now: new Date() });
  const record = plan.resources.find((r) => r.kind === 'token-rotation-record');
  return {
    'doctor --fix records': record!.id.replace(/^ops:/, ''),
    'status reads': (await gatherStatus(target, { env, timeoutMs: 50 })).opsStore,
    'token status reads': (await gatherTokenStatus(target, { env })).opsStore,
    'doctor reads': opsStorePath(serviceHome(target, facts)),
  };
}

test('one operations store per configuration: with HOME set, all of them use $HOME/.kafclaw/ops.db', async () => {
  const home = fixtureHome({ gateway: { host: '0.0.0.0' } });
  try {
    const stores = await storesOf(home.env);
    for (const [who, path] of Object.entries(stores)) assert.is(path, home.path('.kafclaw/ops.db'), who);
  } finally {
    home.cleanup();
  }
});

test('one operations store per configuration: with HOME empty, all of them use the home of this process\'s user, none a relative path', async () => {
  const home = fixtureHome({ gateway: { host: '0.0.0.0' } });
  try {
    const stores = await storesOf({ HOME: '', PATH: home.env.PATH!, KAFCLAW_CONFIG: home.path('.kafclaw/config.json') });
    for (const [who, path] of Object.entries(stores)) assert.is(path, opsStorePath(homedir()), who);
  } finally {
    home.cleanup();
  }
});

test('opsStoreOf: a remote host without HOME is /root\'s', async () => {
  const home = fixtureHome({});
  try {
    const target = new LocalTarget();
    const loaded = await loadConfig({ env: { KAFCLAW_CONFIG: home.path('.kafclaw/config.json') }, readFile: (path) => target.readFile(path) });
    assert.is(opsStoreOf(loaded, { kind: 'ssh' } as Pick<Target, 'kind'>), '/root/.kafclaw/ops.db');
    assert.is(opsStoreOf(loaded, target), opsStorePath(homedir()));
  } finally {
    home.cleanup();
  }
});

test.run();
