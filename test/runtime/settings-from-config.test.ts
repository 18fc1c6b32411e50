import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { loadConfig } from '../../lib/config/index.js';
import { DEFAULT_MONITOR_THRESHOLDS } from '../../lib/monitor/index.js';
import { runAgentTurn } from '../../runtime/agent/turn.js';
import { turnDepsFor } from '../../runtime/agent/turn-deps.js';
import { DEFAULT_TOOL_LIMITS } from '../../runtime/settings.js';
import type { GatewaySettings } from '../../runtime/settings.js';
import { OPENAI_DEFAULT_BASE, settingsFromConfig } from '../../runtime/settings-from-config.js';
import { TimelineStore } from '../../runtime/timeline/store.js';
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

/** Like settingsFor, but the home (workspace, state) stays until `run` is done. */
async function withConfigHome(config: unknown, env: Record<string, string>, run: (settings: GatewaySettings, home: string) => Promise<void>): Promise<void> {
  const dir = tempDir();
  try {
    mkdirSync(join(dir.path, '.kafclaw'), { mode: 0o700 });
    writeFileSync(join(dir.path, '.kafclaw', 'config.json'), JSON.stringify(config), { mode: 0o600 });
    const settings = settingsFromConfig(await loadConfig({ env: { HOME: dir.path, ...env }, cwd: dir.path }));
    mkdirSync(settings.workspace, { recursive: true });
    await run(settings, dir.path);
  } finally {
    dir.remove();
  }
}

/** One turn the way the routes run it: turn deps from the settings in force. */
async function turnWith(settings: GatewaySettings, text: string) {
  const timeline = TimelineStore.open(settings.stateDir);
  try {
    const turn = await runAgentTurn(turnDepsFor(settings, { timeline, signal: new AbortController().signal }), {
      text, sender: 'owner', channel: 'local', sessionKey: 'local:default', messageType: 'internal', traceId: 'trace-config',
    });
    return { turn, task: timeline.getTask(turn.taskId), events: timeline.list({ limit: 50, offset: 0 }).map((event) => event.content_text ?? '') };
  } finally {
    timeline.close();
  }
}

