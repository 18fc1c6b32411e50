// Part of bench/gateway/run.mjs: the work the gateway adds per request, without the cross-CPU wake-ups
// that amplify it in the autocannon rounds. Bare fastify and the gateway listen on loopback in this one
// process; a minimal keep-alive client in the same thread (10 connections, one request outstanding on
// each) sends a prebuilt request. Batches alternate between the apps, so each pair meets the same
// machine state; the added work is the median over pairs of (gateway - bare) CPU microseconds per
// request. The client's own cost is in both sides of each difference. Prints one JSON line.
// Usage (run.mjs does this): node --import tsx bench/gateway/in-process.ts [BATCHES=15] [PER_BATCH=20000]
import Fastify from 'fastify';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Secret } from '../../lib/secrets/index.js';
import { startGateway } from '../../runtime/serve.js';
import { gatewaySettings } from '../../runtime/settings.js';

const BATCHES = Number(process.argv[2] ?? 15);
const PER_BATCH = Number(process.argv[3] ?? 20_000);
const CONNECTIONS = 10;
const dir = mkdtempSync(join(tmpdir(), 'kafclaw-bench-in-process-'));
const token = randomBytes(48).toString('base64url');

// the same logger level as server.mjs's bare app, written nowhere: stdout carries the result line
const bare = Fastify({ logger: { level: 'warn', stream: { write: () => undefined } } });
bare.get('/api/v1/status', async () => ({ status: 'ok', auth_required: true }));
bare.get('/api/v1/auth/verify', async () => ({ valid: true, auth_required: true }));
await bare.listen({ host: '127.0.0.1', port: 0 });
const barePort = (bare.server.address() as { port: number }).port;
const gateway = await startGateway(
  gatewaySettings({
    stateDir: join(dir, 'state'),
    workspace: join(dir, 'workspace'),
    tokens: [{ secret: new Secret(token, 'bench') }],
    port: 0,
    dashboardPort: 0,
    logLevel: 'warn',
    // one lockout lasts the whole run, so the locked-out case is 429 throughout
    limits: { authBackoffBaseMs: 3_600_000, authBackoffMaxMs: 3_600_000 },
  }),
  { logDestination: { write: () => undefined } },
);

const requestFor = (path: string, bearer: string) => Buffer.from(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${bearer}\r\n\r\n`);

/** Sends `total` requests over keep-alive connections and resolves once every answer has arrived with `status`. */
function drive(port: number, request: Buffer, total: number, status: number, localAddress = '127.0.0.1'): Promise<void> {
  const statusLine = `HTTP/1.1 ${status} `;
  return new Promise((resolve, fail) => {
    const reject = (error: Error) => {
      for (const each of sockets) each.destroy();
      fail(error);
    };
    let sent = 0;
    let answered = 0;
    const sockets = Array.from({ length: CONNECTIONS }, () => {
      const socket = connect({ port, host: '127.0.0.1', localAddress });
      socket.setNoDelay(true);
      let pending = '';
      const send = () => {
        if (sent < total) {
          sent++;
          socket.write(request);
        }
      };
      socket.setEncoding('latin1');
      socket.on('connect', send);
      socket.on('error', reject);
      socket.on('data', (chunk: string) => {
        pending += chunk;
        // one request outstanding per connection: an answer is its head plus Content-Length bytes
        for (;;) {
          const headEnd = pending.indexOf('\r\n\r\n');
          if (headEnd === -1) return;
          const at = pending.indexOf('\r\ncontent-length: ');
          if (at === -1 || at > headEnd) return reject(new Error('an answer without content-length'));
          const length = Number.parseInt(pending.slice(at + 18, headEnd), 10);
          if (pending.length < headEnd + 4 + length) return;
          if (!pending.startsWith(statusLine)) return reject(new Error(`expected ${status}, got ${pending.slice(0, 12)}`));
          pending = pending.slice(headEnd + 4 + length);
          answered++;
          if (answered === total) {
            for (const each of sockets) each.destroy();
            resolve();
            return;
          }
          send();
        }
      });
      return socket;
    });
  });
}

async function cpuPerRequest(run: () => Promise<void>): Promise<number> {
  const started = process.cpuUsage();
  await run();
  const used = process.cpuUsage(started);
  return (used.user + used.system) / PER_BATCH;
}

const authenticated = requestFor('/api/v1/auth/verify', token);
const wrong = requestFor('/api/v1/auth/verify', randomBytes(48).toString('base64url'));
const cases = {
  bare: () => drive(barePort, authenticated, PER_BATCH, 200),
  gatewayAuthenticated: () => drive(gateway.ports.api, authenticated, PER_BATCH, 200),
  // 127.0.0.2 is locked out by the failures below, for an hour (the limits above): 429 without looking at the token
  gatewayLockedOut: () => drive(gateway.ports.api, wrong, PER_BATCH, 429, '127.0.0.2'),
};
for (let attempt = 0; attempt < 50; attempt++) {
  const lockedOut = await drive(gateway.ports.api, wrong, 1, 429, '127.0.0.2').then(() => true, () => false);
  if (lockedOut) break;
}
for (const run of Object.values(cases)) await run(); // warm-up, not counted

const samples: Record<string, number[]> = { bare: [], gatewayAuthenticated: [], gatewayLockedOut: [] };
const entries = Object.entries(cases);
for (let batch = 0; batch < BATCHES; batch++) {
  for (const [name, run] of batch % 2 ? [...entries].reverse() : entries) samples[name]!.push(await cpuPerRequest(run));
}
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const added = (name: string) => median(samples[name]!.map((value, i) => value - samples.bare![i]!));
process.stdout.write(
  JSON.stringify({
    bare: Number(median(samples.bare!).toFixed(2)),
    gatewayAuthenticated: Number(median(samples.gatewayAuthenticated!).toFixed(2)),
    gatewayLockedOut: Number(median(samples.gatewayLockedOut!).toFixed(2)),
    addedAuthenticated: Number(added('gatewayAuthenticated').toFixed(2)),
    addedLockedOut: Number(added('gatewayLockedOut').toFixed(2)),
    batches: BATCHES,
    perBatch: PER_BATCH,
  }) + '\n',
);
await Promise.all([gateway.close(), bare.close()]);
rmSync(dir, { recursive: true, force: true });
