import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fixtureHome, referenceConfig } from './fixture-home.js';
import { gatherStatus, renderStatus } from '../../checks/status.js';
import { gatherTokenStatus } from '../../checks/token-status.js';
import { LocalTarget } from '../../lib/target/local.js';
import { Secret } from '../../lib/secrets/index.js';
import { openStore, recordTokenRotation } from '../../lib/store/index.js';

function listen(): Promise<Server> {
  return new Promise((resolve) => {
    const server = createServer((req, res) => {
      res.writeHead(req.url === '/api/v1/status' ? 200 : 404).end('{}');
    });
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

test('status: source, bind, auth, providers, channels and a real reachability probe', async () => {
  const server = await listen();
  const port = (server.address() as AddressInfo).port;
  const home = fixtureHome({ gateway: { dashboardPort: port }, providers: { anthropic: { apiKey: '${ANTHROPIC_KEY}' } }, channels: { slack: { enabled: true } } }, { ANTHROPIC_KEY: 'sk-ant-status-test-key-000111222' });
  try {
    const status = await gatherStatus(new LocalTarget(), { env: home.env });
    assert.is(status.configPath, home.path('.kafclaw/config.json'));
    assert.equal([status.gateway.host, status.gateway.loopback, status.gateway.auth], ['127.0.0.1', true, 'no token']);
    assert.equal(status.providers, ['anthropic']);
    assert.equal(status.channels, [{ name: 'slack', enabled: true, accounts: [] }]);
    assert.equal([status.reachability.reachable, status.reachability.detail], [true, 'HTTP 200']);
    assert.match(renderStatus(status), /Reachability: +up/);
  } finally {
    home.cleanup();
  }
  await new Promise((resolve) => server.close(resolve));
  const down = await gatherStatus(new LocalTarget(), { env: { ...home.env, KAFCLAW_GATEWAY_DASHBOARD_PORT: String(port) } });
  assert.is(down.reachability.reachable, false);
});

test('status of reference 03: remote bind with a token, reported by fingerprint only', async () => {
  const home = fixtureHome(referenceConfig('03-remote-with-token.json'));
  try {
    const status = await gatherStatus(new LocalTarget(), { env: home.env });
    assert.equal([status.gateway.host, status.gateway.loopback, status.gateway.auth], ['0.0.0.0', false, 'token set']);
    assert.match(status.gateway.tokenFingerprint!, /^sha256:/);
    const text = renderStatus(status) + JSON.stringify(status);
    assert.not.match(text, '9f2c4e6a8b0d');
    assert.ok(status.channels.some((c) => c.name === 'whatsapp' && c.enabled));
    assert.equal(status.providers, ['openrouter']);
  } finally {
    home.cleanup();
  }
});

test('status does not probe a non-loopback address, and says so instead of "down"', async () => {
  const home = fixtureHome({ gateway: { host: '192.0.2.10', authToken: '${T}' } }, { T: 'e1d2c3b4a5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9' });
  try {
    const status = await gatherStatus(new LocalTarget(), { env: home.env });
    assert.equal([status.reachability.probed, status.reachability.reachable], [false, null]);
    const line = renderStatus(status).split('\n').find((l) => l.startsWith('Reachability:'))!;
    assert.match(line, /^Reachability: +not probed \(the gateway binds 192\.0\.2\.10, not loopback/);
    assert.not.match(line, 'down');
  } finally {
    home.cleanup();
  }
});

test('status reads the token age from ops.db, matched by fingerprint; no ops.db is created', async () => {
  const token = 'b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9a0';
  const home = fixtureHome({ gateway: { authToken: '${T}' } }, { T: token });
  const now = new Date('2026-12-04T12:00:00Z');
  try {
    const before = await gatherStatus(new LocalTarget(), { env: home.env, now });
    assert.equal([before.tokenRotatedAt, before.tokenAgeDays, before.tokenRotation.state], [null, null, 'no-store']);
    assert.match(renderStatus(before), /^Token age: +no rotation record \(no operations store at .*ops\.db\)$/m);
    assert.not.ok(existsSync(home.path('.kafclaw/ops.db')), 'status created ops.db');
    const store = openStore(home.path('.kafclaw/ops.db'));
    recordTokenRotation(store, { host: 'gw1', kind: 'gateway.authToken', fingerprint: new Secret(token).fingerprint(), rotatedAt: '2026-11-22T09:00:00.000Z', actor: 'a', reason: 'r' });
    store.close();
    const after = await gatherStatus(new LocalTarget(), { env: home.env, now });
    assert.equal([after.tokenRotatedAt, after.tokenAgeDays], ['2026-11-22T09:00:00.000Z', 12]);
    assert.match(renderStatus(after), /^Token age: +rotated 12 days ago \(2026-11-22\)$/m);
    const rotatedAway = await gatherStatus(new LocalTarget(), { env: { ...home.env, T: 'f0e1d2c3b4a5968778695a4b3c2d1e0ff0e1d2c3b4a5968778695a4b3c2d1e0f' }, now });
    assert.equal([rotatedAway.tokenRotatedAt, rotatedAway.tokenRotation.state], [null, 'no-record']);
    assert.match(renderStatus(rotatedAway), /^Token age: +the current token \(sha256:[0-9a-f]{12}\) has no rotation record; the newest record \(2026-11-22\) is for another token/m);
  } finally {
    home.cleanup();
  }
});

test('status and token status report the token alike: no token, no store, a record, another token\'s record, an unreadable store', async () => {
  const token = 'b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9a0';
  const other = 'f0e1d2c3b4a5968778695a4b3c2d1e0ff0e1d2c3b4a5968778695a4b3c2d1e0f';
  const home = fixtureHome({ gateway: { authToken: '${T}' } }, { T: token });
  const now = new Date('2026-12-04T12:00:00Z');
  const fields = ['configPath', 'tokenSource', 'tokenFingerprint', 'opsStore', 'tokenRotatedAt', 'tokenAgeDays', 'tokenRotation'] as const;
  const states: string[] = [];
  const agree = async (env: Record<string, string>, opsStore?: string) => {
    const status = await gatherStatus(new LocalTarget(), { env, now, opsStore, timeoutMs: 50 });
    const token = await gatherTokenStatus(new LocalTarget(), { env, now, opsStore });
    const fromStatus = { ...status, tokenSource: status.gateway.tokenSource, tokenFingerprint: status.gateway.tokenFingerprint };
    for (const field of fields) assert.equal(fromStatus[field], token[field], field);
    assert.is(status.gateway.auth === 'token set', token.tokenSet);
    states.push(token.tokenRotation.state);
  };
  try {
    await agree({ ...home.env, T: '' });
    await agree(home.env);
    const store = openStore(home.path('.kafclaw/ops.db'));
    recordTokenRotation(store, { host: 'gw1', kind: 'gateway.authToken', fingerprint: new Secret(token).fingerprint(), rotatedAt: '2026-11-22T09:00:00.000Z', actor: 'a', reason: 'r' });
    store.close();
    await agree(home.env);
    await agree({ ...home.env, T: other });
    mkdirSync(home.path('not-a-store.db'));
    await agree(home.env, home.path('not-a-store.db'));
    assert.equal(states, ['no-token', 'no-store', 'rotated', 'no-record', 'unknown']);
  } finally {
    home.cleanup();
  }
});

test.run();
