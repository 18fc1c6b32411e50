import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadConfig, describeConfig, isLoopbackHost } from '../../../lib/config/index.js';
import { REFERENCE_CONFIGS, CANARY } from './fixtures.js';

async function described(name: string, env: Record<string, string> = {}) {
  const text = await readFile(join(REFERENCE_CONFIGS, name));
  const loaded = await loadConfig({ env: { HOME: '/h', ...env }, readFile: async (path) => (path === '/h/.kafclaw/config.json' ? text : null) });
  return describeConfig(loaded);
}

test('gateway bind and auth state, with where the token came from', async () => {
  const remote = await described('02-remote-no-token.json');
  assert.is(remote.gateway.host, '0.0.0.0');
  assert.is(remote.gateway.loopback, false);
  assert.equal(remote.gateway.auth, { set: false, source: { kind: 'file', path: '/h/.kafclaw/config.json' }, blankedByEnv: false });
  const withEnv = await described('02-remote-no-token.json', { KAFCLAW_GATEWAY_AUTH_TOKEN: CANARY });
  assert.equal(withEnv.gateway.auth, { set: true, source: { kind: 'env', name: 'KAFCLAW_GATEWAY_AUTH_TOKEN' }, blankedByEnv: false });
  const blanked = await described('03-remote-with-token.json', { KAFCLAW_GATEWAY_AUTH_TOKEN: '' });
  assert.is(blanked.gateway.auth.blankedByEnv, true);
  assert.not.match(JSON.stringify(withEnv), CANARY);
});

test('providers with credentials and enabled channels (or enabled accounts)', async () => {
  const channels = await described('05-channels-misconfigured.json');
  assert.equal(channels.providers.map((p) => p.id), ['anthropic']);
  assert.equal(channels.channels.map((c) => [c.id, c.enabled, c.accounts]), [['slack', true, []], ['msteams', false, ['Ops']]]);
  const minimal = await described('01-minimal-defaults.json');
  assert.equal(minimal.providers, []);
  assert.equal(minimal.channels, []);
  assert.is(minimal.gateway.loopback, true);
  const openai = await described('01-minimal-defaults.json', { OPENAI_API_KEY: 'sk-test-openai' });
  assert.equal(openai.providers.map((p) => [p.id, p.source]), [['openai', { kind: 'env', name: 'OPENAI_API_KEY' }]]);
});

test('isLoopbackHost', () => {
  for (const host of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]']) assert.ok(isLoopbackHost(host), host);
  for (const host of ['0.0.0.0', '', '::', '10.0.0.1', '127.example.com']) assert.not.ok(isLoopbackHost(host), host);
});

test.run();
