import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { FastifyInstance } from 'fastify';
import { build } from '../../../runtime/app.js';
import { DEFAULT_CHANNEL_POLICY, DEFAULT_TOOL_LIMITS } from '../../../runtime/settings.js';
import type { ChannelPolicy, GatewaySettings } from '../../../runtime/settings.js';
import { GatewayState } from '../../../runtime/state.js';
import { TimelineStore } from '../../../runtime/timeline/store.js';
import Database from 'better-sqlite3';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Secret } from '../../../lib/secrets/index.js';
import { LogCapture, strongToken, tempDir, testSettings } from '../fixtures.js';

const token = strongToken();
const auth = { authorization: `Bearer ${token.reveal()}` };
const URL = '/api/v1/channels/slack/inbound';

async function withApp(
  channels: Record<string, ChannelPolicy>,
  run: (app: FastifyInstance, timeline: TimelineStore, state: GatewayState) => Promise<void>,
  overrides: Partial<GatewaySettings> = {},
): Promise<void> {
  const dir = tempDir();
  const settings = { ...testSettings(dir.path, { tokens: [{ secret: token }], channels, limits: { bodyLimitBytes: 4096 } }), ...overrides };
  mkdirSync(settings.workspace, { recursive: true });
  const timeline = TimelineStore.open(settings.stateDir);
  const state = new GatewayState(settings);
  const app = build(settings, { timeline, state });
  try {
    await run(app, timeline, state);
  } finally {
    await app.close();
    timeline.close();
    dir.remove();
  }
}

const post = (app: FastifyInstance, payload: unknown, url = URL) => app.inject({ method: 'POST', url, headers: auth, payload: payload as object });

test('needs the gateway token before anything else', async () => {
  await withApp({ slack: DEFAULT_CHANNEL_POLICY }, async (app, timeline) => {
    const response = await app.inject({ method: 'POST', url: URL, payload: { sender_id: 'U1', text: 'hi' } });
    assert.is(response.statusCode, 401);
    assert.is(timeline.list({ limit: 10, offset: 0 })[0]!.classification, 'AUTH_FAILURE');
  });
});

test('default-deny: an unknown direct sender gets a pairing code, the message is recorded unauthorized', async () => {
  await withApp({ slack: DEFAULT_CHANNEL_POLICY }, async (app, timeline) => {
    const response = await post(app, { sender_id: 'slack:user:U1', chat_id: 'D1', text: 'hello' });
    assert.is(response.statusCode, 200);
    const body = response.json();
    assert.is(body.authorized, false);
    assert.is(body.reason, 'pairing_required');
    assert.match(body.pairing.code, /^[A-HJ-NP-Z2-9]{8}$/);
    assert.match(body.reply, `kafclaw pairing approve slack ${body.pairing.code}`);
    assert.is(body.session_key, undefined);
    const [event] = timeline.list({ limit: 1, offset: 0 });
    assert.is(event!.authorized, 0);
    assert.is(event!.sender_id, 'u1');
    assert.is(event!.classification, 'PAIRING_REQUESTED');
    assert.is(event!.content_text, 'hello');
    assert.is(event!.trace_id, body.trace_id);
    const pending = JSON.parse(timeline.getSetting('pairing_pending_v1')!);
    assert.equal(pending.map((p: { sender_id: string; code: string }) => [p.sender_id, p.code]), [['u1', body.pairing.code]]);
    const again = (await post(app, { sender_id: 'U1', text: 'hello?' })).json();
    assert.is(again.pairing.code, body.pairing.code, 'a retry does not mint a new code');
  });
});

