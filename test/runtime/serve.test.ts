import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import Database from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect, createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Secret } from '../../lib/secrets/index.js';
import { DEFAULT_CHANNEL_POLICY } from '../../runtime/settings.js';
import { GatewayStartupError, startGateway } from '../../runtime/serve.js';
import type { GatewayHandle } from '../../runtime/serve.js';
import { LogCapture, rawRequest, requestText, strongToken, tempDir, testSettings } from './fixtures.js';
import { selfSigned } from './http/tls-fixture.js';

const VERIFY = '/api/v1/auth/verify';

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  reused: boolean;
}

function get(port: number, path: string, headers: Record<string, string> = {}, agent?: Agent): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, headers, agent: agent ?? false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body, reused: req.reusedSocket }));
    });
    req.on('error', reject);
    req.end();
  });
}

// ---------------------------------------------------------------------------------------------
const startup = suite('startup');

startup('beyond loopback without a token: refused with exit code 2 and what to set, nothing opened', async () => {
  const dir = tempDir();
  try {
    const settings = testSettings(dir.path, { host: '0.0.0.0' });
    const error = await startGateway(settings).then(() => null, (e: unknown) => e);
    assert.instance(error, GatewayStartupError);
    assert.is((error as GatewayStartupError).exitCode, 2);
    assert.match((error as Error).message, 'KAFCLAW_GATEWAY_AUTH_TOKEN');
    assert.not.ok(existsSync(settings.stateDir), 'the state directory is not even created');
  } finally {
    dir.remove();
  }
});

startup('a weak token is refused even on loopback', async () => {
  const dir = tempDir();
  try {
    const weak = new Secret('Hx7pQ2rT9vLm', 'env:KAFCLAW_GATEWAY_AUTH_TOKEN');
    const error = await startGateway(testSettings(dir.path, { tokens: [{ secret: weak }] })).then(() => null, (e: unknown) => e);
    assert.instance(error, GatewayStartupError);
    assert.match((error as Error).message, 'env:KAFCLAW_GATEWAY_AUTH_TOKEN carries about');
    assert.not.match((error as Error).message, weak.reveal());
  } finally {
    dir.remove();
  }
});

startup('a busy port is refused naming the key, and nothing is left open', async () => {
  const dir = tempDir();
  const blocker = createServer();
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  try {
    const busy = (blocker.address() as AddressInfo).port;
    const settings = testSettings(dir.path, { dashboardPort: busy, tokens: [{ secret: strongToken() }] });
    const error = await startGateway(settings).then(() => null, (e: unknown) => e);
    assert.instance(error, GatewayStartupError);
    assert.match((error as Error).message, `127.0.0.1:${busy} is already in use`);
    assert.match((error as Error).message, 'gateway.dashboardPort');
    const wal = join(settings.stateDir, 'timeline.db-wal');
    assert.ok(!existsSync(wal) || statSync(wal).size === 0, 'the timeline was closed (WAL checkpointed)');
  } finally {
    blocker.close();
    dir.remove();
  }
});

startup('importing runtime/serve.js stays light: fastify, prom-client and better-sqlite3 load only in startGateway', () => {
  const script =
    "import('./runtime/serve.ts').then(() => { const keys = Object.keys(require.cache);" +
    " console.log(JSON.stringify(['fastify/', 'prom-client/', 'better-sqlite3/'].filter((p) => keys.some((k) => k.includes('node_modules/' + p))))); })";
  const cwd = new URL('../..', import.meta.url).pathname;
  const loaded = JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', '-e', script], { encoding: 'utf8', cwd }).trim());
  assert.equal(loaded, []);
});

startup.run();

// ---------------------------------------------------------------------------------------------
const network = suite('two listeners on loopback');
const token = strongToken('env:KAFCLAW_GATEWAY_AUTH_TOKEN');
const TOKEN = token.reveal();
const net = {} as { dir: ReturnType<typeof tempDir>; gateway: GatewayHandle; logs: LogCapture; stateDir: string };

