import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { FastifyInstance } from 'fastify';
import { mkdirSync } from 'node:fs';
import { Secret } from '../../../lib/secrets/index.js';
import { build } from '../../../runtime/app.js';
import { verifyChannelToken } from '../../../runtime/auth/channel-token.js';
import type { ChannelTokens } from '../../../runtime/auth/channel-token.js';
import { DEFAULT_CHANNEL_POLICY } from '../../../runtime/settings.js';
import type { GatewaySettings } from '../../../runtime/settings.js';
import { GatewayState } from '../../../runtime/state.js';
import { TimelineStore } from '../../../runtime/timeline/store.js';
import { LogCapture, strongToken, tempDir, testSettings } from '../fixtures.js';

const SLACK = new Secret('slack-inbound-4f1c9e2a7b3d8c6e', 'env:KAFCLAW_CHANNELS_SLACK_SLACK_INBOUND_TOKEN');
const OPS = new Secret('slack-ops-account-9a8b7c6d5e4f3a2b', 'file:channels.slack.accounts[ops].inboundToken');
const TOKENS: ChannelTokens = {
  slack: { token: SLACK, accounts: { ops: OPS } },
  msteams: { token: null, accounts: {} },
};
const MAX = 1024;

// ---------------------------------------------------------------------------------------------
const verdicts = suite('verifyChannelToken (pure)');

verdicts('the channel token, or an account its own, is accepted', () => {
  assert.equal(verifyChannelToken(TOKENS, 'slack', undefined, SLACK.reveal(), MAX), { ok: true });
  assert.equal(verifyChannelToken(TOKENS, 'slack', 'ops', OPS.reveal(), MAX), { ok: true });
});

verdicts('an unknown or empty account id falls back to the channel token, as KafClaw does', () => {
  assert.equal(verifyChannelToken(TOKENS, 'slack', 'nobody', SLACK.reveal(), MAX), { ok: true });
  assert.equal(verifyChannelToken(TOKENS, 'slack', '', SLACK.reveal(), MAX), { ok: true });
  assert.is(verifyChannelToken(TOKENS, 'slack', 'nobody', OPS.reveal(), MAX).ok, false, "another account's token is not the channel's");
});

verdicts("an account with its own token does not accept the channel's", () => {
  const verdict = verifyChannelToken(TOKENS, 'slack', 'ops', SLACK.reveal(), MAX);
  assert.equal(verdict, { ok: false, status: 401, reason: 'wrong slack channel token' });
});

verdicts('missing, repeated, oversized, prefix, suffix and case-changed tokens are 401 with a reason', () => {
  const token = SLACK.reveal();
  const cases: Array<[string | string[] | undefined, string]> = [
    [undefined, 'no X-Channel-Token header'],
    ['', 'no X-Channel-Token header'],
    [[token, token], 'more than one X-Channel-Token header'],
    ['x'.repeat(MAX + 1), `X-Channel-Token longer than ${MAX} bytes`],
    [token.slice(0, -1), 'wrong slack channel token'],
    [token.slice(1), 'wrong slack channel token'],
    [`${token} `, 'wrong slack channel token'],
    [token.toUpperCase(), 'wrong slack channel token'],
  ];
  for (const [presented, reason] of cases) {
    assert.equal(verifyChannelToken(TOKENS, 'slack', undefined, presented, MAX), { ok: false, status: 401, reason }, String(presented).slice(0, 20));
  }
});

verdicts('no token configured refuses everyone (403) and says what to set; unlike KafClaw, nobody is let in', () => {
  for (const presented of [undefined, '', 'anything']) {
    const verdict = verifyChannelToken(TOKENS, 'msteams', undefined, presented, MAX);
    assert.is(verdict.ok, false);
    if (verdict.ok || verdict.status !== 403) throw new Error('expected 403');
    assert.match(verdict.message, 'channels.msteams.inboundToken is not set');
    assert.match(verdict.message, 'KAFCLAW_CHANNELS_MSTEAMS_MSTEAMS_INBOUND_TOKEN');
  }
  const unlisted = verifyChannelToken(TOKENS, 'whatsapp', undefined, 'x', MAX);
  assert.is(!unlisted.ok && unlisted.status, 403, 'a channel with no entry at all');
  const emptySecret = verifyChannelToken({ slack: { token: new Secret('', 'default'), accounts: {} } }, 'slack', undefined, '', MAX);
  assert.is(!emptySecret.ok && emptySecret.status, 403, 'an empty secret counts as unset');
});

