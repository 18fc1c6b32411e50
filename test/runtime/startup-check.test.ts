import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Secret } from '../../lib/secrets/index.js';
import { assertStartable, GatewayStartupError, isLoopbackHost, liveTokens, startupProblems, tokenWeakness } from '../../runtime/startup-check.js';
import { strongToken, testSettings } from './fixtures.js';

const root = '/nonexistent-root';
const now = new Date('2026-11-25T00:00:00Z');

test('loopback hosts are recognised; wildcard and LAN addresses are not', () => {
  for (const host of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]', '::ffff:127.0.0.1']) assert.ok(isLoopbackHost(host), host);
  for (const host of ['0.0.0.0', '::', '', '192.168.1.10', '10.0.0.1', 'example.internal', '128.0.0.1']) assert.not.ok(isLoopbackHost(host), host);
});

test('loopback without a token may start', () => {
  assert.equal(startupProblems(testSettings(root), now), []);
});

test('beyond loopback without a token is refused, naming the variable to set', () => {
  const problems = startupProblems(testSettings(root, { host: '0.0.0.0' }), now);
  assert.is(problems.length, 1);
  assert.match(problems[0]!, 'gateway.host is 0.0.0.0');
  assert.match(problems[0]!, 'KAFCLAW_GATEWAY_AUTH_TOKEN');
});

test('beyond loopback with only an expired token is refused', () => {
  const tokens = [{ secret: strongToken(), expiresAt: new Date('2026-11-24T00:00:00Z') }];
  assert.is(startupProblems(testSettings(root, { host: '0.0.0.0', tokens }), now).length, 1);
  assert.is(liveTokens(tokens, now).length, 0);
});

test('beyond loopback with a strong token may start', () => {
  assert.equal(startupProblems(testSettings(root, { host: '0.0.0.0', tokens: [{ secret: strongToken() }] }), now), []);
});

test('a weak or placeholder token is refused on any host, without quoting it', () => {
  const weak = new Secret('Kd8fj3Lq0pZx', 'env:KAFCLAW_GATEWAY_AUTH_TOKEN');
  const placeholder = new Secret('changeme-please-0123456789abcdefABCDEF0123456789abcdef', 'config:gateway.authToken');
  for (const host of ['127.0.0.1', '0.0.0.0']) {
    const problems = startupProblems(testSettings(root, { host, tokens: [{ secret: weak }, { secret: placeholder }] }), now);
    assert.is(problems.length, 2, host);
    assert.match(problems[0]!, 'env:KAFCLAW_GATEWAY_AUTH_TOKEN');
    assert.match(problems[0]!, /needs 256/);
    assert.match(problems[1]!, 'placeholder');
    assert.not.match(problems.join('\n'), weak.reveal());
    assert.not.match(problems.join('\n'), 'changeme-please');
  }
  assert.is(tokenWeakness({ secret: strongToken() }), null);
});

test('an expired weak token left over from a rotation does not block startup', () => {
  const tokens = [{ secret: new Secret('Kd8fj3Lq0pZx'), expiresAt: new Date('2026-11-24T00:00:00Z') }, { secret: strongToken() }];
  assert.equal(startupProblems(testSettings(root, { host: '0.0.0.0', tokens }), now), []);
});

test('bad and clashing ports are refused', () => {
  assert.match(startupProblems(testSettings(root, { port: 70000 }), now).join(), 'gateway.port is 70000');
  assert.match(startupProblems(testSettings(root, { port: 18790, dashboardPort: 18790 }), now).join(), 'both 18790');
});

test('assertStartable throws a GatewayStartupError with exit code 2 listing every problem', () => {
  try {
    assertStartable(testSettings(root, { host: '0.0.0.0', port: -1 }), now);
    assert.unreachable();
  } catch (error) {
    assert.instance(error, GatewayStartupError);
    assert.is((error as GatewayStartupError).exitCode, 2);
    assert.match((error as Error).message, 'refuses to start');
    assert.match((error as Error).message, 'gateway.port is -1');
  }
});

test('half a TLS pair and unreadable trusted proxies are refused, saying what to set', () => {
  const half = startupProblems({ ...testSettings(root), tlsCert: '/etc/kafclaw/cert.pem' } as ReturnType<typeof testSettings>, now);
  assert.equal(half, ['gateway.tlsCert is set but gateway.tlsKey is not: set both (PEM files) to serve HTTPS, or neither']);
  const proxies = startupProblems(testSettings(root, { trustedProxies: ['10.0.0.1', '10.0.0.0/40'] }), now);
  assert.is(proxies.length, 1);
  assert.match(proxies[0]!, 'gateway.trustedProxies: "10.0.0.0/40" is not an IP address or CIDR range');
  assert.equal(startupProblems(testSettings(root, { trustedProxies: ['10.0.0.0/8', '::1'], tlsCert: '/c', tlsKey: '/k' }), now), []);
});

test.run();