test('after approval (allowFrom reloaded) the sender is authorized with a room session key', async () => {
  await withApp({ slack: DEFAULT_CHANNEL_POLICY }, async (app, timeline, state) => {
    await post(app, { sender_id: 'U1', text: 'let me in' });
    state.reload({ ...state.settings, channels: { slack: { ...DEFAULT_CHANNEL_POLICY, allowFrom: ['slack:user:u1'] } } });
    const body = (await post(app, { sender_id: 'U1', account_id: 'Acme', chat_id: 'D9', text: 'thanks' })).json();
    assert.equal([body.authorized, body.reason, body.session_key], [true, 'allowlist_match', 'slack:acme:D9']);
    const [event] = timeline.list({ limit: 1, offset: 0 });
    assert.is(event!.authorized, 1);
    assert.is(event!.classification, 'INBOUND');
    assert.is(JSON.parse(event!.metadata!).session_key, 'slack:acme:D9');
  });
});

test('allowlist policy denies without pairing; a disabled channel answers 403; an unknown one 404', async () => {
  await withApp(
    { slack: { ...DEFAULT_CHANNEL_POLICY, dmPolicy: 'allowlist' }, msteams: { ...DEFAULT_CHANNEL_POLICY, enabled: false } },
    async (app, timeline) => {
      const denied = (await post(app, { sender_id: 'U2', text: 'x' })).json();
      assert.equal([denied.authorized, denied.reason, denied.pairing], [false, 'allowlist_block', undefined]);
      assert.is(timeline.getSetting('pairing_pending_v1'), null);
      const disabled = await post(app, { sender_id: 'U2', text: 'x' }, '/api/v1/channels/teams/inbound');
      assert.is(disabled.statusCode, 403);
      assert.is(disabled.json().reason, 'channel_disabled');
      const unknown = await post(app, { sender_id: 'U2', text: 'x' }, '/api/v1/channels/irc/inbound');
      assert.is(unknown.statusCode, 404);
      assert.match(unknown.json().message, 'add channels.irc');
      assert.equal(timeline.list({ limit: 10, offset: 0 }).map((e) => e.authorized), [0, 0]);
    },
  );
});

test('the body is validated: 400 with the field named, 413 beyond the limit, 415 for non-JSON', async () => {
  await withApp({ slack: DEFAULT_CHANNEL_POLICY }, async (app, timeline) => {
    const cases: Array<[unknown, string]> = [
      [{ text: 'x' }, "body must have required property 'sender_id'"],
      [{ sender_id: '', text: 'x' }, 'body/sender_id must NOT have fewer than 1 characters'],
      [{ sender_id: 'u', text: 'x', admin: true }, 'body must NOT have additional properties (admin)'],
      [{ sender_id: 'u', text: 'x', history_limit: -1 }, 'body/history_limit must be >= 0'],
    ];
    for (const [payload, message] of cases) {
      const response = await post(app, payload);
      assert.is(response.statusCode, 400, JSON.stringify(payload));
      assert.is(response.json().message, message);
    }
    const channel = await post(app, { sender_id: 'u', text: 'x' }, '/api/v1/channels/Bad!/inbound');
    assert.is(channel.statusCode, 400);
    assert.match(channel.json().message, 'params/channel must match pattern');
    const large = await post(app, { sender_id: 'u', text: 'x'.repeat(5000) });
    assert.is(large.statusCode, 413);
    const broken = await app.inject({ method: 'POST', url: URL, headers: { ...auth, 'content-type': 'application/json' }, payload: '{"sender_id": "u", "text": secret' });
    assert.is(broken.statusCode, 400);
    assert.is(broken.json().message, 'the body is not valid JSON');
    const text = await app.inject({ method: 'POST', url: URL, headers: { ...auth, 'content-type': 'text/plain' }, payload: 'hi' });
    assert.is(text.statusCode, 415);
    assert.is(timeline.list({ limit: 10, offset: 0 }).length, 0, 'nothing invalid reached the timeline');
  });
});

