import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { fixtureHome, referenceConfig, statuses } from './fixture-home.js';

const STRONG = 'f3b1c9e07a5d42c8b6e1f09a7d3c5e2b8a4f6d1c0e9b7a5c3d2e1f0a9b8c7d6e';

test('reference 01 (defaults): loopback, no token needed, nothing failing in the gateway family', async () => {
  const home = fixtureHome(referenceConfig('01-minimal-defaults.json'));
  try {
    const results = await home.results(['gateway.bind-loopback', 'gateway.auth-token-present', 'gateway.auth-token-strength', 'gateway.token-not-in-config', 'gateway.tls-or-proxy']);
    assert.equal(statuses(results), ['pass', 'pass', 'skip', 'pass', 'pass']);
  } finally {
    home.cleanup();
  }
});

test('reference 02 (0.0.0.0, no token): bind and token checks fail critical', async () => {
  const home = fixtureHome(referenceConfig('02-remote-no-token.json'));
  try {
    const [bind, present, tls] = await home.results(['gateway.bind-loopback', 'gateway.auth-token-present', 'gateway.tls-or-proxy']);
    assert.is(bind?.status, 'fail');
    assert.is(bind?.severity, 'critical');
    assert.match(bind!.message, /0\.0\.0\.0 with no auth token/);
    assert.is(present?.status, 'fail');
    assert.is(tls?.status, 'fail');
  } finally {
    home.cleanup();
  }
});

test('reference 03 (0.0.0.0 with a literal 64-hex token): warn on bind, strong token, but it sits in config.json', async () => {
  const home = fixtureHome(referenceConfig('03-remote-with-token.json'));
  try {
    const results = await home.results(['gateway.bind-loopback', 'gateway.auth-token-present', 'gateway.auth-token-strength', 'gateway.token-not-in-config']);
    assert.equal(statuses(results), ['warn', 'pass', 'pass', 'fail']);
  } finally {
    home.cleanup();
  }
});

test('the environment wins over the file, with the runbook\'s names', async () => {
  const home = fixtureHome({ gateway: { host: '127.0.0.1' } }, { KAFCLAW_GATEWAY_HOST: '0.0.0.0', KAFCLAW_GATEWAY_AUTH_TOKEN: STRONG });
  try {
    const [bind, present, strength, notInConfig] = await home.results(['gateway.bind-loopback', 'gateway.auth-token-present', 'gateway.auth-token-strength', 'gateway.token-not-in-config']);
    assert.is(bind?.status, 'warn');
    assert.match(present!.message, /env KAFCLAW_GATEWAY_AUTH_TOKEN/);
    assert.is(strength?.status, 'pass');
    assert.is(notInConfig?.status, 'pass');
  } finally {
    home.cleanup();
  }
});

test('weak tokens: placeholder, short, equal to a provider key', async () => {
  const cases: Array<[Record<string, unknown>, RegExp]> = [
    [{ gateway: { host: '0.0.0.0', authToken: '${T}' } }, /placeholder/],
    [{ gateway: { host: '0.0.0.0', authToken: '${T}' } }, /bits/],
    [{ gateway: { host: '0.0.0.0', authToken: '${T}' }, providers: { openai: { apiKey: '${T}' } } }, /equals another secret \(providers\.openai\.apiKey\)/],
  ];
  const tokens = ['changeme-dev-token-only', 'Xk3p9Qr2', STRONG];
  for (const [index, [config, expected]] of cases.entries()) {
    const home = fixtureHome(config, { T: tokens[index]! });
    try {
      const [strength] = await home.results('gateway.auth-token-strength');
      assert.is(strength?.status, 'fail', tokens[index]);
      assert.match(strength!.message, expected);
      assert.not.match(JSON.stringify(strength), tokens[index]!);
    } finally {
      home.cleanup();
    }
  }
});

test('token age: no record warns, an old record fails, a fresh one passes, a record whose time is not a date warns', async () => {
  const home = fixtureHome({ gateway: { authToken: '${T}' } }, { T: STRONG });
  const now = new Date('2026-11-25T00:00:00Z');
  try {
    const [unknown] = await home.results('gateway.auth-token-age', { now });
    assert.is(unknown?.status, 'warn');
    const [old] = await home.results('gateway.auth-token-age', { now, tokenRotatedAt: '2026-07-01T00:00:00Z' });
    assert.is(old?.status, 'fail');
    const [due] = await home.results('gateway.auth-token-age', { now, tokenRotatedAt: '2026-10-01T00:00:00Z' });
    assert.is(due?.status, 'warn');
    const [fresh] = await home.results('gateway.auth-token-age', { now, tokenRotatedAt: '2026-11-20T00:00:00Z' });
    assert.is(fresh?.status, 'pass');
    const [garbled] = await home.results('gateway.auth-token-age', { now, tokenRotatedAt: 'last tuesday' });
    assert.equal([garbled?.status, garbled?.message], ['warn', 'the token\'s age is unknown: the rotation record\'s time "last tuesday" is not a date; rotate it with `kafclaw token rotate` to record a new one']);
  } finally {
    home.cleanup();
  }
});

test('TLS or a declared reverse proxy satisfies a remote bind', async () => {
  const tls = fixtureHome({ gateway: { host: '0.0.0.0', tlsCert: '/etc/ssl/c.pem', tlsKey: '/etc/ssl/k.pem' } });
  const proxy = fixtureHome({ gateway: { host: '0.0.0.0' }, hardening: { reverseProxy: true } });
  try {
    assert.is((await tls.results('gateway.tls-or-proxy'))[0]?.status, 'pass');
    assert.is((await proxy.results('gateway.tls-or-proxy'))[0]?.status, 'pass');
  } finally {
    tls.cleanup();
    proxy.cleanup();
  }
});

test('tls-or-proxy says what crosses the network in the clear: the token only when one is set', async () => {
  const bare = fixtureHome({ gateway: { host: '0.0.0.0' } });
  const withToken = fixtureHome({ gateway: { host: '0.0.0.0', authToken: '${T}' } }, { T: STRONG });
  try {
    const [open] = await bare.results('gateway.tls-or-proxy');
    assert.is(open?.status, 'fail');
    assert.match(open!.message, /every request crosses the network in the clear/);
    assert.not.match(open!.message, /token/);
    const [tokened] = await withToken.results('gateway.tls-or-proxy');
    assert.is(tokened?.status, 'fail');
    assert.match(tokened!.message, /the token and every request cross the network in the clear/);
  } finally {
    bare.cleanup();
    withToken.cleanup();
  }
});

test.run();