network.before(async () => {
  net.dir = tempDir();
  net.logs = new LogCapture();
  const settings = testSettings(net.dir.path, { tokens: [{ secret: token }], logLevel: 'info', limits: { authFreeFailures: 1000 } });
  net.stateDir = settings.stateDir;
  net.gateway = await startGateway(settings, { logDestination: net.logs });
});

network.after(async () => {
  await net.gateway.close();
  net.dir.remove();
});

network('the API and the dashboard listen on their own ports; only the dashboard sends the CSP', async () => {
  const { api, dashboard } = net.gateway.ports;
  assert.ok(api > 0 && dashboard > 0 && api !== dashboard);
  const fromApi = await get(api, '/healthz');
  const fromDashboard = await get(dashboard, '/healthz');
  assert.is(fromApi.body, 'ok');
  assert.is(fromDashboard.body, 'ok');
  assert.is(fromApi.headers['content-security-policy'], undefined);
  assert.match(String(fromDashboard.headers['content-security-policy']), "frame-ancestors 'none'");
  assert.is(fromDashboard.headers['x-frame-options'], 'DENY');
  assert.is(net.gateway.urls.api, `http://127.0.0.1:${api}`);
});

network('the right token works on both listeners', async () => {
  for (const port of [net.gateway.ports.api, net.gateway.ports.dashboard]) {
    const reply = await get(port, VERIFY, { authorization: `Bearer ${TOKEN}` });
    assert.is(reply.status, 200);
  }
});

const attacks: Array<[string, string, string, Array<[string, string]>, number?]> = [
  ['no Authorization header', 'GET', VERIFY, []],
  ['wrong scheme', 'GET', VERIFY, [['Authorization', `Basic ${TOKEN}`]]],
  ['empty token', 'GET', VERIFY, [['Authorization', 'Bearer ']]],
  ['prefix of the token', 'GET', VERIFY, [['Authorization', `Bearer ${TOKEN.slice(0, 40)}`]]],
  ['suffix of the token', 'GET', VERIFY, [['Authorization', `Bearer ${TOKEN.slice(24)}`]]],
  ['wrong token before the right one in two Authorization headers', 'GET', VERIFY, [['Authorization', 'Bearer wrong'], ['Authorization', `Bearer ${TOKEN}`]]],
  ['right token before a wrong one in two Authorization headers', 'GET', VERIFY, [['Authorization', `Bearer ${TOKEN}`], ['Authorization', 'Bearer wrong']]],
  ['huge header beyond the server limit', 'GET', VERIFY, [['Authorization', `Bearer ${TOKEN}`], ['X-Pad', 'p'.repeat(20_000)]], 431],
  ['oversized Authorization header under the server limit', 'GET', VERIFY, [['Authorization', `Bearer ${TOKEN}${'A'.repeat(4000)}`]]],
  ['token in the query string', 'GET', `${VERIFY}?token=${TOKEN}`, []],
  ['double slash //api/...', 'GET', `/${VERIFY}`, []],
  ['dot-dot segment /api/v1/../', 'GET', '/api/v1/../api/v1/auth/verify', []],
  ['dot segment /api/v1/./', 'GET', '/api/v1/./auth/verify', []],
  ['percent-encoded letter', 'GET', '/api/v1/%61uth/verify', []],
  ['percent-encoded slash', 'GET', '/api/v1/auth%2Fverify', []],
  ['percent-encoded dot-dot', 'GET', '/api/v1/%2e%2e/v1/auth/verify', []],
  ['absolute-form request target', 'GET', `http://127.0.0.1${VERIFY}`, []],
  ['HEAD on a protected route', 'HEAD', VERIFY, []],
  ['OPTIONS on a protected route', 'OPTIONS', VERIFY, []],
];

for (const [name, method, path, headers, expected] of attacks) {
  network(`${expected ?? 401}: ${name}`, async () => {
    for (const port of [net.gateway.ports.api, net.gateway.ports.dashboard]) {
      const reply = await rawRequest(port, requestText(method, path, headers));
      if (expected) assert.is(reply.status, expected, `port ${port}`);
      else {
        assert.ok(reply.status >= 400 && reply.status < 500, `port ${port}: ${reply.status}`);
        assert.is(reply.status, 401, `port ${port}`);
      }
      assert.not.match(reply.body, TOKEN.slice(0, 16));
    }
  });
}

