import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync } from 'node:fs';
import { build } from '../../../runtime/app.js';
import { DEFAULT_CHANNEL_POLICY } from '../../../runtime/settings.js';
import { TimelineStore } from '../../../runtime/timeline/store.js';
import { strongToken, tempDir, testSettings } from '../fixtures.js';

const token = strongToken();
const auth = { authorization: `Bearer ${token.reveal()}` };

test('GET /api/v1/security/signals: authenticated, four signals that follow what the gateway recorded', async () => {
  const dir = tempDir();
  const settings = testSettings(dir.path, {
    tokens: [{ secret: token }],
    channels: { slack: { ...DEFAULT_CHANNEL_POLICY, allowFrom: ['owner'] } },
    monitor: { tokenSpikeMultiple: 3, windowHours: 24, unknownSenderEvents: 2, deniedHighTierAttempts: 1, authFailuresPerAddress: 3 },
  });
  mkdirSync(settings.workspace, { recursive: true });
  const timeline = TimelineStore.open(settings.stateDir);
  const app = build(settings, { timeline });
  try {
    const anonymous = await app.inject({ method: 'GET', url: '/api/v1/security/signals' });
    assert.is(anonymous.statusCode, 401);

    const quiet = await app.inject({ method: 'GET', url: '/api/v1/security/signals', headers: auth });
    assert.is(quiet.statusCode, 200);
    const before = quiet.json();
    assert.is(before.window_hours, 24);
    assert.equal(before.signals.map((s: { id: string }) => s.id), ['token-usage-spike', 'unknown-senders', 'high-risk-tool-attempts', 'auth-failures']);
    assert.equal(before.signals.map((s: { verdict: string }) => s.verdict), ['no-baseline', 'ok', 'ok', 'ok'], 'one 401 so far is not an alert');

    const inbound = (sender: string, text: string) =>
      app.inject({ method: 'POST', url: '/api/v1/channels/slack/inbound', headers: auth, payload: { sender_id: sender, text } });
    for (const sender of ['s1', 's2', 's3']) await inbound(sender, 'hello?');
    await inbound('owner', '/tool exec ls');
    await inbound('owner', '/tool exec cat x');
    for (let i = 0; i < 3; i++) await app.inject({ method: 'GET', url: '/api/v1/timeline', headers: { authorization: 'Bearer wrong-token' } });

    const after = (await app.inject({ method: 'GET', url: '/api/v1/security/signals', headers: auth })).json();
    const byId = Object.fromEntries(after.signals.map((s: { id: string }) => [s.id, s]));
    assert.equal([byId['unknown-senders'].observed, byId['unknown-senders'].threshold, byId['unknown-senders'].verdict], [3, 2, 'alert']);
    assert.equal([byId['high-risk-tool-attempts'].observed, byId['high-risk-tool-attempts'].verdict], [2, 'alert']);
    assert.equal([byId['auth-failures'].observed, byId['auth-failures'].verdict, byId['auth-failures'].subject], [4, 'alert', '127.0.0.1']);
    assert.ok(byId['token-usage-spike'].observed > 0, 'the offline agent recorded token use today');
  } finally {
    await app.close();
    timeline.close();
    dir.remove();
  }
});

test.run();
