import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { FastifyInstance } from 'fastify';
import { build } from '../../../runtime/app.js';
import type { GatewaySettings } from '../../../runtime/settings.js';
import { GatewayState } from '../../../runtime/state.js';
import { TimelineStore } from '../../../runtime/timeline/store.js';
import { LogCapture, strongToken, tempDir, testSettings } from '../fixtures.js';

const VERIFY = '/api/v1/auth/verify';

// ---------------------------------------------------------------------------------------------
// The attack table through inject: every case is its own assertion and must answer 401.
// ---------------------------------------------------------------------------------------------
const attacks = suite('attack table (inject)');
const token = strongToken('env:KAFCLAW_GATEWAY_AUTH_TOKEN');
const TOKEN = token.reveal();
const ctx = {} as { dir: ReturnType<typeof tempDir>; timeline: TimelineStore; app: FastifyInstance; logs: LogCapture };

attacks.before(async () => {
  ctx.dir = tempDir();
  const settings = testSettings(ctx.dir.path, { tokens: [{ secret: token }], logLevel: 'info', limits: { authFreeFailures: 1000 } });
  ctx.timeline = TimelineStore.open(settings.stateDir);
  ctx.logs = new LogCapture();
  ctx.app = build(settings, { timeline: ctx.timeline, logDestination: ctx.logs });
  await ctx.app.ready();
});

attacks.after(async () => {
  await ctx.app.close();
  ctx.timeline.close();
  ctx.dir.remove();
});

type Headers = Record<string, string | string[]>;
const cases: Array<[string, string, string, Headers]> = [
  ['no Authorization header', 'GET', VERIFY, {}],
  ['wrong scheme (Basic)', 'GET', VERIFY, { authorization: `Basic ${TOKEN}` }],
  ['bare token without a scheme', 'GET', VERIFY, { authorization: TOKEN }],
  ['empty bearer token', 'GET', VERIFY, { authorization: 'Bearer ' }],
  ['prefix of the token', 'GET', VERIFY, { authorization: `Bearer ${TOKEN.slice(0, 32)}` }],
  ['token minus its last character', 'GET', VERIFY, { authorization: `Bearer ${TOKEN.slice(0, -1)}` }],
  ['suffix of the token', 'GET', VERIFY, { authorization: `Bearer ${TOKEN.slice(1)}` }],
  ['token with a character appended', 'GET', VERIFY, { authorization: `Bearer ${TOKEN}0` }],
  ['token in upper case', 'GET', VERIFY, { authorization: `Bearer ${TOKEN.toUpperCase()}` }],
  ['wrong token before the right one in two Authorization headers', 'GET', VERIFY, { authorization: ['Bearer wrong', `Bearer ${TOKEN}`] }],
  ['right token before a wrong one in two Authorization headers', 'GET', VERIFY, { authorization: [`Bearer ${TOKEN}`, 'Bearer wrong'] }],
  ['huge Authorization header', 'GET', VERIFY, { authorization: `Bearer ${TOKEN}${'A'.repeat(8000)}` }],
  ['token in the query string', 'GET', `${VERIFY}?token=${TOKEN}`, {}],
  ['token in the query string under access_token', 'GET', `${VERIFY}?access_token=${TOKEN}`, {}],
  ['token in the query string next to a valid header', 'GET', `${VERIFY}?token=${TOKEN}`, { authorization: `Bearer ${TOKEN}` }],
  ['double slash //api/...', 'GET', `/${VERIFY}`, {}],
  ['percent-encoded path segment', 'GET', '/api/v1/%61uth/verify', {}],
  ['percent-encoded slashes', 'GET', '/api%2Fv1%2Fauth%2Fverify', {}],
  ['trailing slash', 'GET', `${VERIFY}/`, {}],
  ['HEAD on a protected route', 'HEAD', VERIFY, {}],
  ['OPTIONS on a protected route', 'OPTIONS', VERIFY, {}],
  ['POST to a protected path', 'POST', VERIFY, {}],
  ['unknown route (no route enumeration without a token)', 'GET', '/api/v1/secret-admin', {}],
];

