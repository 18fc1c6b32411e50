import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { FastifyInstance } from 'fastify';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { OfflineAgent } from '../../../runtime/agent/offline.js';
import { runAgentTurn } from '../../../runtime/agent/turn.js';
import { build } from '../../../runtime/app.js';
import type { GatewaySettings } from '../../../runtime/settings.js';
import { TimelineStore } from '../../../runtime/timeline/store.js';
import { strongToken, tempDir, testSettings } from '../fixtures.js';

const token = strongToken();
const auth = { authorization: `Bearer ${token.reveal()}` };

async function withApp(run: (app: FastifyInstance, timeline: TimelineStore, settings: GatewaySettings) => Promise<void>): Promise<void> {
  const dir = tempDir();
  const settings = testSettings(dir.path, { tokens: [{ secret: token }] });
  mkdirSync(settings.workspace, { recursive: true });
  const timeline = TimelineStore.open(settings.stateDir);
  const app = build(settings, { timeline });
  try {
    await run(app, timeline, settings);
  } finally {
    await app.close();
    timeline.close();
    dir.remove();
  }
}

/** An owner's message asking for exec, which the default policy (maxAutoTier 1) sends for approval. */
const ownerTurn = (timeline: TimelineStore, settings: GatewaySettings) =>
  runAgentTurn(
    { agent: new OfflineAgent(), timeline, toolPolicy: settings.toolPolicy, workspace: settings.workspace, approvalPollMs: 20 },
    { text: '/tool exec cat notes.txt', sender: 'owner', channel: 'cli', sessionKey: 'cli:default', messageType: 'internal', traceId: 'trace-9' },
  );