network('failures are timeline rows for 127.0.0.1 without token material, in a 0600 file in a 0700 directory', () => {
  const file = join(net.stateDir, 'timeline.db');
  assert.is(statSync(net.stateDir).mode & 0o777, 0o700);
  for (const suffix of ['', '-wal', '-shm']) assert.is(statSync(file + suffix).mode & 0o777, 0o600, `timeline.db${suffix}`);
  const db = new Database(file, { readonly: true });
  const rows = db.prepare(`SELECT * FROM timeline WHERE classification = 'AUTH_FAILURE'`).all() as Array<Record<string, unknown>>;
  db.close();
  assert.is(rows.length, 2 * (attacks.length - 1), 'two listeners × every case that reached the gateway');
  const listeners = new Set(rows.map((row) => JSON.parse(String(row.metadata)).listener));
  assert.equal([...listeners].sort(), ['api', 'dashboard']);
  for (const row of rows) {
    assert.is(row.event_type, 'SECURITY');
    assert.is(row.sender_id, '127.0.0.1');
  }
  const bytes = Buffer.concat([readFileSync(file), existsSync(`${file}-wal`) ? readFileSync(`${file}-wal`) : Buffer.alloc(0)]).toString('latin1');
  for (let i = 0; i + 8 <= TOKEN.length; i += 4) assert.not.ok(bytes.includes(TOKEN.slice(i, i + 8)), `token piece at ${i} in the database`);
});

network('the canary token never reaches the captured log', () => {
  assert.ok(net.logs.text.includes('authentication failed'));
  assert.ok(net.logs.text.includes('request completed'), 'one access line per request');
  for (let i = 0; i + 12 <= TOKEN.length; i += 4) assert.not.ok(net.logs.text.includes(TOKEN.slice(i, i + 12)), `token piece at ${i}`);
});

network.run();

// ---------------------------------------------------------------------------------------------
const operations = suite('lockout, reload and shutdown on real listeners');

async function withGateway(
  overrides: Parameters<typeof testSettings>[1],
  run: (gateway: GatewayHandle, settings: ReturnType<typeof testSettings>) => Promise<void>,
  options: Parameters<typeof startGateway>[1] = {},
): Promise<void> {
  const dir = tempDir();
  const settings = testSettings(dir.path, overrides);
  const gateway = await startGateway(settings, options);
  try {
    await run(gateway, settings);
  } finally {
    await gateway.close();
    dir.remove();
  }
}

operations('a lockout earned on one listener holds on the other, then recovers', async () => {
  const secret = strongToken();
  const clock = { now: Date.now() };
  await withGateway({ tokens: [{ secret }], limits: { authFreeFailures: 1, authBackoffBaseMs: 400 } }, async (gateway) => {
    const bad = { authorization: 'Bearer not-the-token' };
    const good = { authorization: `Bearer ${secret.reveal()}` };
    assert.is((await get(gateway.ports.api, VERIFY, bad)).status, 401);
    assert.is((await get(gateway.ports.api, VERIFY, bad)).status, 401);
    const locked = await get(gateway.ports.dashboard, VERIFY, good);
    assert.is(locked.status, 429);
    assert.is(locked.headers['retry-after'], '1');
    assert.is((await get(gateway.ports.api, '/healthz')).status, 200, 'liveness stays reachable');
    clock.now += 400;
    assert.is((await get(gateway.ports.dashboard, VERIFY, good)).status, 200);
  }, { now: () => clock.now });
});

