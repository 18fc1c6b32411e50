import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadConfig } from '../../lib/config/index.js';
import { configFileToken } from '../../checks/gateway-facts.js';
import { LocalTarget } from '../../lib/target/local.js';
import { FactSnapshot } from '../../lib/facts/snapshot.js';
import { authTokenAge } from '../../checks/gateway.js';
import type { CheckContext } from '../../checks/types.js';
import { fixtureHome, type FixtureHome } from './fixture-home.js';

const LITERAL = 'f3b1c9e07a5d42c8b6e1f09a7d3c5e2b8a4f6d1c0e9b7a5c3d2e1f0a9b8c7d6e';

async function formOf(authToken: unknown, env: Record<string, string> = {}) {
  const home = fixtureHome(authToken === undefined ? { gateway: {} } : { gateway: { authToken } }, env);
  try {
    const target = new LocalTarget();
    return configFileToken(await loadConfig({ env: home.env, readFile: (path) => target.readFile(path) }));
  } finally {
    home.cleanup();
  }
}

test('configFileToken: none, a ${VAR} reference (set or not), a literal; a value with text around a reference is a literal', async () => {
  assert.equal(await formOf(undefined), { kind: 'none' });
  assert.equal(await formOf(''), { kind: 'none' });
  assert.equal(await formOf('${KAFCLAW_GATEWAY_AUTH_TOKEN}'), { kind: 'reference', reference: '${KAFCLAW_GATEWAY_AUTH_TOKEN}' });
  assert.equal(await formOf('${KAFCLAW_GATEWAY_AUTH_TOKEN}', { KAFCLAW_GATEWAY_AUTH_TOKEN: LITERAL }), { kind: 'reference', reference: '${KAFCLAW_GATEWAY_AUTH_TOKEN}' });
  assert.equal(await formOf(LITERAL), { kind: 'literal' });
  assert.equal(await formOf(`x\${KAFCLAW_GATEWAY_AUTH_TOKEN}`), { kind: 'literal' });
});

/** The steps of auth-token-age's guided fix for the configuration of this home. */
async function rotationSteps(home: FixtureHome): Promise<string> {
  const target = new LocalTarget();
  const facts = new FactSnapshot();
  facts.set('config', await loadConfig({ env: home.env, readFile: (path) => target.readFile(path) }));
  const plan = await authTokenAge.fix!({ target, host: 'localhost', facts, options: {} as CheckContext['options'], now: new Date() });
  return plan.steps.join('\n');
}

test('the three users of the literal test agree: token-not-in-config fails, auth-token-age guides to it first; a reference is neither', async () => {
  const home = fixtureHome({ gateway: { host: '0.0.0.0', authToken: LITERAL } });
  try {
    const [notInConfig] = await home.results('gateway.token-not-in-config');
    assert.is(notInConfig?.status, 'fail');
    assert.match(await rotationSteps(home), /config\.json holds the token as a literal: run `kafclaw doctor --fix --only gateway\.token-not-in-config` first/);
  } finally {
    home.cleanup();
  }
  const ref = fixtureHome({ gateway: { host: '0.0.0.0', authToken: '${KAFCLAW_GATEWAY_AUTH_TOKEN}' } }, { KAFCLAW_GATEWAY_AUTH_TOKEN: LITERAL });
  try {
    const [notInConfig] = await ref.results('gateway.token-not-in-config');
    assert.equal([notInConfig?.status, notInConfig?.message], ['pass', 'config.json refers to ${KAFCLAW_GATEWAY_AUTH_TOKEN}']);
    const steps = await rotationSteps(ref);
    assert.match(steps, /Run `kafclaw token rotate` on the gateway host/);
    assert.not.match(steps, /holds the token as a literal/);
  } finally {
    ref.cleanup();
  }
});

test.run();
