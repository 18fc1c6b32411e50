#!/usr/bin/env node
// bench/gateway: the gateway runtime against a bare fastify app, in the same run, loopback only.
//  1. Throughput (autocannon, interleaved rounds) of GET /api/v1/status (public) and of an
//     authenticated route, GET /api/v1/auth/verify with the bearer token, against the same routes
//     on bare fastify. Goal: the gateway keeps at least 85% of the bare throughput. Beside it, the
//     server CPU per request, from those rounds and from rounds loading both servers at once.
//  2. p99 latency (from each response time) of legitimate authenticated requests capped at 500 req/s,
//     alone and while another loopback address (127.0.0.2, so lockout is per address) floods bad
//     tokens at >= 1000 req/s.
//     Goal: p99 under flood at most 2x the p99 without it.
//  3. The work the gateway adds per request (in-process.ts): both apps in one process on one CPU,
//     driven by a raw keep-alive client in the same thread. In the autocannon rounds each µs the
//     server adds costs about 2 µs of its CPU, as an idle client must be woken on the other CPU for
//     every answer (measured here by adding a 2 µs busy loop to bare fastify: +4 µs CPU per request,
//     -15% throughput); this figure is the work itself.
// Prints numbers and ratios; asserts nothing. Every server and the attacker run in their own process.
// Usage: node --import tsx bench/gateway/run.mjs [SECONDS_PER_RUN=3] [ROUNDS=7]
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { availableParallelism, loadavg } from 'node:os';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';

const seconds = Number(process.argv[2] ?? 3);
const rounds = Number(process.argv[3] ?? 7);
const here = (name) => fileURLToPath(new URL(name, import.meta.url));
const token = randomBytes(48).toString('base64url');
const children = new Set();

// The servers on one CPU and this process (the autocannon clients) on another, where taskset and two
// CPUs are there: the scheduler then cannot move a server onto the client's CPU between rounds, which
// measured here as the steadiest comparison. BENCH_NO_PIN=1 turns it off.
const pinned = !process.env.BENCH_NO_PIN && availableParallelism() >= 2 && spawnSync('taskset', ['-a', '-p', '-c', '0', String(process.pid)], { stdio: 'ignore' }).status === 0;

function start(script, args, env, { pin = false } = {}) {
  const command = [process.execPath, '--import', 'tsx', here(script), ...args];
  const [file, ...argv] = pin && pinned ? ['taskset', '-c', '1', ...command] : command;
  const child = spawn(file, argv, {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  children.add(child);
  child.on('exit', () => children.delete(child));
  const firstLine = new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    lines.once('line', (line) => resolve(JSON.parse(line)));
    child.once('exit', (code) => reject(new Error(`${script} ${args.join(' ')} exited ${code} before answering`)));
  });
  return { child, firstLine };
}

/** The server's CPU time so far in microseconds (server.mjs answers over IPC). */
function cpuOf(child) {
  return new Promise((resolve) => {
    child.once('message', (message) => resolve(message.cpu));
    child.send('cpu');
  });
}

function stopAll() {
  for (const child of children) child.kill('SIGTERM');
}
process.on('exit', stopAll);
const watchdog = setTimeout(() => {
  process.stderr.write('bench/gateway: took too long, stopping\n');
  stopAll();
  process.exit(1);
}, (seconds * (rounds * 5 + 4 + 16 * Math.ceil(rounds / 2)) + 150) * 1000);
watchdog.unref();

/**
 * One autocannon run. With `latencies`, each 2xx response time (ms, to the microsecond) is pushed
 * there: autocannon's own histogram keeps whole milliseconds, too coarse for a p99 near 1 ms. Its
 * coordinated-omission fill is left out: with `overallRate` each connection sends a second's share
 * back to back, so there is no schedule to fill against (and autocannon's fill steps by 1 ms
 * whatever the rate, counting a 10 ms stall about ten times).
 */
async function cannon(port, path, options = {}, latencies = null) {
  const run = autocannon({
    url: `http://127.0.0.1:${port}${path}`,
    headers: { authorization: `Bearer ${token}` },
    connections: 10,
    duration: seconds,
    ...options,
  });
  if (latencies) {
    run.on('response', (client, statusCode, bytes, ms) => {
      if (statusCode >= 200 && statusCode <= 299) latencies.push(ms);
    });
  }
  const result = await run;
  if (result.non2xx > 0 || result.errors > 0) {
    throw new Error(`${path} on port ${port}: ${result.non2xx} non-2xx answers, ${result.errors} errors`);
  }
  return result;
}