for (const [name, method, url, headers] of cases) {
  attacks(`401: ${name}`, async () => {
    const response = await ctx.app.inject({ method: method as 'GET', url, headers });
    assert.is(response.statusCode, 401, `${method} ${url}`);
    assert.is(response.headers['www-authenticate'], 'Bearer realm="kafclaw"');
    assert.not.match(response.body, TOKEN.slice(0, 16));
  });
}

attacks('control: the right token alone is accepted', async () => {
  const response = await ctx.app.inject({ method: 'GET', url: VERIFY, headers: { authorization: `Bearer ${TOKEN}` } });
  assert.is(response.statusCode, 200);
  assert.equal(response.json(), { valid: true, auth_required: true });
});

attacks('every failure is one SECURITY/AUTH_FAILURE row for the address, with no token material', () => {
  const rows = ctx.timeline.list({ limit: 1000, offset: 0 }).filter((row) => row.classification === 'AUTH_FAILURE');
  assert.is(rows.length, cases.length);
  for (const row of rows) {
    assert.is(row.event_type, 'SECURITY');
    assert.is(row.sender_id, '127.0.0.1');
    assert.is(row.authorized, 0);
    const text = JSON.stringify(row);
    for (let i = 0; i + 8 <= TOKEN.length; i += 4) assert.not.ok(text.includes(TOKEN.slice(i, i + 8)), `token material in ${text}`);
  }
  const reasons = new Set(rows.map((row) => row.content_text));
  for (const reason of ['no Authorization header', 'more than one Authorization header', 'unknown token', 'empty bearer token']) {
    assert.ok(reasons.has(reason), reason);
  }
});

attacks('the token (or any long piece of it) never reaches the log', () => {
  const text = ctx.logs.text;
  assert.ok(text.includes('authentication failed'), 'the log was captured');
  for (let i = 0; i + 12 <= TOKEN.length; i += 4) assert.not.ok(text.includes(TOKEN.slice(i, i + 12)), `token piece at ${i}`);
});

attacks.run();

// ---------------------------------------------------------------------------------------------
// Lockout per address, recovery, rotation grace.
// ---------------------------------------------------------------------------------------------
const lockout = suite('lockout and rotation (inject)');

/** A clock the tests move by hand, so lockouts and expiries do not depend on machine load. */
const clock = { now: Date.parse('2026-11-25T02:00:00Z') };

async function withApp(
  limits: Parameters<typeof testSettings>[1],
  run: (app: FastifyInstance, timeline: TimelineStore, state: GatewayState) => Promise<void>,
): Promise<void> {
  const dir = tempDir();
  const settings = testSettings(dir.path, limits);
  const timeline = TimelineStore.open(settings.stateDir);
  const state = new GatewayState(settings);
  const app = build(settings, { timeline, state, now: () => clock.now });
  try {
    await run(app, timeline, state);
  } finally {
    await app.close();
    timeline.close();
    dir.remove();
  }
}

lockout('repeated failures back off, then 429 with Retry-After; other addresses and recovery unaffected', async () => {
  const secret = strongToken();
  const good = { authorization: `Bearer ${secret.reveal()}` };
  const bad = { authorization: 'Bearer wrong-token' };
  await withApp({ tokens: [{ secret }], limits: { authFreeFailures: 2, authBackoffBaseMs: 300 } }, async (app, timeline) => {
    const from = (remoteAddress: string, headers: Record<string, string>) => app.inject({ method: 'GET', url: VERIFY, headers, remoteAddress });
    assert.is((await from('10.0.0.9', bad)).statusCode, 401);
    assert.is((await from('10.0.0.9', bad)).statusCode, 401);
    assert.is((await from('10.0.0.9', bad)).statusCode, 401, 'the third failure starts the lockout');
    const locked = await from('10.0.0.9', good);
    assert.is(locked.statusCode, 429, 'even the right token waits while the address is locked out');
    assert.is(locked.headers['retry-after'], '1');
    assert.match(locked.json().message, 'retry after 1 s');
    assert.is((await from('10.0.0.10', good)).statusCode, 200, 'another address is not affected');
    clock.now += 299;
    assert.is((await from('10.0.0.9', good)).statusCode, 429, 'still locked 1 ms before the backoff ends');
    clock.now += 1;
    assert.is((await from('10.0.0.9', good)).statusCode, 200, 'after the backoff the right token works');
    assert.is((await from('10.0.0.9', bad)).statusCode, 401, 'and the count started over');
    const rows = timeline.list({ limit: 100, offset: 0, sender: '10.0.0.9' });
    assert.is(rows.length, 4, '429s are not failures of the token and are not recorded one by one');
    assert.is(JSON.parse(rows[1]!.metadata!).lockout_ms, 300);
  });
});

