import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DEFAULT_LIMITS, DEFAULT_TOOL_LIMITS, gatewaySettings } from '../../runtime/settings.js';

test('defaults follow KafClaw ports on loopback, with no token, CORS off and secure limits', () => {
  const settings = gatewaySettings({ stateDir: '/s', workspace: '/w' });
  assert.is(settings.host, '127.0.0.1');
  assert.is(settings.port, 18790);
  assert.is(settings.dashboardPort, 18791);
  assert.equal(settings.tokens, []);
  assert.equal(settings.corsOrigins, []);
  assert.equal(settings.toolPolicy, { maxAutoTier: 1, externalMaxTier: 0 });
  assert.is(settings.limits.bodyLimitBytes, 64 * 1024);
  assert.ok(settings.limits.headersTimeoutMs <= settings.limits.requestTimeoutMs);
});

test('partial limits are merged over the defaults', () => {
  const settings = gatewaySettings({ stateDir: '/s', workspace: '/w', limits: { authBackoffBaseMs: 5 } });
  assert.is(settings.limits.authBackoffBaseMs, 5);
  assert.is(settings.limits.authFreeFailures, DEFAULT_LIMITS.authFreeFailures);
});

test('tools: bounded by default (10 s exec, 16 KiB output, 8 model calls), no prices known, partial limits merged', () => {
  const settings = gatewaySettings({ stateDir: '/s', workspace: '/w' });
  assert.equal(settings.toolLimits, { execTimeoutMs: 10_000, maxOutputBytes: 16 * 1024, readMaxBytes: 64 * 1024, listMaxEntries: 500 });
  assert.is(settings.maxAgentIterations, 8);
  assert.equal(settings.modelPrices, {});
  const tuned = gatewaySettings({ stateDir: '/s', workspace: '/w', toolLimits: { execTimeoutMs: 500 }, modelPrices: { m: { promptUsdPerMTok: 1, completionUsdPerMTok: 2 } } });
  assert.equal(tuned.toolLimits, { ...DEFAULT_TOOL_LIMITS, execTimeoutMs: 500 });
  assert.equal(tuned.modelPrices.m, { promptUsdPerMTok: 1, completionUsdPerMTok: 2 });
});

test('edge settings are ordinary optional fields: absent by default (no TLS, no proxy, no channel check), carried when given', () => {
  const plain = gatewaySettings({ stateDir: '/s', workspace: '/w' });
  for (const key of ['tlsCert', 'tlsKey', 'trustedProxies', 'channelTokens']) assert.not.ok(key in plain, key);
  const edge = gatewaySettings({
    stateDir: '/s', workspace: '/w', tlsCert: '/c.pem', tlsKey: '/k.pem', trustedProxies: ['10.0.0.1'], channelTokens: { slack: { token: null, accounts: {} } },
  });
  assert.equal([edge.tlsCert, edge.tlsKey, edge.trustedProxies, edge.channelTokens], ['/c.pem', '/k.pem', ['10.0.0.1'], { slack: { token: null, accounts: {} } }]);
});

test.run();