const mean = (values) => values.reduce((a, b) => a + b, 0) / values.length;
/** The p-quantile (0..1) of a list of numbers, nearest rank; NaN for an empty list. */
const quantile = (values, p) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)] : NaN;
};
const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
/** Ratio per round (gateway and bare ran back to back, under the same machine load), then the median. */
const pairedRatio = (gateway, bare) => median(gateway.map((g, i) => g / bare[i]));
const load = () => loadavg().map((n) => n.toFixed(2)).join(' ');
const loadBefore = load();
const fmt = (n, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const signed = (n) => (n < 0 ? `−${-n}` : `+${n}`);

try {
  const bareServer = start('server.mjs', ['bare'], {}, { pin: true });
  const gatewayServer = start('server.mjs', ['gateway'], { BENCH_TOKEN: token }, { pin: true });
  const bare = { ...(await bareServer.firstLine), child: bareServer.child };
  const gateway = { ...(await gatewayServer.firstLine), child: gatewayServer.child };
  /** One autocannon run, with the server's CPU microseconds per answered request. */
  async function measured(server, path) {
    const before = await cpuOf(server.child);
    const result = await cannon(server.port, path);
    const cpu = (await cpuOf(server.child)) - before;
    return { rps: result.requests.average, cpuPerRequest: cpu / result.requests.total };
  }

  // A first round at full length, not counted: a cold route measures the JIT, and rounds of 1 s still
  // left the first counted round at 74-76% where the others came out near 95%.
  const runs = [['bareStatus', bare, '/api/v1/status'], ['gatewayStatus', gateway, '/api/v1/status'], ['bareAuth', bare, '/api/v1/auth/verify'], ['gatewayAuth', gateway, '/api/v1/auth/verify']];
  for (const [, server, path] of runs) await measured(server, path);

  // Each pair (bare, gateway) runs back to back, the order turned every round, so neither side always
  // follows the other (and meets the client's leftover garbage from it).
  const rps = { bareStatus: [], gatewayStatus: [], bareAuth: [], gatewayAuth: [] };
  const cpu = { bareStatus: [], gatewayStatus: [], bareAuth: [], gatewayAuth: [] };
  for (let round = 0; round < rounds; round++) {
    for (const pair of [runs.slice(0, 2), runs.slice(2)]) {
      for (const [name, server, path] of round % 2 ? [...pair].reverse() : pair) {
        const run = await measured(server, path);
        rps[name].push(run.rps);
        cpu[name].push(run.cpuPerRequest);
      }
    }
  }

  // The same route on both servers at once, one autocannon each: both meet the same machine state at
  // the same moment, so a slow spell of this shared machine cannot fall on one side of a pair. The
  // single client then limits throughput, so what this compares is server CPU per request.
  const together = { bare: [], gateway: [] };
  for (let round = 0; round < rounds; round++) {
    const [b, g] = await Promise.all([measured(bare, '/api/v1/auth/verify'), measured(gateway, '/api/v1/auth/verify')]);
    together.bare.push(b.cpuPerRequest);
    together.gateway.push(g.cpuPerRequest);
  }

  // legitimate load capped at a rate (autocannon sends each second's share back to back), measured
  // for latency, alone and under a flood from 127.0.0.2; the same on the bare app is the control:
  // what the flood costs this machine, whatever the server
  const legit = { connections: 4, overallRate: 500, duration: seconds * 2 };
  async function floodPhase(port) {
    const calm = { latencies: [] };
    calm.result = await cannon(port, '/api/v1/auth/verify', legit, calm.latencies);
    const attacker = start('flood.mjs', [], {
      BENCH_URL: `http://127.0.0.1:${port}/api/v1/auth/verify`,
      BENCH_LOCAL_ADDRESS: '127.0.0.2',
      BENCH_RATE: '2000',
      BENCH_DURATION_MS: String((seconds * 2 + 1.5) * 1000),
    });
    await new Promise((resolve) => setTimeout(resolve, 750));
    const flooded = { latencies: [] };
    flooded.result = await cannon(port, '/api/v1/auth/verify', legit, flooded.latencies);
    return { calm, flooded, flood: await attacker.firstLine };
  }
  const inProcess = await start('in-process.ts', ['9', '20000'], {}, { pin: true }).firstLine;
  // calm and flooded phases alternate, gateway and bare in turn; medians over the repeats
  const repeats = Math.max(1, Math.ceil(rounds / 2));
  const phases = { gateway: [], bare: [] };
  for (let i = 0; i < repeats; i++) {
    phases.gateway.push(await floodPhase(gateway.port));
    phases.bare.push(await floodPhase(bare.port));
  }
  const summary = (list) => ({
    calmP99: median(list.map((p) => quantile(p.calm.latencies, 0.99))),
    floodP99: median(list.map((p) => quantile(p.flooded.latencies, 0.99))),
    calmP50: median(list.map((p) => quantile(p.calm.latencies, 0.5))),
    floodP50: median(list.map((p) => quantile(p.flooded.latencies, 0.5))),
    calmTotal: median(list.map((p) => p.calm.result.requests.total)),
    floodTotal: median(list.map((p) => p.flooded.result.requests.total)),
    floodRate: median(list.map((p) => p.flood.rate)),
    statuses: list.map((p) => p.flood.statuses),
    perRepeat: list.map((p) => quantile(p.flooded.latencies, 0.99) / quantile(p.calm.latencies, 0.99)),
  });
  const g = summary(phases.gateway);
  const b = summary(phases.bare);

  const statusRatio = pairedRatio(rps.gatewayStatus, rps.bareStatus);
  const authRatio = pairedRatio(rps.gatewayAuth, rps.bareAuth);
  const p99Ratio = median(g.perRepeat);
  console.log(`bench/gateway: ${rounds} interleaved round(s) of ${seconds} s, 10 connections, loopback; ${pinned ? 'servers on CPU 1, clients on CPU 0' : 'not pinned to CPUs'}; load average before ${loadBefore}, after ${load()}`);
  console.log('throughput: mean req/s; ratio = median over rounds of gateway/bare, each pair run back to back, in turned order; a first round not counted');
  console.log(`GET /api/v1/status (public):           bare ${fmt(mean(rps.bareStatus))} req/s, gateway ${fmt(mean(rps.gatewayStatus))} req/s, ratio ${fmt(statusRatio * 100, 1)}% (goal >= 85%)`);
  console.log(`  per round: ${rps.gatewayStatus.map((x, i) => fmt((x / rps.bareStatus[i]) * 100)).join('%, ')}%`);
  console.log(`GET /api/v1/auth/verify (bearer auth): bare ${fmt(mean(rps.bareAuth))} req/s, gateway ${fmt(mean(rps.gatewayAuth))} req/s, ratio ${fmt(authRatio * 100, 1)}% (goal >= 85%)`);
  console.log(`  per round: ${rps.gatewayAuth.map((x, i) => fmt((x / rps.bareAuth[i]) * 100)).join('%, ')}%`);
  const cpuLine = (label, g, b) =>
    `  server CPU per request: bare ${fmt(median(cpu[b]), 1)} µs, gateway ${fmt(median(cpu[g]), 1)} µs; ` +
    `bare/gateway ${fmt(median(cpu[b]) / median(cpu[g]) * 100, 1)}% (${label}; robust to other load on the machine)`;
  console.log(cpuLine('public status', 'gatewayStatus', 'bareStatus'));
  console.log(cpuLine('bearer auth', 'gatewayAuth', 'bareAuth'));
  console.log(`  both servers loaded at once (${rounds} round(s)): server CPU per request bare ${fmt(median(together.bare), 1)} µs, gateway ${fmt(median(together.gateway), 1)} µs; ` +
    `bare/gateway median over rounds ${fmt(pairedRatio(together.bare, together.gateway) * 100, 1)}% (per round ${together.bare.map((b, i) => fmt((b / together.gateway[i]) * 100)).join('%, ')}%)`);
  console.log(`work the gateway adds per request, without cross-CPU wake-ups (bare fastify and the gateway in one process on one CPU, a raw keep-alive client in the same thread; ` +
    `median over ${inProcess.batches} alternating batches of ${fmt(inProcess.perBatch)}; CPU µs per request, client included): bare ${inProcess.bare}, ` +
    `gateway authenticated ${inProcess.gatewayAuthenticated} (${signed(inProcess.addedAuthenticated)}), gateway 429 for a locked-out address ${inProcess.gatewayLockedOut} (${signed(inProcess.addedLockedOut)})`);
  console.log(`legitimate authenticated requests, at most ${legit.overallRate} req/s for ${legit.duration} s, medians over ${repeats} calm/flood pair(s):`);
  console.log(`  without flood: p50 ${fmt(g.calmP50, 2)} ms, p99 ${fmt(g.calmP99, 2)} ms (${g.calmTotal} requests)`);
  console.log(`  under flood:   p50 ${fmt(g.floodP50, 2)} ms, p99 ${fmt(g.floodP99, 2)} ms (${g.floodTotal} requests)`);
  console.log(`  flood from 127.0.0.2: ${fmt(g.floodRate)} answered req/s of bad tokens; statuses ${JSON.stringify(g.statuses)}`);
  console.log(`  p99 ratio under flood (median over pairs of flooded/calm): ${fmt(p99Ratio, 2)}x (goal <= 2x); per pair ${g.perRepeat.map((r) => fmt(r, 2)).join('x, ')}x`);
  console.log(`control, bare fastify under the same flood (it answers every request 200):`);
  console.log(`  p99 ${fmt(b.calmP99, 2)} ms without, ${fmt(b.floodP99, 2)} ms under ${fmt(b.floodRate)} req/s of flood: ratio ${fmt(median(b.perRepeat), 2)}x; per pair ${b.perRepeat.map((r) => fmt(r, 2)).join('x, ')}x`);
} finally {
  stopAll();
}
