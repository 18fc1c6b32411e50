import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Secret } from '../../lib/secrets/index.js';
import { GatewayState } from '../../runtime/state.js';
import { GatewayStartupError } from '../../runtime/startup-check.js';
import { strongToken, testSettings } from './fixtures.js';

const root = '/nonexistent-root';

test('reload swaps tokens, policy and limits; listener keys are reported as needing a restart', () => {
  const first = strongToken();
  const second = strongToken();
  const settings = testSettings(root, { tokens: [{ secret: first }] });
  const state = new GatewayState(settings);
  const result = state.reload({
    ...settings,
    host: '0.0.0.0',
    port: 9999,
    tokens: [{ secret: second }],
    toolPolicy: { maxAutoTier: 0, externalMaxTier: 0 },
    limits: { ...settings.limits, authFreeFailures: 0, bodyLimitBytes: 1 },
  });
  assert.equal(result.needsRestart, ['host', 'port', 'limits.bodyLimitBytes']);
  assert.is(state.settings.limits.bodyLimitBytes, settings.limits.bodyLimitBytes);
  assert.is(state.settings.host, '127.0.0.1', 'the listeners keep their address until a restart');
  assert.is(state.settings.port, 0);
  assert.is(state.tokens.check(second.reveal(), Date.now()), 'valid');
  assert.is(state.tokens.check(first.reveal(), Date.now()), 'unknown');
  assert.equal(state.settings.toolPolicy, { maxAutoTier: 0, externalMaxTier: 0 });
  state.failures.fail('a', 0);
  assert.ok(state.failures.retryAfterMs('a', 0) > 0, 'the new limits apply');
});

test('a reload that would not be allowed to start is refused and changes nothing', () => {
  const token = strongToken();
  const state = new GatewayState(testSettings(root, { tokens: [{ secret: token }] }));
  try {
    state.reload({ ...state.settings, tokens: [{ secret: new Secret('Hx7pQ2rT9vLm', 'env:KAFCLAW_GATEWAY_AUTH_TOKEN') }] });
    assert.unreachable();
  } catch (error) {
    assert.instance(error, GatewayStartupError);
    assert.match((error as Error).message, 'refuses to reload (still running with the previous settings)');
  }
  assert.is(state.tokens.check(token.reveal(), Date.now()), 'valid');
});

test('the startup check of a reload uses the running host: removing the last token beyond loopback is refused', () => {
  const state = new GatewayState(testSettings(root, { host: '0.0.0.0', tokens: [{ secret: strongToken() }] }));
  assert.throws(() => state.reload({ ...state.settings, tokens: [] }), /beyond loopback/);
});

test.run();
