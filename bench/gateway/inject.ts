// Part of bench/gateway/run.mjs: the CPU cost per request inside one process (fastify.inject, no
// sockets), gateway against bare fastify, alternating small batches so both see the same machine
// load. Prints one JSON line of medians in CPU microseconds.
import Fastify from 'fastify';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Secret } from '../../lib/secrets/index.js';
import { build } from '../../runtime/app.js';
import { GatewayMetrics } from '../../runtime/metrics.js';
import { gatewaySettings } from '../../runtime/settings.js';
import { TimelineStore } from '../../runtime/timeline/store.js';

const BATCH = 200;
const BATCHES = Number(process.argv[2] ?? 25);
/** Only these cases (comma-separated); run.mjs measures each app in a process of its own, see there. */
const ONLY = process.argv[3]?.split(',');
const dir = mkdtempSync(join(tmpdir(), 'kafclaw-bench-inject-'));
const token = randomBytes(48).toString('base64url');
const settings = gatewaySettings({ stateDir: join(dir, 'state'), workspace: dir, tokens: [{ secret: new Secret(token, 'bench') }], logLevel: 'silent' });
const timeline = TimelineStore.open(settings.stateDir);
const gateway = build(settings, { timeline, metrics: new GatewayMetrics() });
const bare = Fastify({ logger: { level: 'silent' } });
bare.get('/api/v1/auth/verify', async () => ({ valid: true, auth_required: true }));
await Promise.all([gateway.ready(), bare.ready()]);

const good = { authorization: `Bearer ${token}` };
const cases = {
  bare: () => bare.inject({ method: 'GET', url: '/api/v1/auth/verify', headers: good }),
  gatewayAuthenticated: () => gateway.inject({ method: 'GET', url: '/api/v1/auth/verify', headers: good }),
  gatewayLockedOut: () => gateway.inject({ method: 'GET', url: '/api/v1/auth/verify', headers: { authorization: 'Bearer wrong' }, remoteAddress: '127.0.0.2' }),
};
// 20 failures lock 127.0.0.2 out for the whole run (the backoff doubles up to 15 minutes)
for (let i = 0; i < 20; i++) await cases.gatewayLockedOut();

const selected = Object.entries(cases).filter(([name]) => !ONLY || ONLY.includes(name));
const samples: Record<string, number[]> = Object.fromEntries(selected.map(([name]) => [name, []]));
for (let b = 0; b < BATCHES; b++) {
  for (const [name, run] of selected) {
    // CPU time rather than wall time: on a shared machine, waiting for a core is not the server's cost
    const started = process.cpuUsage();
    for (let i = 0; i < BATCH; i++) await run();
    const used = process.cpuUsage(started);
    samples[name]!.push((used.user + used.system) / BATCH);
  }
}
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
process.stdout.write(JSON.stringify(Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, Number(median(v).toFixed(1))]))) + '\n');
await Promise.all([gateway.close(), bare.close()]);
timeline.close();
rmSync(dir, { recursive: true, force: true });