verdicts.run();

// ---------------------------------------------------------------------------------------------
const route = suite('X-Channel-Token on POST /api/v1/channels/:channel/inbound');
const bearer = strongToken();
const AUTH = { authorization: `Bearer ${bearer.reveal()}` };
const URL = '/api/v1/channels/slack/inbound';

async function withApp(
  channelTokens: ChannelTokens | undefined,
  run: (app: FastifyInstance, timeline: TimelineStore, logs: LogCapture) => Promise<void>,
): Promise<void> {
  const dir = tempDir();
  const settings = testSettings(dir.path, {
    tokens: [{ secret: bearer }],
    logLevel: 'info',
    channels: { slack: { ...DEFAULT_CHANNEL_POLICY, dmPolicy: 'open' }, msteams: { ...DEFAULT_CHANNEL_POLICY, dmPolicy: 'open' } },
    limits: { authFreeFailures: 2, authBackoffBaseMs: 60_000 },
    ...(channelTokens ? { channelTokens } : {}),
  });
  mkdirSync(settings.workspace, { recursive: true });
  const timeline = TimelineStore.open(settings.stateDir);
  const logs = new LogCapture();
  const app = build(settings, { timeline, state: new GatewayState(settings), logDestination: logs });
  try {
    await run(app, timeline, logs);
  } finally {
    await app.close();
    timeline.close();
    dir.remove();
  }
}

function post(app: FastifyInstance, headers: Record<string, string>, payload: object = { sender_id: 'U1', text: 'hello' }, url = URL, remoteAddress = '127.0.0.1') {
  return app.inject({ method: 'POST', url, headers: { ...AUTH, ...headers }, payload, remoteAddress });
}

route('the right channel token (with the gateway token) reaches the route; the account picks its own token', async () => {
  await withApp(TOKENS, async (app, timeline) => {
    const ok = await post(app, { 'x-channel-token': SLACK.reveal() });
    assert.is(ok.statusCode, 200, ok.body);
    assert.is(ok.json().authorized, true);
    const ops = await post(app, { 'x-channel-token': OPS.reveal() }, { account_id: 'ops', sender_id: 'U1', text: 'from ops' });
    assert.is(ops.statusCode, 200, ops.body);
    assert.equal(timeline.list({ limit: 10, offset: 0 }).map((e) => e.classification), ['INBOUND', 'INBOUND']);
  });
});

route('the gateway token is still checked first: a channel token alone is 401 from the bearer hook', async () => {
  await withApp(TOKENS, async (app) => {
    const response = await app.inject({ method: 'POST', url: URL, headers: { 'x-channel-token': SLACK.reveal() }, payload: { sender_id: 'U1', text: 'x' } });
    assert.is(response.statusCode, 401);
    assert.is(response.headers['www-authenticate'], 'Bearer realm="kafclaw"');
  });
});

