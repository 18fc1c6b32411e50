import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { FastifyInstance } from 'fastify';
import { build } from '../../../runtime/app.js';
import { TimelineStore } from '../../../runtime/timeline/store.js';
import { strongToken, tempDir, testSettings } from '../fixtures.js';

const token = strongToken();
const auth = { authorization: `Bearer ${token.reveal()}` };

async function withApp(run: (app: FastifyInstance, timeline: TimelineStore) => Promise<void>): Promise<void> {
  const dir = tempDir();
  const settings = testSettings(dir.path, { tokens: [{ secret: token }] });
  const timeline = TimelineStore.open(settings.stateDir);
  const app = build(settings, { timeline });
  try {
    await run(app, timeline);
  } finally {
    await app.close();
    timeline.close();
    dir.remove();
  }
}

test('needs the token', async () => {
  await withApp(async (app) => {
    assert.is((await app.inject({ method: 'GET', url: '/api/v1/timeline' })).statusCode, 401);
  });
});

test('lists newest first with limit, offset, sender and trace_id; authorized is a boolean', async () => {
  await withApp(async (app, timeline) => {
    timeline.record({ eventType: 'TEXT', senderId: 'alice', traceId: 't1', contentText: 'first', at: new Date('2026-11-25T01:00:00Z') });
    timeline.record({ eventType: 'TEXT', senderId: 'bob', traceId: 't2', contentText: 'second', authorized: false, at: new Date('2026-11-25T02:00:00Z') });
    const all = (await app.inject({ method: 'GET', url: '/api/v1/timeline', headers: auth })).json();
    assert.equal(all.map((e: { content_text: string }) => e.content_text), ['second', 'first']);
    assert.is(all[0].authorized, false);
    assert.is(all[1].authorized, true);
    const page = (await app.inject({ method: 'GET', url: '/api/v1/timeline?limit=1&offset=1', headers: auth })).json();
    assert.equal(page.map((e: { content_text: string }) => e.content_text), ['first']);
    const bob = (await app.inject({ method: 'GET', url: '/api/v1/timeline?sender=bob', headers: auth })).json();
    assert.equal(bob.map((e: { sender_id: string }) => e.sender_id), ['bob']);
    const trace = (await app.inject({ method: 'GET', url: '/api/v1/timeline?trace_id=t1', headers: auth })).json();
    assert.equal(trace.map((e: { trace_id: string }) => e.trace_id), ['t1']);
  });
});

test('bad query parameters are 400 with the parameter named', async () => {
  await withApp(async (app) => {
    for (const [query, message] of [
      ['limit=0', 'querystring/limit must be >= 1'],
      ['limit=501', 'querystring/limit must be <= 500'],
      ['limit=ten', 'querystring/limit must be integer'],
      ['offset=-1', 'querystring/offset must be >= 0'],
      ['sender=', 'querystring/sender must NOT have fewer than 1 characters'],
      ['order=asc', 'querystring must NOT have additional properties (order)'],
    ] as const) {
      const response = await app.inject({ method: 'GET', url: `/api/v1/timeline?${query}`, headers: auth });
      assert.is(response.statusCode, 400, query);
      assert.is(response.json().message, message, query);
    }
  });
});

test.run();