operations('reload() swaps tokens without dropping a keep-alive connection; a weak reload is refused', async () => {
  const first = strongToken();
  const second = strongToken();
  await withGateway({ tokens: [{ secret: first }] }, async (gateway, settings) => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const port = gateway.ports.api;
      assert.is((await get(port, VERIFY, { authorization: `Bearer ${first.reveal()}` }, agent)).status, 200);
      const result = gateway.reload({ ...settings, tokens: [{ secret: second }], port: 1 });
      assert.equal(result.needsRestart, ['port']);
      const after = await get(port, VERIFY, { authorization: `Bearer ${second.reveal()}` }, agent);
      assert.is(after.status, 200);
      assert.ok(after.reused, 'the same socket carried the request after the reload');
      assert.is((await get(port, VERIFY, { authorization: `Bearer ${first.reveal()}` }, agent)).status, 401);
      assert.throws(() => gateway.reload({ ...settings, tokens: [{ secret: new Secret('Hx7pQ2rT9vLm') }] }), /refuses to reload/);
      assert.is((await get(port, VERIFY, { authorization: `Bearer ${second.reveal()}` }, agent)).status, 200, 'still the previous settings');
    } finally {
      agent.destroy();
    }
  });
});

operations('SIGHUP reloads from the settings source; SIGTERM closes the listeners and the database', async () => {
  const dir = tempDir();
  const first = strongToken();
  const second = strongToken();
  const settings = testSettings(dir.path, { tokens: [{ secret: first }] });
  let reloaded = 0;
  const gateway = await startGateway(settings, {
    signals: true,
    reloadSettings: () => {
      reloaded += 1;
      return { ...settings, tokens: [{ secret: second }] };
    },
  });
  try {
    const port = gateway.ports.api;
    process.kill(process.pid, 'SIGHUP');
    for (let i = 0; i < 300 && reloaded === 0; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.is(reloaded, 1);
    assert.is((await get(port, VERIFY, { authorization: `Bearer ${second.reveal()}` })).status, 200);
    assert.is((await get(port, VERIFY, { authorization: `Bearer ${first.reveal()}` })).status, 401);
    process.kill(process.pid, 'SIGTERM');
    await gateway.closed;
    const refused = await get(port, '/healthz').then(() => null, (e: NodeJS.ErrnoException) => e.code);
    assert.is(refused, 'ECONNREFUSED');
    assert.is(process.listenerCount('SIGHUP'), 0);
    const file = join(settings.stateDir, 'timeline.db');
    assert.ok(!existsSync(`${file}-wal`) || statSync(`${file}-wal`).size === 0, 'the WAL was checkpointed on close');
  } finally {
    await gateway.close();
    dir.remove();
  }
});

operations('SIGTERM-style close lets an in-flight request finish, refuses new connections, then closes the database', async () => {
  const dir = tempDir();
  const secret = strongToken();
  const settings = testSettings(dir.path, { tokens: [{ secret }], channels: { slack: { ...DEFAULT_CHANNEL_POLICY, dmPolicy: 'open' } } });
  const gateway = await startGateway(settings);
  try {
    const port = gateway.ports.api;
    const body = JSON.stringify({ sender_id: 'U1', text: 'in flight' });
    const socket = connect({ host: '127.0.0.1', port });
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    let response = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (response += chunk));
    const ended = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    socket.write(
      `POST /api/v1/channels/slack/inbound HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${secret.reveal()}\r\n` +
        `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body.slice(0, 10)}`,
    );
    // Long enough for the headers to be routed, so the request is in flight when close() starts.
    await new Promise((resolve) => setTimeout(resolve, 300));
    let closedYet = false;
    const closing = gateway.close().then(() => (closedYet = true));
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.not.ok(closedYet, 'close waits for the in-flight request');
    const refused = await get(gateway.ports.dashboard, '/healthz').then(() => null, (e: NodeJS.ErrnoException) => e.code);
    assert.is(refused, 'ECONNREFUSED', 'no new connections while closing');
    socket.write(body.slice(10));
    await closing;
    socket.end();
    await ended;
    assert.match(response, /^HTTP\/1\.1 200 /);
    assert.match(response, /\r\nconnection: close\r\n/i, 'the in-flight answer ends its keep-alive connection');
    assert.match(response, '"authorized":true');
    const db = new Database(join(settings.stateDir, 'timeline.db'), { readonly: true });
    const row = db.prepare(`SELECT content_text FROM timeline WHERE classification = 'INBOUND'`).get() as { content_text: string };
    db.close();
    assert.is(row.content_text, 'in flight', 'the request was written before the database closed');
  } finally {
    await gateway.close();
    dir.remove();
  }
});

