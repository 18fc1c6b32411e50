import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { build } from '../../../runtime/app.js';
import { looseningProblem } from '../../../runtime/routes/admin.js';
import { DEFAULT_CHANNEL_POLICY } from '../../../runtime/settings.js';
import type { GatewaySettings } from '../../../runtime/settings.js';
import { GatewayState } from '../../../runtime/state.js';
import { TimelineStore } from '../../../runtime/timeline/store.js';
import { strongToken, tempDir, testSettings } from '../fixtures.js';

const token = strongToken();
const auth = { authorization: `Bearer ${token.reveal()}` };
const ORIGINAL = { gateway: { host: '127.0.0.1' }, channels: { slack: { enabled: true, dmPolicy: 'open', futureKey: [1, 2] } }, someUnknownSection: { keep: true } };

async function withAdmin(
  options: { configPath?: boolean; reloadSettings?: (s: GatewaySettings) => GatewaySettings },
  run: (app: FastifyInstance, ctx: { state: GatewayState; timeline: TimelineStore; config: string; dir: string }) => Promise<void>,
): Promise<void> {
  const dir = tempDir();
  const config = join(dir.path, 'config.json');
  writeFileSync(config, JSON.stringify(ORIGINAL, null, 2) + '\n', { mode: 0o600 });
  const settings = testSettings(dir.path, {
    tokens: [{ secret: token }],
    channels: { slack: { ...DEFAULT_CHANNEL_POLICY, dmPolicy: 'open' } },
    ...(options.configPath === false ? {} : { configPath: config }),
  });
  const timeline = TimelineStore.open(settings.stateDir);
  const state = new GatewayState(settings);
  const reload = options.reloadSettings;
  const app = build(settings, { timeline, state, ...(reload ? { reloadSettings: () => reload(state.settings) } : {}) });
  try {
    await run(app, { state, timeline, config, dir: dir.path });
  } finally {
    await app.close();
    timeline.close();
    dir.remove();
  }
}

const post = (app: FastifyInstance, url: string, payload: unknown, headers: Record<string, string> = auth) =>
  app.inject({ method: 'POST', url, headers, payload: payload as object });

test('disable a channel: persisted to config.json (unknown keys kept, backup, mode), applied live, audited', async () => {
  await withAdmin({}, async (app, { state, timeline, config }) => {
    const before = await post(app, '/api/v1/channels/slack/inbound', { sender_id: 'u1', text: 'hi' });
    assert.is(before.json().authorized, true);

    const response = await post(app, '/api/v1/admin/channels/slack/disable', { reason: 'incident 42' });
    assert.is(response.statusCode, 200);
    const body = response.json();
    assert.equal([body.ok, body.action, body.channel, body.enabled, body.persisted_to], [true, 'channel.disable', 'slack', false, config]);
    assert.ok(body.backup && existsSync(body.backup), 'a backup of the previous file exists');
    assert.equal(JSON.parse(readFileSync(body.backup, 'utf8')), ORIGINAL);
    const written = JSON.parse(readFileSync(config, 'utf8'));
    assert.equal(written, { ...ORIGINAL, channels: { slack: { ...ORIGINAL.channels.slack, enabled: false } } });
    assert.is(statSync(config).mode & 0o777, 0o600);
    assert.is(state.settings.channels.slack!.enabled, false);

    const after = await post(app, '/api/v1/channels/slack/inbound', { sender_id: 'u1', text: 'hi' });
    assert.equal([after.statusCode, after.json().reason], [403, 'channel_disabled']);
    const audit = timeline.list({ limit: 10, offset: 0 }).find((e) => e.classification === 'ADMIN_ACTION')!;
    assert.is(audit.content_text, 'channel.disable: incident 42');
    assert.is(JSON.parse(audit.metadata!).channel, 'slack');

    const enable = await post(app, '/api/v1/admin/channels/slack/enable', { reason: 'resolved' });
    assert.equal([enable.statusCode, enable.json().enabled], [200, true]);
    assert.is(JSON.parse(readFileSync(config, 'utf8')).channels.slack.enabled, true);
    assert.is(state.settings.channels.slack!.enabled, true);

    const metrics = await app.inject({ method: 'GET', url: '/metrics', headers: auth });
    assert.match(metrics.body, 'kafclaw_gateway_admin_actions_total{action="channel.disable"} 1');
  });
});

test('tighten the tool policy: persisted and live; loosening is refused and changes nothing', async () => {
  await withAdmin({}, async (app, { state, config }) => {
    const loosen = await post(app, '/api/v1/admin/tool-policy', { reason: 'x', maxAutoTier: 2 });
    assert.is(loosen.statusCode, 400);
    assert.match(loosen.json().message, 'only tightens');
    assert.equal(JSON.parse(readFileSync(config, 'utf8')), ORIGINAL);

    const tighten = await post(app, '/api/v1/admin/tool-policy', { reason: 'prompt injection seen', maxAutoTier: 0 });
    assert.is(tighten.statusCode, 200);
    assert.equal(tighten.json().tool_policy, { maxAutoTier: 0, externalMaxTier: 0 });
    assert.equal(JSON.parse(readFileSync(config, 'utf8')).tools, { policy: { maxAutoTier: 0 } });
    assert.equal(state.settings.toolPolicy, { maxAutoTier: 0, externalMaxTier: 0 });
    const empty = await post(app, '/api/v1/admin/tool-policy', { reason: 'nothing' });
    assert.is(empty.statusCode, 400);
  });
});

test('refusals: no token 401, unknown channel 404, no config path 409 (nothing changed), missing reason 400', async () => {
  await withAdmin({}, async (app, { state }) => {
    assert.is((await post(app, '/api/v1/admin/channels/slack/disable', { reason: 'x' }, {})).statusCode, 401);
    assert.is((await post(app, '/api/v1/admin/channels/irc/disable', { reason: 'x' })).statusCode, 404);
    const noReason = await post(app, '/api/v1/admin/channels/slack/disable', {});
    assert.equal([noReason.statusCode, noReason.json().message], [400, "body must have required property 'reason'"]);
    assert.is(state.settings.channels.slack!.enabled, true);
  });
  await withAdmin({ configPath: false }, async (app, { state }) => {
    const response = await post(app, '/api/v1/admin/channels/slack/disable', { reason: 'x' });
    assert.is(response.statusCode, 409);
    assert.is(state.settings.channels.slack!.enabled, true);
  });
});

test('when the environment overrides config.json the change still applies live, with a warning', async () => {
  // the reload source ignores the file: like KAFCLAW_CHANNELS_SLACK_ENABLED=true in the environment
  await withAdmin({ reloadSettings: (s) => ({ ...s, channels: { slack: { ...s.channels.slack!, enabled: true } } }) }, async (app, { state }) => {
    const response = await post(app, '/api/v1/admin/channels/slack/disable', { reason: 'x' });
    assert.is(response.statusCode, 200);
    assert.match(response.json().warning, 'the environment sets a different value');
    assert.is(state.settings.channels.slack!.enabled, false);
  });
});

test('looseningProblem is pure and names the key', () => {
  assert.is(looseningProblem({ maxAutoTier: 1, externalMaxTier: 0 }, { maxAutoTier: 0 }), null);
  assert.match(looseningProblem({ maxAutoTier: 1, externalMaxTier: 0 }, { externalMaxTier: 1 })!, 'tools.policy.externalMaxTier is 0');
});

test.run();