test('an authorized message goes to the offline agent: reply, task with tokens, tool decisions', async () => {
  await withApp({ slack: { ...DEFAULT_CHANNEL_POLICY, allowFrom: ['u1'] } }, async (app, timeline) => {
    const response = await post(app, { sender_id: 'U1', chat_id: 'D1', text: 'please run\n/tool exec ls\n/tool list_dir .' });
    assert.is(response.statusCode, 200);
    const body = response.json();
    assert.match(body.reply, 'offline agent');
    assert.equal(body.tools.map((t: { tool: string; allowed: boolean }) => [t.tool, t.allowed]), [['exec', false], ['list_dir', true]]);
    const task = timeline.getTask(body.task_id)!;
    assert.equal([task.status, task.provider_id, task.channel, task.sender_id, task.trace_id], ['completed', 'offline', 'slack', 'u1', body.trace_id]);
    assert.ok(task.total_tokens > 0);
  });
});

test('unauthorized senders never reach the agent: no task is created', async () => {
  await withApp({ slack: DEFAULT_CHANNEL_POLICY }, async (app, timeline) => {
    await post(app, { sender_id: 'stranger', text: '/tool exec ls' });
    const db = new Database(timeline.file, { readonly: true });
    try {
      assert.is((db.prepare('SELECT COUNT(*) AS n FROM tasks').get() as { n: number }).n, 0);
      assert.is((db.prepare('SELECT COUNT(*) AS n FROM policy_decisions').get() as { n: number }).n, 0);
    } finally {
      db.close();
    }
  });
});

test('the OpenAI adapter (fake provider on loopback): tokens in tasks, key never in the timeline, tasks or logs; failures answer 502', async () => {
  const key = new Secret('sk-proj-' + 'Zq9'.repeat(16), 'env:KAFCLAW_OPENAI_API_KEY');
  let status = 200;
  const provider = createServer((req, res) => {
    let text = '';
    req.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    req.on('end', () => {
      // asks for exec first; once the (refused) result comes back as a tool message, answers
      const followUp = (JSON.parse(text) as { messages: Array<{ role: string }> }).messages.some((m) => m.role === 'tool');
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(status !== 200
        ? { error: { message: `bad key ${key.reveal()}`, type: 'server_error' } }
        : followUp
          ? { model: 'gpt-test', choices: [{ message: { content: 'done' } }], usage: { prompt_tokens: 150, completion_tokens: 10, total_tokens: 160 } }
          : { model: 'gpt-test', choices: [{ message: { content: null, tool_calls: [{ id: 'c1', function: { name: 'exec', arguments: '{"argv":["cat","/etc/shadow"]}' } }] } }], usage: { prompt_tokens: 100, completion_tokens: 20, total_tokens: 120 } }));
    });
  });
  await new Promise<void>((resolve) => provider.listen(0, '127.0.0.1', resolve));
  const dir = tempDir();
  const logs = new LogCapture();
  const settings = testSettings(dir.path, {
    tokens: [{ secret: token }],
    logLevel: 'info',
    channels: { slack: { ...DEFAULT_CHANNEL_POLICY, dmPolicy: 'open' } },
    agent: { kind: 'openai', baseUrl: `http://127.0.0.1:${(provider.address() as AddressInfo).port}/v1`, model: 'gpt-test', apiKey: key, timeoutMs: 5000 },
    modelPrices: { 'gpt-test': { promptUsdPerMTok: 1, completionUsdPerMTok: 2 } },
  });
  const timeline = TimelineStore.open(settings.stateDir);
  const app = build(settings, { timeline, logDestination: logs });
  try {
    const ok = await post(app, { sender_id: 'u9', text: 'hi' });
    assert.is(ok.statusCode, 200);
    const body = ok.json();
    assert.is(body.reply, 'done');
    assert.equal(body.tools.map((t: { reason: string }) => t.reason), ['tier_2_denied_for_external_message']);
    const task = timeline.getTask(body.task_id)!;
    assert.equal([task.prompt_tokens, task.completion_tokens, task.total_tokens, task.provider_id, task.model_name], [250, 30, 280, 'openai', 'gpt-test']);
    assert.ok(Math.abs(task.cost_usd! - (250 * 1 + 30 * 2) / 1e6) < 1e-12, `cost from the configured price, got ${task.cost_usd}`);
    status = 500;
    const failed = await post(app, { sender_id: 'u9', text: 'again' });
    assert.is(failed.statusCode, 502);
    assert.equal([failed.json().reason, failed.json().message], ['agent_failed', 'the provider answered 500 (server_error)']);
    assert.is(timeline.getTask(failed.json().task_id)!.status, 'failed');
    const db = new Database(timeline.file, { readonly: true });
    try {
      const dump = JSON.stringify([db.prepare('SELECT * FROM timeline').all(), db.prepare('SELECT * FROM tasks').all(), db.prepare('SELECT * FROM policy_decisions').all()]);
      assert.not.match(dump, key.reveal());
    } finally {
      db.close();
    }
    assert.ok(logs.lines.length > 0);
    assert.not.match(logs.text, key.reveal());
    assert.not.match(failed.body, key.reveal());
  } finally {
    await app.close();
    timeline.close();
    provider.closeAllConnections();
    provider.close();
    dir.remove();
  }
});

