import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { build } from '../../../runtime/app.js';
import { GatewayMetrics } from '../../../runtime/metrics.js';
import { DEFAULT_CHANNEL_POLICY } from '../../../runtime/settings.js';
import { TimelineStore } from '../../../runtime/timeline/store.js';
import { strongToken, tempDir, testSettings } from '../fixtures.js';

test('/metrics needs the token and counts failures by fixed reason, with no token material anywhere', async () => {
  const dir = tempDir();
  const token = strongToken();
  const TOKEN = token.reveal();
  const settings = testSettings(dir.path, { tokens: [{ secret: token }], limits: { authFreeFailures: 2, authBackoffBaseMs: 60_000 } });
  const timeline = TimelineStore.open(settings.stateDir);
  const metrics = new GatewayMetrics();
  const app = build(settings, { timeline, metrics, surface: 'dashboard' });
  try {
    assert.is((await app.inject({ method: 'GET', url: '/metrics' })).statusCode, 401);
    await app.inject({ method: 'GET', url: `/api/v1/timeline?token=${TOKEN}` });
    await app.inject({ method: 'GET', url: `/api/v1/${TOKEN}`, headers: { authorization: `Bearer ${TOKEN.slice(0, 40)}` } });
    const locked = await app.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${TOKEN}` } });
    assert.is(locked.statusCode, 429, 'the third failure locked the address out, even for the right token');

    const scrape = await app.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${TOKEN}` }, remoteAddress: '10.1.1.1' });
    assert.is(scrape.statusCode, 200);
    assert.match(String(scrape.headers['content-type']), 'text/plain');
    const text = scrape.body;
    assert.match(text, 'kafclaw_gateway_auth_failures_total{listener="dashboard",reason="missing"} 1');
    assert.match(text, 'kafclaw_gateway_auth_failures_total{listener="dashboard",reason="query"} 1');
    assert.match(text, 'kafclaw_gateway_auth_failures_total{listener="dashboard",reason="unknown"} 1');
    assert.match(text, 'kafclaw_gateway_auth_rate_limited_total{listener="dashboard"} 1');
    assert.match(text, 'kafclaw_gateway_http_requests_total{listener="dashboard",method="GET",route="(no route)",status="4xx"}');
    assert.match(text, 'kafclaw_gateway_process_cpu_seconds_total');
    assert.match(text, 'kafclaw_gateway_security_signal_alert{signal="auth-failures"} 0', 'three failures stay under the default threshold');
    assert.match(text, 'kafclaw_gateway_security_signal_alert{signal="unknown-senders"} 0');
    for (let i = 0; i + 8 <= TOKEN.length; i += 4) assert.not.ok(text.includes(TOKEN.slice(i, i + 8)), `token piece at ${i}`);
  } finally {
    await app.close();
    timeline.close();
    dir.remove();
  }
});

/** Every `kafclaw_gateway_http_requests_total` series of a scrape, as `method route status` → count. */
function requestCounts(text: string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const match of text.matchAll(/^kafclaw_gateway_http_requests_total\{listener="api",method="([^"]+)",route="([^"]+)",status="([^"]+)"\} (\d+)$/gm)) {
    counts[`${match[1]} ${match[2]} ${match[3]}`] = Number(match[4]);
  }
  return counts;
}

test('/metrics counts each answered request exactly once: 200, HEAD, 404, 401, 429 and a route that throws (500)', async () => {
  const dir = tempDir();
  const token = strongToken();
  const auth = { authorization: `Bearer ${token.reveal()}` };
  const settings = testSettings(dir.path, { tokens: [{ secret: token }], limits: { authFreeFailures: 0, authBackoffBaseMs: 60_000 } });
  const timeline = TimelineStore.open(settings.stateDir);
  const app = build(settings, { timeline, metrics: new GatewayMetrics({ defaultMetrics: false }), surface: 'api' });
  try {
    const locked = { remoteAddress: '10.2.2.2' };
    const answers = [
      await app.inject({ method: 'GET', url: '/healthz' }),
      await app.inject({ method: 'HEAD', url: '/healthz' }),
      await app.inject({ method: 'GET', url: '/api/v1/auth/verify', headers: auth }),
      await app.inject({ method: 'GET', url: '/api/v1/no-such-route', headers: auth }),
      await app.inject({ method: 'GET', url: '/api/v1/auth/verify', ...locked }),
      await app.inject({ method: 'GET', url: '/api/v1/auth/verify', headers: auth, ...locked }),
    ];
    timeline.close();
    answers.push(await app.inject({ method: 'GET', url: '/api/v1/timeline', headers: auth }));
    assert.equal(answers.map((a) => a.statusCode), [200, 200, 200, 404, 401, 429, 500]);

    const counts = requestCounts((await app.inject({ method: 'GET', url: '/metrics', headers: auth })).body);
    assert.equal(counts, {
      'GET /healthz 2xx': 1,
      'HEAD /healthz 2xx': 1,
      'GET /api/v1/auth/verify 2xx': 1,
      'GET (no route) 4xx': 1,
      'GET /api/v1/auth/verify 4xx': 2,
      'GET /api/v1/timeline 5xx': 1,
    }, 'the scrape itself is counted once it is answered, so not in its own text');

    const again = requestCounts((await app.inject({ method: 'GET', url: '/metrics', headers: auth })).body);
    assert.is(again['GET /metrics 2xx'], 1, 'the first scrape, counted once');
    assert.is(again['GET /healthz 2xx'], 1, 'a second scrape adds nothing to what was already counted');
  } finally {
    await app.close();
    timeline.close();
    dir.remove();
  }
});

test('/metrics counts inbound messages, agent turns, tokens and tool decisions', async () => {
  const dir = tempDir();
  const token = strongToken();
  const auth = { authorization: `Bearer ${token.reveal()}` };
  const settings = testSettings(dir.path, { tokens: [{ secret: token }], channels: { slack: { ...DEFAULT_CHANNEL_POLICY, allowFrom: ['owner'] } } });
  const timeline = TimelineStore.open(settings.stateDir);
  const app = build(settings, { timeline, metrics: new GatewayMetrics({ defaultMetrics: false }) });
  try {
    const send = (sender: string, text: string) => app.inject({ method: 'POST', url: '/api/v1/channels/slack/inbound', headers: auth, payload: { sender_id: sender, text } });
    await send('owner', 'hello\n/tool exec ls');
    await send('stranger', 'hello');
    const text = (await app.inject({ method: 'GET', url: '/metrics', headers: auth })).body;
    assert.match(text, 'kafclaw_gateway_inbound_messages_total{channel="slack",authorized="true"} 1');
    assert.match(text, 'kafclaw_gateway_inbound_messages_total{channel="slack",authorized="false"} 1');
    assert.match(text, 'kafclaw_gateway_agent_turns_total{provider="offline",status="completed"} 1');
    assert.match(text, /kafclaw_gateway_agent_tokens_total\{provider="offline",kind="completion"\} [1-9]/);
    assert.match(text, 'kafclaw_gateway_tool_decisions_total{tier="2",allowed="false"} 1');
  } finally {
    await app.close();
    timeline.close();
    dir.remove();
  }
});

test.run();