async function pendingOne(app: FastifyInstance): Promise<Record<string, unknown>> {
  for (let i = 0; i < 200; i++) {
    const list = (await app.inject({ method: 'GET', url: '/api/v1/approvals/pending', headers: auth })).json() as Array<Record<string, unknown>>;
    if (list.length > 0) return list[0]!;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('no approval request appeared');
}

test('both endpoints need the gateway token', async () => {
  await withApp(async (app) => {
    assert.is((await app.inject({ method: 'GET', url: '/api/v1/approvals/pending' })).statusCode, 401);
    assert.is((await app.inject({ method: 'POST', url: '/api/v1/approvals/0123456789abcdef', payload: { approved: true } })).statusCode, 401);
  });
});

test('an owner\'s exec waits in the pending list; approving it over HTTP runs it; a second answer is refused', async () => {
  await withApp(async (app, timeline, settings) => {
    writeFileSync(join(settings.workspace, 'notes.txt'), 'approved over http');
    const turn = ownerTurn(timeline, settings);
    const pending = await pendingOne(app);
    assert.equal(
      [pending.tool, pending.tier, pending.status, pending.sender, pending.channel, pending.trace_id, pending.arguments, pending.responded_at],
      ['exec', 2, 'pending', 'owner', 'cli', 'trace-9', '{"argv":["cat","notes.txt"]}', null],
    );
    const id = pending.approval_id as string;
    const answer = await app.inject({ method: 'POST', url: `/api/v1/approvals/${id}`, headers: auth, payload: { approved: true } });
    assert.is(answer.statusCode, 200);
    assert.equal(answer.json(), { ok: true, approval_id: id, status: 'approved' });
    const result = await turn;
    assert.ok(result.ok);
    if (!result.ok) return;
    assert.equal(result.tools.map((t) => [t.status, t.approval_id]), [['ok', id]]);
    assert.match(result.reply, 'exec ok: approved over http');
    assert.equal((await app.inject({ method: 'GET', url: '/api/v1/approvals/pending', headers: auth })).json(), []);
    const again = await app.inject({ method: 'POST', url: `/api/v1/approvals/${id}`, headers: auth, payload: { approved: false } });
    assert.equal([again.statusCode, again.json().message], [409, `approval request ${id} is already approved; nothing was changed`]);
    assert.is(timeline.getApproval(id)!.status, 'approved');
    const event = timeline.list({ limit: 50, offset: 0 }).find((e) => e.classification === 'APPROVAL_RESPONDED')!;
    assert.equal([event.event_type, event.sender_id, event.trace_id], ['SECURITY', '127.0.0.1', 'trace-9']);
  });
});

test('denying over HTTP refuses the call: it never runs', async () => {
  await withApp(async (app, timeline, settings) => {
    const turn = ownerTurn(timeline, settings);
    const id = (await pendingOne(app)).approval_id as string;
    const answer = await app.inject({ method: 'POST', url: `/api/v1/approvals/${id}`, headers: auth, payload: { approved: false } });
    assert.equal(answer.json().status, 'denied');
    const result = await turn;
    assert.ok(result.ok && result.tools[0]!.status === 'denied' && result.tools[0]!.reason === `approval_denied:${id}`);
    assert.is(timeline.list({ limit: 50, offset: 0 }).filter((e) => e.classification === 'TOOL').length, 0);
  });
});

test('out of time: a stale request is expired from the list and cannot be approved late', async () => {
  await withApp(async (app, timeline) => {
    timeline.setSetting('approval_timeout_seconds', '30');
    const stale = timeline.createApproval({ tool: 'exec', tier: 2, arguments: '{}', sender: 'owner', channel: 'cli', at: new Date(Date.now() - 31_000) });
    const fresh = timeline.createApproval({ tool: 'exec', tier: 2, arguments: '{}', sender: 'owner', channel: 'cli', at: new Date(Date.now() - 29_000) });
    const late = await app.inject({ method: 'POST', url: `/api/v1/approvals/${stale.approval_id}`, headers: auth, payload: { approved: true } });
    assert.equal([late.statusCode, late.json().message], [409, `approval request ${stale.approval_id} is timed out; nothing was changed`]);
    assert.is(timeline.getApproval(stale.approval_id)!.status, 'timeout');
    const listed = (await app.inject({ method: 'GET', url: '/api/v1/approvals/pending', headers: auth })).json() as Array<{ approval_id: string }>;
    assert.equal(listed.map((r) => r.approval_id), [fresh.approval_id]);
    const old = timeline.createApproval({ tool: 'exec', tier: 2, arguments: '{}', sender: 'owner', channel: 'cli', at: new Date(Date.now() - 60_000) });
    await app.inject({ method: 'GET', url: '/api/v1/approvals/pending', headers: auth });
    assert.is(timeline.getApproval(old.approval_id)!.status, 'timeout', 'listing expires what is out of time');
  });
});

test('input is validated: 400 for a bad body or id, 404 for an unknown request', async () => {
  await withApp(async (app) => {
    const post = (url: string, payload: unknown) => app.inject({ method: 'POST', url, headers: auth, payload: payload as object });
    const cases: Array<[string, unknown, string]> = [
      ['/api/v1/approvals/0123456789abcdef', {}, "body must have required property 'approved'"],
      ['/api/v1/approvals/0123456789abcdef', { approved: true, also: 1 }, 'body must NOT have additional properties (also)'],
      ['/api/v1/approvals/0123456789abcdef', { approved: 'maybe' }, 'body/approved must be boolean'],
      ['/api/v1/approvals/not%20an%20id', { approved: true }, 'params/id must match pattern "^[A-Za-z0-9_-]{1,64}$"'],
    ];
    for (const [url, payload, message] of cases) {
      const response = await post(url, payload);
      assert.equal([response.statusCode, response.json().message], [400, message], JSON.stringify(payload));
    }
    const unknown = await post('/api/v1/approvals/0123456789abcdef', { approved: true });
    assert.is(unknown.statusCode, 404);
    assert.match(unknown.json().message, 'no approval request 0123456789abcdef');
    const limit = await app.inject({ method: 'GET', url: '/api/v1/approvals/pending?limit=0', headers: auth });
    assert.is(limit.statusCode, 400);
  });
});

test.run();
