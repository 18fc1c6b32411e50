import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { FastifyInstance } from 'fastify';
import { build } from '../../runtime/app.js';
import type { Surface } from '../../runtime/http/security-headers.js';
import { TimelineStore } from '../../runtime/timeline/store.js';
import { strongToken, tempDir, testSettings } from './fixtures.js';

const token = strongToken();
const auth = { authorization: `Bearer ${token.reveal()}` };

async function withApp(
  options: { surface?: Surface; corsOrigins?: string[] },
  run: (app: FastifyInstance, timeline: TimelineStore) => Promise<void>,
): Promise<void> {
  const dir = tempDir();
  const settings = testSettings(dir.path, { tokens: [{ secret: token }], corsOrigins: options.corsOrigins ?? [] });
  const timeline = TimelineStore.open(settings.stateDir);
  const app = build(settings, { timeline, surface: options.surface ?? 'api' });
  try {
    await run(app, timeline);
  } finally {
    await app.close();
    timeline.close();
    dir.remove();
  }
}

test('GET /healthz is public and says only "ok"', async () => {
  await withApp({}, async (app) => {
    const response = await app.inject({ method: 'GET', url: '/healthz' });
    assert.is(response.statusCode, 200);
    assert.is(response.body, 'ok');
    assert.match(String(response.headers['content-type']), 'text/plain');
  });
});

test('GET /api/v1/status is public and minimal', async () => {
  await withApp({}, async (app) => {
    const response = await app.inject({ method: 'GET', url: '/api/v1/status' });
    assert.is(response.statusCode, 200);
    assert.equal(response.json(), { status: 'ok', auth_required: true });
  });
});

test('public routes write nothing to the timeline; HEAD /healthz works too', async () => {
  await withApp({}, async (app, timeline) => {
    await app.inject({ method: 'GET', url: '/healthz' });
    assert.is((await app.inject({ method: 'HEAD', url: '/healthz' })).statusCode, 200);
    assert.is(timeline.list({ limit: 10, offset: 0 }).length, 0);
  });
});

test('only GET and HEAD are public on the public paths', async () => {
  await withApp({}, async (app) => {
    for (const [i, method] of (['POST', 'PUT', 'DELETE', 'OPTIONS'] as const).entries()) {
      const remoteAddress = `10.0.0.${i + 1}`;
      assert.is((await app.inject({ method, url: '/healthz', remoteAddress })).statusCode, 401, method);
      assert.is((await app.inject({ method, url: '/api/v1/status', remoteAddress })).statusCode, 401, method);
    }
  });
});

test('an unknown route answers 404 only to an authenticated caller', async () => {
  await withApp({}, async (app) => {
    assert.is((await app.inject({ method: 'GET', url: '/api/v1/nothing' })).statusCode, 401);
    const response = await app.inject({ method: 'GET', url: '/api/v1/nothing', headers: auth });
    assert.is(response.statusCode, 404);
    assert.equal(response.json(), { error: 'Not Found', message: 'no such route' });
  });
});

test('query strings are validated against the route schema: 400 with a clear message', async () => {
  await withApp({}, async (app) => {
    const response = await app.inject({ method: 'GET', url: '/api/v1/auth/verify?debug=1', headers: auth });
    assert.is(response.statusCode, 400);
    assert.equal(response.json(), { error: 'Bad Request', message: 'querystring must NOT have additional properties (debug)' });
    assert.is((await app.inject({ method: 'GET', url: '/healthz?verbose=1' })).statusCode, 400);
  });
});

test('dashboard responses carry CSP, nosniff and frame denial, on errors too', async () => {
  await withApp({ surface: 'dashboard' }, async (app) => {
    for (const response of [
      await app.inject({ method: 'GET', url: '/healthz' }),
      await app.inject({ method: 'GET', url: '/api/v1/auth/verify' }),
      await app.inject({ method: 'GET', url: '/api/v1/auth/verify', headers: auth }),
    ]) {
      assert.match(String(response.headers['content-security-policy']), "frame-ancestors 'none'");
      assert.match(String(response.headers['content-security-policy']), "default-src 'self'");
      assert.is(response.headers['x-content-type-options'], 'nosniff');
      assert.is(response.headers['x-frame-options'], 'DENY');
      assert.is(response.headers['cache-control'], 'no-store');
    }
  });
});

test('API responses carry nosniff and no-store but no dashboard CSP', async () => {
  await withApp({ surface: 'api' }, async (app) => {
    const response = await app.inject({ method: 'GET', url: '/api/v1/status' });
    assert.is(response.headers['x-content-type-options'], 'nosniff');
    assert.is(response.headers['content-security-policy'], undefined);
  });
});

test('the configured limits reach the server', async () => {
  await withApp({}, async (app) => {
    assert.is(app.initialConfig.bodyLimit, 64 * 1024);
    assert.is(app.server.keepAliveTimeout, 0, "Node's per-request keep-alive timer is off: OpenConnections keeps that timeout");
    assert.is(app.server.requestTimeout, 30_000);
    assert.is(app.server.headersTimeout, 10_000);
  });
});

test.run();
