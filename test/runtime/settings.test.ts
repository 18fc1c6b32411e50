import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DEFAULT_LIMITS, gatewaySettings } from '../../runtime/settings.js';

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

test.run();