test('finops.pricing.<provider> (USD per 1000 tokens) prices the configured model: the task\'s cost_usd uses it', async () => {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' });
      // The provider reports a dated variant; the price of the configured name applies.
      res.end(JSON.stringify({ model: 'gpt-test-2026-01-01', choices: [{ message: { content: 'priced' } }], usage: { prompt_tokens: 1000, completion_tokens: 500, total_tokens: 1500 } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  try {
    const config = {
      model: { name: 'openai/gpt-test' },
      providers: { openai: { apiBase: base } },
      finops: { pricing: { openai: { promptPer1kTokens: 0.5, completionPer1kTokens: 2 }, anthropic: { promptPer1kTokens: 9, completionPer1kTokens: 9 } } },
    };
    await withConfigHome(config, { KAFCLAW_OPENAI_API_KEY: KEY }, async (settings) => {
      assert.equal(settings.modelPrices, { 'gpt-test': { promptUsdPerMTok: 500, completionUsdPerMTok: 2000 } });
      const { turn, task } = await turnWith(settings, 'hello');
      assert.ok(turn.ok);
      assert.is(task!.model_name, 'gpt-test-2026-01-01');
      assert.ok(Math.abs(task!.cost_usd! - 1.5) < 1e-9, `cost_usd ${task!.cost_usd}: 1000 x 0.5/1k + 500 x 2/1k = 1.5`);
    });
    // Without a price for the provider the cost is unknown (null), not zero.
    await withConfigHome({ ...config, finops: { pricing: { openai: { promptPer1kTokens: 0.5 } } } }, { KAFCLAW_OPENAI_API_KEY: KEY }, async (settings) => {
      assert.equal(settings.modelPrices, {}, 'a provider with only one of its prices prices nothing');
      const { task } = await turnWith(settings, 'hello');
      assert.is(task!.cost_usd, null);
    });
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
});

test('tools.exec.timeout (ns) and tools.limits.* bound the tools a turn runs', async () => {
  const config = {
    tools: { exec: { timeout: 300_000_000 }, limits: { readMaxBytes: 16, listMaxEntries: 2 }, policy: { maxAutoTier: 2 } },
  };
  await withConfigHome(config, {}, async (settings) => {
    assert.equal(settings.toolLimits, { ...DEFAULT_TOOL_LIMITS, execTimeoutMs: 300, readMaxBytes: 16, listMaxEntries: 2 });
    writeFileSync(join(settings.workspace, 'big.txt'), '0123456789abcdef-beyond-the-limit');
    for (const name of ['a', 'b', 'c']) writeFileSync(join(settings.workspace, `${name}.txt`), name);
    const started = Date.now();
    const { turn, events } = await turnWith(settings, '/tool read_file big.txt\n/tool list_dir .\n/tool exec tail -f big.txt');
    assert.ok(turn.ok);
    if (!turn.ok) return;
    assert.equal(turn.tools.map((t) => [t.tool, t.status]), [['read_file', 'ok'], ['list_dir', 'ok'], ['exec', 'timed_out']]);
    assert.is(/read_file ok: (.*)/.exec(turn.reply)?.[1], '0123456789abcdef', 'read_file stops at 16 bytes');
    assert.ok(events.includes('exec timed_out: killed after 300 ms'), events.join('\n'));
    assert.ok(Date.now() - started < 5_000, 'exec was stopped by the configured timeout, not the 10 s default');
    const listing = /list_dir ok: (.*)/.exec(turn.reply)?.[1] ?? '';
    assert.is(['a.txt', 'b.txt', 'big.txt', 'c.txt'].filter((name) => listing.includes(name)).length, 2, listing);
  });
});

test('tool limits: KafClaw\'s default tools.exec.timeout (60 s, unset) keeps the gateway default; the env sets it too', async () => {
  const { settings } = await settingsFor({});
  assert.equal(settings.toolLimits, DEFAULT_TOOL_LIMITS);
  const fromEnv = await settingsFor({}, { KAFCLAW_TOOLS_EXEC_TIMEOUT: '2s' });
  assert.is(fromEnv.settings.toolLimits.execTimeoutMs, 2000);
  const zero = await settingsFor({ tools: { exec: { timeout: 0 } } });
  assert.is(zero.settings.toolLimits.execTimeoutMs, DEFAULT_TOOL_LIMITS.execTimeoutMs, '0 means the default, as in KafClaw');
});

test('SLACK_INBOUND_TOKEN, the bare name KafClaw reads: below KAFCLAW_CHANNELS_SLACK_SLACK_INBOUND_TOKEN, above MIKROBOT_ and the file', async () => {
  const file = 'slack-file-token-' + 'Fi1'.repeat(5);
  const bare = 'slack-bare-token-' + 'Ba2'.repeat(5);
  const prefixed = 'slack-kafclaw-token-' + 'Kc3'.repeat(5);
  const legacy = 'slack-mikrobot-token-' + 'Mb4'.repeat(5);
  const config = { channels: { slack: { enabled: true, inboundToken: file } } };
  const slackToken = async (env: Record<string, string>) => (await settingsFor(config, env)).settings.channelTokens!.slack!.token;
  assert.is((await slackToken({}))!.reveal(), file);
  const fromBare = (await slackToken({ SLACK_INBOUND_TOKEN: bare }))!;
  assert.equal([fromBare.reveal(), fromBare.source], [bare, 'env:SLACK_INBOUND_TOKEN']);
  assert.is((await slackToken({ SLACK_INBOUND_TOKEN: bare, MIKROBOT_CHANNELS_SLACK_SLACK_INBOUND_TOKEN: legacy }))!.reveal(), bare);
  assert.is((await slackToken({ SLACK_INBOUND_TOKEN: bare, KAFCLAW_CHANNELS_SLACK_INBOUND_TOKEN: legacy }))!.reveal(), bare, 'over the documented alias too');
  assert.is((await slackToken({ SLACK_INBOUND_TOKEN: bare, KAFCLAW_CHANNELS_SLACK_SLACK_INBOUND_TOKEN: prefixed }))!.reveal(), prefixed);
  assert.is(await slackToken({ SLACK_INBOUND_TOKEN: '' }), null, 'set but empty overrides the file, as in KafClaw, and refuses the bridge');
  const teams = (await settingsFor({ channels: { msteams: { enabled: true } } }, { MSTEAMS_INBOUND_TOKEN: bare })).settings.channelTokens!.msteams!.token;
  assert.is(teams!.reveal(), bare, 'MSTEAMS_INBOUND_TOKEN likewise');
});

test.run();
