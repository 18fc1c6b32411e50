import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fixtureHome, referenceConfig } from './fixture-home.js';
import { gatherStatus, renderStatus } from '../../checks/status.js';
import { LocalTarget } from '../../lib/target/local.js';

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

test.run();
