import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { FastifyInstance } from 'fastify';
import { build } from '../../../runtime/app.js';
import { GatewayState } from '../../../runtime/state.js';
import { TimelineStore } from '../../../runtime/timeline/store.js';
import { strongToken, tempDir, testSettings } from '../fixtures.js';

const token = strongToken();
const auth = { authorization: `Bearer ${token.reveal()}` };

async function withApp(options: { corsOrigins?: string[] }, run: (app: FastifyInstance, state: GatewayState) => Promise<void>): Promise<void> {
  const dir = tempDir();
  const settings = testSettings(dir.path, { tokens: [{ secret: token }], corsOrigins: options.corsOrigins ?? [] });
  const timeline = TimelineStore.open(settings.stateDir);
  const state = new GatewayState(settings);
  const app = build(settings, { timeline, state });
  try {
    await run(app, state);
  } finally {
    await app.close();
    timeline.close();
    dir.remove();
  }
}

test('CORS is off by default: no Access-Control header, preflight is just an unauthenticated OPTIONS', async () => {
  await withApp({}, async (app) => {
    const origin = { origin: 'https://evil.example' };
    const get = await app.inject({ method: 'GET', url: '/api/v1/auth/verify', headers: { ...auth, ...origin } });
    assert.is(get.statusCode, 200);
    assert.is(get.headers['access-control-allow-origin'], undefined);
    const preflight = await app.inject({ method: 'OPTIONS', url: '/api/v1/auth/verify', headers: { ...origin, 'access-control-request-method': 'GET' } });
    assert.is(preflight.statusCode, 401);
    assert.is(preflight.headers['access-control-allow-origin'], undefined);
  });
});

test('CORS with an explicit origin list: only those origins, never a wildcard', async () => {
  await withApp({ corsOrigins: ['https://ops.example'] }, async (app) => {
    const preflight = await app.inject({
      method: 'OPTIONS', url: '/api/v1/auth/verify',
      headers: { origin: 'https://ops.example', 'access-control-request-method': 'GET' },
    });
    assert.is(preflight.statusCode, 204);
    assert.is(preflight.headers['access-control-allow-origin'], 'https://ops.example');
    assert.match(String(preflight.headers['access-control-allow-headers']), 'Authorization');
    assert.is(preflight.body, '');
    const get = await app.inject({ method: 'GET', url: '/api/v1/auth/verify', headers: { ...auth, origin: 'https://ops.example' } });
    assert.is(get.headers['access-control-allow-origin'], 'https://ops.example');
    const other = await app.inject({
      method: 'OPTIONS', url: '/api/v1/auth/verify',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'GET' },
    });
    assert.is(other.statusCode, 401);
    assert.is(other.headers['access-control-allow-origin'], undefined);
  });
});

test('an allowed origin gets its CORS headers on errors too (401, 404, a 400 from schema validation); another origin gets none', async () => {
  await withApp({ corsOrigins: ['https://ops.example'] }, async (app) => {
    const requests = [
      { status: 401, method: 'GET' as const, url: '/api/v1/auth/verify', headers: {} },
      { status: 404, method: 'GET' as const, url: '/api/v1/no-such-route', headers: auth },
      { status: 400, method: 'GET' as const, url: '/api/v1/timeline?limit=0', headers: auth },
    ];
    for (const { status, ...request } of requests) {
      const allowed = await app.inject({ ...request, headers: { ...request.headers, origin: 'https://ops.example' } });
      assert.is(allowed.statusCode, status, `${request.url}: ${allowed.body}`);
      if (status === 400) assert.match(allowed.body, 'querystring/limit must be >= 1', 'rejected by the route\'s schema');
      assert.is(allowed.headers['access-control-allow-origin'], 'https://ops.example', `${status}`);
      assert.is(allowed.headers.vary, 'Origin', `${status}`);
      const other = await app.inject({ ...request, headers: { ...request.headers, origin: 'https://evil.example' } });
      assert.is(other.statusCode, status, `${request.url}: ${other.body}`);
      assert.is(other.headers['access-control-allow-origin'], undefined, `${status}`);
      assert.is(other.headers.vary, undefined, `${status}`);
    }
  });
});

test('a reload can turn CORS on and off', async () => {
  await withApp({}, async (app, state) => {
    const request = { method: 'GET' as const, url: '/api/v1/status', headers: { origin: 'https://ops.example' } };
    assert.is((await app.inject(request)).headers['access-control-allow-origin'], undefined);
    state.reload({ ...state.settings, corsOrigins: ['https://ops.example'] });
    assert.is((await app.inject(request)).headers['access-control-allow-origin'], 'https://ops.example');
    state.reload({ ...state.settings, corsOrigins: [] });
    assert.is((await app.inject(request)).headers['access-control-allow-origin'], undefined);
  });
});

test.run();