test('allowed tools run: the reply carries their results, each with its status; the tool limits and iteration bound come from the settings', async () => {
  await withApp(
    { slack: { ...DEFAULT_CHANNEL_POLICY, allowFrom: ['u1'] } },
    async (app, timeline, state) => {
      writeFileSync(join(state.settings.workspace, 'notes.txt'), 'the quick brown fox');
      const body = (await post(app, { sender_id: 'U1', text: '/tool read_file notes.txt\n/tool list_dir .\n/tool exec ls' })).json();
      assert.equal(body.tools.map((t: { tool: string; status: string }) => [t.tool, t.status]), [['read_file', 'ok'], ['list_dir', 'ok'], ['exec', 'denied']]);
      assert.match(body.reply, 'read_file ok: the q', 'the offline agent saw the (capped) file');
      assert.not.match(body.reply, 'brown fox', 'readMaxBytes from the settings applied');
      assert.match(body.reply, 'list_dir ok: notes.txt');
      const runs = timeline.list({ limit: 20, offset: 0 }).filter((e) => e.classification === 'TOOL');
      assert.is(runs.length, 2);
      state.reload({ ...state.settings, maxAgentIterations: 1 });
      const bounded = (await post(app, { sender_id: 'U1', text: '/tool list_dir .' })).json();
      assert.match(bounded.reply, '(stopped: the agent asked for more tools after 1 model calls');
    },
    { toolLimits: { ...DEFAULT_TOOL_LIMITS, readMaxBytes: 5 } },
  );
});

test('daily_token_limit: over it, the reply says so and the agent is not called; an unreadable budget answers 503', async () => {
  await withApp({ slack: { ...DEFAULT_CHANNEL_POLICY, allowFrom: ['u1'] } }, async (app, timeline) => {
    timeline.setSetting('daily_token_limit', '1');
    const first = await post(app, { sender_id: 'U1', text: 'hello there' });
    assert.equal([first.statusCode, first.json().ok], [200, true], 'nothing used yet today');
    const limited = await post(app, { sender_id: 'U1', text: 'and again' });
    assert.is(limited.statusCode, 200);
    const body = limited.json();
    assert.equal([body.ok, body.authorized, body.reason], [false, true, 'daily_token_limit_reached']);
    assert.match(body.reply, 'daily token limit has been reached');
    assert.match(body.message, 'the daily token limit (1) has been reached');
    assert.is(timeline.getTask(body.task_id)!.content_out, null, 'no answer was produced');
    assert.is(timeline.list({ limit: 1, offset: 0 })[0]!.classification, 'DAILY_TOKEN_LIMIT_REACHED');
    const other = new Database(timeline.file);
    other.exec('DROP TABLE settings');
    other.close();
    const broken = await post(app, { sender_id: 'U1', text: 'still there?' });
    assert.equal([broken.statusCode, broken.json().reason], [503, 'daily_token_limit_unavailable']);
    assert.match(broken.json().message, 'not sent to the model');
  });
});

test.run();
