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

test('a reload changing tlsCert/tlsKey reports a restart and keeps the running files; proxies and channel tokens apply at once', () => {
  const slackOld = new Secret('slack-inbound-old-7c1d9e3a5b', 'file:channels.slack.inboundToken');
  const slackNew = new Secret('slack-inbound-new-2f8a4c6e0b', 'env:SLACK_INBOUND_TOKEN');
  const settings = testSettings(root, {
    tlsCert: '/etc/kafclaw/tls/old.crt',
    tlsKey: '/etc/kafclaw/tls/old.key',
    trustedProxies: ['10.0.0.1'],
    channelTokens: { slack: { token: slackOld, accounts: {} } },
  });
  const state = new GatewayState(settings);
  const result = state.reload({
    ...settings,
    tlsCert: '/etc/kafclaw/tls/new.crt',
    tlsKey: '/etc/kafclaw/tls/new.key',
    trustedProxies: ['10.0.0.0/8'],
    channelTokens: { slack: { token: slackNew, accounts: {} } },
  });
  assert.equal(result.needsRestart, ['tlsCert', 'tlsKey']);
  assert.is(state.settings.tlsCert, '/etc/kafclaw/tls/old.crt', 'the listener keeps the certificate it was started with');
  assert.is(state.settings.tlsKey, '/etc/kafclaw/tls/old.key');
  assert.equal(state.settings.trustedProxies, ['10.0.0.0/8']);
  assert.is(state.settings.channelTokens?.slack?.token, slackNew);

  const same = state.reload({ ...state.settings, trustedProxies: [] });
  assert.equal(same.needsRestart, [], 'unchanged TLS files need nothing');
  assert.equal(state.settings.trustedProxies, []);
});

test('turning TLS on or off by reload needs a restart too: the listener stays as it started', () => {
  const plain = new GatewayState(testSettings(root));
  assert.equal(plain.reload({ ...plain.settings, tlsCert: '/c.pem', tlsKey: '/k.pem' }).needsRestart, ['tlsCert', 'tlsKey']);
  assert.not.ok('tlsCert' in plain.settings, 'still plain HTTP');
  assert.not.ok('tlsKey' in plain.settings);
  const secure = new GatewayState(testSettings(root, { tlsCert: '/c.pem', tlsKey: '/k.pem' }));
  const { tlsCert: _cert, tlsKey: _key, ...without } = secure.settings;
  assert.equal(secure.reload(without).needsRestart, ['tlsCert', 'tlsKey']);
  assert.equal([secure.settings.tlsCert, secure.settings.tlsKey], ['/c.pem', '/k.pem']);
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