operations('at trace level, malformed and oversized requests are logged without their raw bytes', async () => {
  const secret = strongToken();
  const logs = new LogCapture();
  await withGateway({ tokens: [{ secret }], logLevel: 'trace' }, async (gateway) => {
    const token = secret.reveal();
    const huge = await rawRequest(gateway.ports.api, requestText('GET', VERIFY, [['Authorization', `Bearer ${token}`], ['X-Pad', 'p'.repeat(20_000)]]));
    const malformed = await rawRequest(gateway.ports.api, `GET /x HTTP/1.1\r\nAuthorization: Bearer ${token}\r\nBad Header\r\n\r\n`);
    assert.equal([huge.status, malformed.status], [431, 400]);
  }, { logDestination: logs });
  assert.ok(logs.text.includes('client error'), 'the client errors were logged');
  for (let i = 0; i + 12 <= secret.reveal().length; i += 4) assert.not.ok(logs.text.includes(secret.reveal().slice(i, i + 12)));
});

operations('a connection that sends nothing is cut after the idle timeout (connectionTimeoutMs), well before the headers timeout', async () => {
  await withGateway({ limits: { connectionTimeoutMs: 300, headersTimeoutMs: 10_000, requestTimeoutMs: 20_000 } }, async (gateway) => {
    const silent = connect({ host: '127.0.0.1', port: gateway.ports.api });
    silent.on('error', () => undefined);
    const started = Date.now();
    const closed = new Promise<number>((resolve) => silent.once('close', () => resolve(Date.now() - started)));
    const after = await Promise.race([closed, new Promise<number>((resolve) => setTimeout(() => resolve(-1), 3_000))]);
    silent.destroy();
    assert.ok(after >= 290, after === -1 ? 'still open after 3 s' : `cut after ${after} ms, before the idle timeout`);
  });
});

operations('slow headers get 408 and idle keep-alive connections are closed, on the configured timeouts', async () => {
  await withGateway({ limits: { headersTimeoutMs: 400, keepAliveTimeoutMs: 300 } }, async (gateway) => {
    const slow = connect({ host: '127.0.0.1', port: gateway.ports.api });
    let slowReply = '';
    slow.setEncoding('utf8');
    slow.on('data', (chunk: string) => (slowReply += chunk));
    const started = Date.now();
    const slowClosed = new Promise<number>((resolve) => slow.once('close', () => resolve(Date.now() - started)));
    slow.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ');
    const slowAfter = await slowClosed;
    assert.match(slowReply, /^HTTP\/1\.1 408 /);
    assert.ok(slowAfter >= 350 && slowAfter < 3000, `closed after ${slowAfter} ms`);

    const idle = connect({ host: '127.0.0.1', port: gateway.ports.api });
    let idleReply = '';
    idle.setEncoding('utf8');
    idle.on('data', (chunk: string) => (idleReply += chunk));
    const idleStarted = Date.now();
    const idleClosed = new Promise<number>((resolve) => idle.once('close', () => resolve(Date.now() - idleStarted)));
    idle.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    const idleAfter = await idleClosed;
    assert.match(idleReply, /^HTTP\/1\.1 200 /);
    assert.match(idleReply, /\r\nconnection: keep-alive\r\n/i);
    assert.not.match(idleReply, /\r\nkeep-alive:/i, 'no timeout hint: the sweep, not a per-request timer, keeps the timeout');
    // the keep-alive timeout plus Node's one-second buffer, cut by the sweep (default idle timeout: 60 s)
    assert.ok(idleAfter >= 1_295 && idleAfter < 3000, `idle connection closed after ${idleAfter} ms`);
  });
});

operations.run();

// ---------------------------------------------------------------------------------------------
const tls = suite('TLS (gateway.tlsCert and gateway.tlsKey)');

function getTls(port: number, path: string, ca: Buffer, headers: Record<string, string> = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest({ host: '127.0.0.1', port, path, headers, ca, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body, reused: false }));
    });
    req.on('error', reject);
    req.end();
  });
}