lockout('rotation grace: the old token works until it expires, the new one throughout', async () => {
  const old = strongToken();
  const current = strongToken();
  const soon = new Date(clock.now + 300);
  await withApp({ tokens: [{ secret: old, expiresAt: soon }, { secret: current }] }, async (app, timeline) => {
    const call = (secret: typeof old) => app.inject({ method: 'GET', url: VERIFY, headers: { authorization: `Bearer ${secret.reveal()}` } });
    assert.is((await call(old)).statusCode, 200);
    assert.is((await call(current)).statusCode, 200);
    clock.now += 300;
    assert.is((await call(old)).statusCode, 401);
    assert.is((await call(current)).statusCode, 200);
    assert.is(timeline.list({ limit: 1, offset: 0 })[0]!.content_text, 'expired token');
  });
});

lockout('with no token configured nothing authenticates (fail closed), public routes still answer', async () => {
  await withApp({}, async (app) => {
    assert.is((await app.inject({ method: 'GET', url: VERIFY, headers: { authorization: 'Bearer anything' } })).statusCode, 401);
    assert.is((await app.inject({ method: 'GET', url: VERIFY })).statusCode, 401);
    assert.is((await app.inject({ method: 'GET', url: '/healthz' })).statusCode, 200);
  });
});

lockout('a reload swaps the accepted tokens at once', async () => {
  const first = strongToken();
  const second = strongToken();
  await withApp({ tokens: [{ secret: first }] }, async (app, _timeline, state) => {
    const call = (secret: typeof first) => app.inject({ method: 'GET', url: VERIFY, headers: { authorization: `Bearer ${secret.reveal()}` } });
    assert.is((await call(first)).statusCode, 200);
    state.reload({ ...state.settings, tokens: [{ secret: second }] });
    assert.is((await call(first)).statusCode, 401);
    assert.is((await call(second)).statusCode, 200);
  });
});

lockout('a token with a character outside token68 is refused in every form, exact Bearer header included, as before the in-place check', async () => {
  const odd = `${strongToken().reveal()}!`;
  const secret = { reveal: () => odd } as ReturnType<typeof strongToken>;
  const plain = strongToken();
  await withApp({ tokens: [{ secret }, { secret: plain }], limits: { authFreeFailures: 100 } }, async (app, timeline) => {
    for (const authorization of [`Bearer ${secret.reveal()}`, `bearer ${secret.reveal()}`, `Bearer  ${secret.reveal()}`]) {
      assert.is((await app.inject({ method: 'GET', url: VERIFY, headers: { authorization } })).statusCode, 401, authorization.slice(0, 8));
    }
    const reasons = timeline.list({ limit: 10, offset: 0 }).map((row) => row.content_text);
    assert.equal(reasons, Array(3).fill('bearer token has characters outside token68'));
    assert.is((await app.inject({ method: 'GET', url: VERIFY, headers: { authorization: `Bearer ${plain.reveal()}` } })).statusCode, 200);
    assert.is((await app.inject({ method: 'GET', url: VERIFY, headers: { authorization: `bearer  ${plain.reveal()}` } })).statusCode, 200, 'other spellings take the general path');
  });
});

lockout.run();

// ---------------------------------------------------------------------------------------------
// gateway.trustedProxies: X-Forwarded-For names the client only when a trusted proxy sent it.
// ---------------------------------------------------------------------------------------------
const proxies = suite('trusted proxies and the backoff (inject)');

/** withApp, plus `gateway.trustedProxies`. */
async function withProxies(
  trustedProxies: string[],
  overrides: Parameters<typeof testSettings>[1],
  run: (app: FastifyInstance, timeline: TimelineStore) => Promise<void>,
): Promise<void> {
  const dir = tempDir();
  const settings: GatewaySettings = { ...testSettings(dir.path, overrides), trustedProxies };
  const timeline = TimelineStore.open(settings.stateDir);
  const app = build(settings, { timeline, state: new GatewayState(settings), now: () => clock.now });
  try {
    await run(app, timeline);
  } finally {
    await app.close();
    timeline.close();
    dir.remove();
  }
}