route('a wrong or missing channel token is 401, recorded as AUTH_FAILURE, counts toward the backoff; the message is never stored', async () => {
  await withApp(TOKENS, async (app, timeline, logs) => {
    const wrong = await post(app, { 'x-channel-token': `${SLACK.reveal()}x` }, undefined, undefined, '10.1.1.1');
    assert.is(wrong.statusCode, 401);
    assert.match(wrong.json().message, 'X-Channel-Token');
    const missing = await post(app, {}, undefined, undefined, '10.1.1.1');
    assert.is(missing.statusCode, 401);
    assert.is((await post(app, {}, undefined, undefined, '10.1.1.1')).statusCode, 401, 'the third failure starts the lockout');
    const locked = await post(app, { 'x-channel-token': SLACK.reveal() }, undefined, undefined, '10.1.1.1');
    assert.is(locked.statusCode, 429, 'even both right tokens wait out the lockout');
    assert.is((await post(app, { 'x-channel-token': SLACK.reveal() }, undefined, undefined, '10.1.1.2')).statusCode, 200, 'other addresses are not affected');
    const failures = timeline.list({ limit: 10, offset: 0, sender: '10.1.1.1' });
    assert.equal(failures.map((e) => e.content_text).reverse(), ['wrong slack channel token', 'no X-Channel-Token header', 'no X-Channel-Token header']);
    assert.ok(failures.every((e) => e.classification === 'AUTH_FAILURE' && e.event_type === 'SECURITY'));
    assert.is(JSON.parse(failures[0]!.metadata!).route, '/api/v1/channels/:channel/inbound');
    assert.not.ok(timeline.list({ limit: 50, offset: 0 }).some((e) => e.sender_id === 'u1' && e.authorized === 0), 'no message row for refused calls');
    assert.not.ok(logs.text.includes(SLACK.reveal()), 'the channel token is not logged');
  });
});

route('an enabled channel without an inboundToken answers 403 and says what to set; nothing reaches the timeline', async () => {
  await withApp(TOKENS, async (app, timeline) => {
    for (const url of ['/api/v1/channels/msteams/inbound', '/api/v1/channels/teams/inbound']) {
      const response = await post(app, { 'x-channel-token': 'guess' }, undefined, url);
      assert.is(response.statusCode, 403, url);
      assert.equal(response.json(), {
        error: 'Forbidden',
        message:
          'channels.msteams.inboundToken is not set: this gateway refuses msteams messages until it is; ' +
          'set it (env KAFCLAW_CHANNELS_MSTEAMS_MSTEAMS_INBOUND_TOKEN; the bridge sends KAFCLAW_MSTEAMS_INBOUND_TOKEN) ' +
          'to the token the bridge sends in X-Channel-Token',
      });
    }
    assert.is(timeline.list({ limit: 10, offset: 0 }).length, 0, 'a configuration problem is not a client failure, and no message is stored');
  });
});

route('an unconfigured channel still gets the route 404; settings without channel tokens (no config behind them) skip the check', async () => {
  await withApp(TOKENS, async (app) => {
    const unknown = await post(app, {}, undefined, '/api/v1/channels/irc/inbound');
    assert.is(unknown.statusCode, 404);
    assert.match(unknown.json().message, 'add channels.irc');
  });
  await withApp(undefined, async (app) => {
    assert.is((await post(app, {})).statusCode, 200);
  });
});

route('a reload replaces the channel tokens at once', async () => {
  const dir = tempDir();
  const base = testSettings(dir.path, { tokens: [{ secret: bearer }], channels: { slack: { ...DEFAULT_CHANNEL_POLICY, dmPolicy: 'open' } } });
  const settings: GatewaySettings = { ...base, channelTokens: TOKENS };
  mkdirSync(settings.workspace, { recursive: true });
  const timeline = TimelineStore.open(settings.stateDir);
  const state = new GatewayState(settings);
  const app = build(settings, { timeline, state });
  try {
    assert.is((await post(app, { 'x-channel-token': SLACK.reveal() })).statusCode, 200);
    const rotated = new Secret('slack-inbound-rotated-0a1b2c3d4e5f', 'env:SLACK_INBOUND_TOKEN');
    state.reload({ ...state.settings, channelTokens: { slack: { token: rotated, accounts: {} } } });
    assert.is((await post(app, { 'x-channel-token': SLACK.reveal() })).statusCode, 401);
    assert.is((await post(app, { 'x-channel-token': rotated.reveal() })).statusCode, 200);
  } finally {
    await app.close();
    timeline.close();
    dir.remove();
  }
});

route.run();