tls('with both set the dashboard serves HTTPS (a real handshake on loopback); the API port stays plain HTTP, as in KafClaw', async () => {
  const dir = tempDir();
  try {
    const pair = await selfSigned(dir.path);
    const ca = readFileSync(pair.cert);
    const secret = strongToken();
    const settings = testSettings(dir.path, { tokens: [{ secret }], tlsCert: pair.cert, tlsKey: pair.key });
    const gateway = await startGateway(settings);
    try {
      const { api, dashboard } = gateway.ports;
      assert.is(gateway.urls.dashboard, `https://127.0.0.1:${dashboard}`);
      assert.is(gateway.urls.api, `http://127.0.0.1:${api}`);
      const health = await getTls(dashboard, '/healthz', ca);
      assert.equal([health.status, health.body], [200, 'ok']);
      assert.is((await getTls(dashboard, VERIFY, ca)).status, 401);
      assert.is((await getTls(dashboard, VERIFY, ca, { authorization: `Bearer ${secret.reveal()}` })).status, 200);
      const plain = await get(dashboard, '/healthz').then(() => 'answered', (e: NodeJS.ErrnoException) => e.code ?? 'failed');
      assert.is.not(plain, 'answered', 'no plain HTTP on the TLS port');
      const untrusted = await getTls(dashboard, '/healthz', Buffer.from('')).then(() => 'answered', (e: NodeJS.ErrnoException) => e.code ?? 'failed');
      assert.is.not(untrusted, 'answered', 'a client that does not trust the certificate refuses it');
      assert.is((await get(api, '/healthz')).body, 'ok');
    } finally {
      await gateway.close();
    }
  } finally {
    dir.remove();
  }
});

tls('a reload with another certificate reports a restart as needed; the listener keeps serving the one it started with', async () => {
  const dir = tempDir();
  try {
    const first = await selfSigned(dir.path, 'first');
    const second = await selfSigned(dir.path, 'second');
    const settings = testSettings(dir.path, { tokens: [{ secret: strongToken() }], tlsCert: first.cert, tlsKey: first.key });
    const gateway = await startGateway(settings);
    try {
      const result = gateway.reload({ ...settings, tlsCert: second.cert, tlsKey: second.key });
      assert.equal(result.needsRestart, ['tlsCert', 'tlsKey']);
      const port = gateway.ports.dashboard;
      assert.is((await getTls(port, '/healthz', readFileSync(first.cert))).status, 200, 'the first certificate is still served');
      const withSecond = await getTls(port, '/healthz', readFileSync(second.cert)).then(() => 'answered', (e: NodeJS.ErrnoException) => e.code ?? 'failed');
      assert.is.not(withSecond, 'answered', 'the new certificate is not in use before a restart');
    } finally {
      await gateway.close();
    }
  } finally {
    dir.remove();
  }
});

tls('a certificate that fails to load refuses the start: exit code 2, the path and the reason, nothing opened', async () => {
  const dir = tempDir();
  try {
    const pair = await selfSigned(dir.path);
    const other = await selfSigned(dir.path, 'other');
    const missing = join(dir.path, 'nope.crt');
    const cases: Array<[string, string, string]> = [
      [missing, pair.key, `gateway.tlsCert ${missing}: no such file`],
      [pair.cert, other.key, `gateway.tlsKey ${other.key}: not a usable PEM private key for ${pair.cert}`],
    ];
    for (const [cert, key, message] of cases) {
      const settings = testSettings(dir.path, { tokens: [{ secret: strongToken() }], tlsCert: cert, tlsKey: key });
      const error = await startGateway(settings).then(() => null, (e: unknown) => e);
      assert.instance(error, GatewayStartupError);
      assert.is((error as GatewayStartupError).exitCode, 2);
      assert.match((error as Error).message, message);
      assert.not.ok(existsSync(settings.stateDir), 'refused before the timeline was opened');
    }
    const half = testSettings(dir.path, { tlsCert: pair.cert });
    const error = await startGateway(half).then(() => null, (e: unknown) => e);
    assert.instance(error, GatewayStartupError);
    assert.match((error as Error).message, 'gateway.tlsKey is not');
  } finally {
    dir.remove();
  }
});

tls.run();

