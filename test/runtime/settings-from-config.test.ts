import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../../lib/config/index.js';
import { DEFAULT_MONITOR_THRESHOLDS } from '../../lib/monitor/index.js';
import { OPENAI_DEFAULT_BASE, settingsFromConfig } from '../../runtime/settings-from-config.js';
import { tempDir } from './fixtures.js';

const KEY = 'sk-proj-' + 'Ab3'.repeat(16);

async function settingsFor(config: unknown, env: Record<string, string> = {}) {
  const dir = tempDir();
  try {
    mkdirSync(join(dir.path, '.kafclaw'), { mode: 0o700 });
    const path = join(dir.path, '.kafclaw', 'config.json');
    writeFileSync(path, JSON.stringify(config), { mode: 0o600 });
    const loaded = await loadConfig({ env: { HOME: dir.path, ...env }, cwd: dir.path });
    return { settings: settingsFromConfig(loaded), path, home: dir.path };
  } finally {
    dir.remove();
  }
}

test('offline agent by default (KafClaw default model, no key); config path and default thresholds carried', async () => {
  const { settings, path, home } = await settingsFor({ gateway: { host: '127.0.0.1' } });
  assert.equal(settings.agent, { kind: 'offline' });
  assert.is(settings.configPath, path);
  assert.is(settings.stateDir, join(home, '.kafclaw'));
  assert.equal(settings.monitor, DEFAULT_MONITOR_THRESHOLDS);
  assert.is(settings.opsStorePath, undefined);
});

test('model openai/<name> with the key from the environment selects the OpenAI adapter; without the key, offline', async () => {
  const withKey = await settingsFor({ model: { name: 'openai/gpt-4o-mini' } }, { KAFCLAW_OPENAI_API_KEY: KEY });
  assert.is(withKey.settings.agent.kind, 'openai');
  if (withKey.settings.agent.kind !== 'openai') return;
  assert.is(withKey.settings.agent.model, 'gpt-4o-mini');
  assert.is(withKey.settings.agent.baseUrl, OPENAI_DEFAULT_BASE);
  assert.is(withKey.settings.agent.apiKey.reveal(), KEY);
  assert.not.match(JSON.stringify(withKey.settings), KEY, 'the key prints as a Secret');
  const base = await settingsFor({ model: { name: 'openai/m' }, providers: { openai: { apiBase: 'http://127.0.0.1:9/v1' } } }, { KAFCLAW_OPENAI_API_KEY: KEY });
  assert.is(base.settings.agent.kind === 'openai' && base.settings.agent.baseUrl, 'http://127.0.0.1:9/v1');
  const noKey = await settingsFor({ model: { name: 'openai/gpt-4o-mini' } });
  assert.equal(noKey.settings.agent, { kind: 'offline' });
});

test('hardening.monitor and hardening.opsStore are read', async () => {
  const { settings } = await settingsFor({ hardening: { monitor: { windowHours: 6, authFailuresPerAddress: 50 }, opsStore: '/var/lib/kafclaw-hardening/ops.db' } });
  assert.equal(settings.monitor, { ...DEFAULT_MONITOR_THRESHOLDS, windowHours: 6, authFailuresPerAddress: 50 });
  assert.is(settings.opsStorePath, '/var/lib/kafclaw-hardening/ops.db');
});

test('TLS files, trusted proxies and channel inbound tokens (channel and accounts, from file and environment) are carried', async () => {
  const slackToken = 'slack-inbound-' + 'Qz7'.repeat(6);
  const { settings } = await settingsFor(
    {
      gateway: { tlsCert: '/etc/kafclaw/tls/cert.pem', tlsKey: '/etc/kafclaw/tls/key.pem', trustedProxies: ['10.0.0.1', 'fd00::/8'] },
      channels: {
        slack: { enabled: true, accounts: [{ id: 'ops', inboundToken: 'ops-account-token-' + 'Lm4'.repeat(5) }, { id: 'plain' }] },
        msteams: { enabled: true },
      },
    },
    { KAFCLAW_CHANNELS_SLACK_SLACK_INBOUND_TOKEN: slackToken },
  );
  assert.is(settings.tlsCert, '/etc/kafclaw/tls/cert.pem');
  assert.is(settings.tlsKey, '/etc/kafclaw/tls/key.pem');
  assert.equal(settings.trustedProxies, ['10.0.0.1', 'fd00::/8']);
  const slack = settings.channelTokens!.slack!;
  assert.is(slack.token!.reveal(), slackToken);
  assert.is(slack.accounts.ops!.reveal(), 'ops-account-token-' + 'Lm4'.repeat(5));
  assert.equal(Object.keys(slack.accounts), ['ops'], 'an account without its own token inherits the channel token');
  assert.is(settings.channelTokens!.msteams!.token, null, 'unset is null, which the inbound check refuses');
  assert.not.match(JSON.stringify(settings), slackToken, 'tokens print as Secrets');
});

test('without TLS, proxies or channel tokens in the config: no TLS, no trusted proxy, every channel token unset', async () => {
  const { settings } = await settingsFor({ gateway: { host: '127.0.0.1' } });
  assert.is(settings.tlsCert, undefined);
  assert.is(settings.tlsKey, undefined);
  assert.equal(settings.trustedProxies, []);
  assert.is(settings.channelTokens!.slack!.token, null);
});

test.run();