proxies('a spoofed X-Forwarded-For from an untrusted address does not escape the backoff', async () => {
  const secret = strongToken();
  const good = { authorization: `Bearer ${secret.reveal()}` };
  await withProxies(
    ['10.0.0.1'],
    { tokens: [{ secret }], limits: { authFreeFailures: 2, authBackoffBaseMs: 60_000 } },
    async (app, timeline) => {
      const from = (forwardedFor: string, headers: Record<string, string>) =>
        app.inject({ method: 'GET', url: VERIFY, headers: { ...headers, 'x-forwarded-for': forwardedFor }, remoteAddress: '10.0.0.66' });
      for (let i = 1; i <= 3; i++) assert.is((await from(`203.0.113.${i}`, { authorization: 'Bearer wrong' })).statusCode, 401);
      const locked = await from('203.0.113.200', good);
      assert.is(locked.statusCode, 429, 'a fresh X-Forwarded-For value does not buy a fresh address');
      const senders = new Set(timeline.list({ limit: 10, offset: 0 }).map((row) => row.sender_id));
      assert.equal([...senders], ['10.0.0.66'], 'AUTH_FAILURE names the socket peer, not the claimed client');
    },
  );
});

proxies('behind a trusted proxy the client from X-Forwarded-For is locked out, not the proxy or its other clients', async () => {
  const secret = strongToken();
  const good = { authorization: `Bearer ${secret.reveal()}` };
  await withProxies(
    ['10.0.0.0/24'],
    { tokens: [{ secret }], limits: { authFreeFailures: 1, authBackoffBaseMs: 60_000 } },
    async (app, timeline) => {
      const via = (client: string, headers: Record<string, string>) =>
        app.inject({ method: 'GET', url: VERIFY, headers: { ...headers, 'x-forwarded-for': `198.51.100.77, ${client}` }, remoteAddress: '10.0.0.1' });
      assert.is((await via('203.0.113.5', { authorization: 'Bearer wrong' })).statusCode, 401);
      assert.is((await via('203.0.113.5', { authorization: 'Bearer wrong' })).statusCode, 401);
      assert.is((await via('203.0.113.5', good)).statusCode, 429, 'the client behind the proxy is locked out');
      assert.is((await via('203.0.113.6', good)).statusCode, 200, 'another client of the same proxy is not');
      const direct = await app.inject({ method: 'GET', url: VERIFY, headers: good, remoteAddress: '10.0.0.1' });
      assert.is(direct.statusCode, 200, 'nor the proxy itself');
      const rows = timeline.list({ limit: 10, offset: 0 });
      assert.equal(rows.map((row) => row.sender_id), ['203.0.113.5', '203.0.113.5']);
    },
  );
});

proxies('a reload changes the trusted proxies at once, without a restart', async () => {
  const dir = tempDir();
  const secret = strongToken();
  const settings = testSettings(dir.path, { tokens: [{ secret }], limits: { authFreeFailures: 100 } });
  const timeline = TimelineStore.open(settings.stateDir);
  const state = new GatewayState(settings);
  const app = build(settings, { timeline, state, now: () => clock.now });
  const failFromProxy = () =>
    app.inject({ method: 'GET', url: VERIFY, headers: { authorization: 'Bearer wrong', 'x-forwarded-for': '203.0.113.9' }, remoteAddress: '10.0.0.1' });
  const lastSender = () => timeline.list({ limit: 1, offset: 0 })[0]?.sender_id;
  try {
    await failFromProxy();
    assert.is(lastSender(), '10.0.0.1', 'no proxy trusted: the peer is the client');
    assert.equal(state.reload({ ...state.settings, trustedProxies: ['10.0.0.0/24'] }).needsRestart, []);
    await failFromProxy();
    assert.is(lastSender(), '203.0.113.9', 'trusted after the reload: X-Forwarded-For names the client');
    state.reload({ ...state.settings, trustedProxies: [] });
    await failFromProxy();
    assert.is(lastSender(), '10.0.0.1', 'and untrusted again');
  } finally {
    await app.close();
    timeline.close();
    dir.remove();
  }
});

proxies.run();
