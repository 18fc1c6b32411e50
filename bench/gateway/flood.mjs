// The attacker for bench/gateway/run.mjs: bad bearer tokens from another loopback address
// (BENCH_LOCAL_ADDRESS, e.g. 127.0.0.2) at BENCH_RATE requests per second for BENCH_DURATION_MS.
// Prints {"sent":N,"answered":N,"rate":R,"statuses":{...}} when done.
import { Agent, request } from 'node:http';
import { randomBytes } from 'node:crypto';

const url = new URL(process.env.BENCH_URL);
const rate = Number(process.env.BENCH_RATE ?? 2000);
const durationMs = Number(process.env.BENCH_DURATION_MS ?? 5000);
const localAddress = process.env.BENCH_LOCAL_ADDRESS ?? '127.0.0.2';
const agent = new Agent({ keepAlive: true, maxSockets: 64 });
const MAX_IN_FLIGHT = 512;
const TICK_MS = 10;

let sent = 0;
let answered = 0;
let inFlight = 0;
const statuses = {};

function fire() {
  sent++;
  inFlight++;
  const req = request(
    { host: url.hostname, port: url.port, path: url.pathname, agent, localAddress, headers: { authorization: `Bearer ${randomBytes(24).toString('hex')}` } },
    (res) => {
      res.resume();
      res.on('end', () => {
        statuses[res.statusCode] = (statuses[res.statusCode] ?? 0) + 1;
        answered++;
        inFlight--;
      });
    },
  );
  req.on('error', () => {
    statuses.error = (statuses.error ?? 0) + 1;
    inFlight--;
  });
  req.end();
}

const started = Date.now();
let due = 0;
const timer = setInterval(() => {
  const elapsed = Date.now() - started;
  if (elapsed >= durationMs) {
    clearInterval(timer);
    setTimeout(() => {
      process.stdout.write(JSON.stringify({ sent, answered, rate: answered / (durationMs / 1000), statuses }) + '\n');
      agent.destroy();
      process.exit(0);
    }, 500);
    return;
  }
  due = Math.floor((elapsed / 1000) * rate);
  while (sent < due && inFlight < MAX_IN_FLIGHT) fire();
}, TICK_MS);
