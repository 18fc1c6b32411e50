#!/usr/bin/env node
// Where a server of bench/gateway spends its time under load: starts server.mjs (gateway or bare)
// with --cpu-prof, drives one route with autocannon over loopback, stops it, and prints the
// functions with the most self time in microseconds per answered request (module loading at
// startup is left out), then inclusive time per request of the gateway's and fastify's functions. Usage: node bench/gateway/profile.mjs [gateway|bare] [PATH=/api/v1/auth/verify] [SECONDS=10] [ROWS=30]
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';

const [kind = 'gateway', path = '/api/v1/auth/verify', seconds = '10', rows = '30'] = process.argv.slice(2);
const dir = mkdtempSync(join(tmpdir(), 'kafclaw-bench-profile-'));
const token = randomBytes(48).toString('base64url');
const server = spawn(process.execPath, ['--import', 'tsx', '--cpu-prof', '--cpu-prof-interval', '200', '--cpu-prof-dir', dir, fileURLToPath(new URL('server.mjs', import.meta.url)), kind], {
  env: { ...process.env, BENCH_TOKEN: token },
  stdio: ['ignore', 'pipe', 'inherit'],
});
try {
  const { port } = JSON.parse(await new Promise((resolve) => createInterface({ input: server.stdout }).once('line', resolve)));
  const result = await autocannon({ url: `http://127.0.0.1:${port}${path}`, headers: { authorization: `Bearer ${token}` }, connections: 10, duration: Number(seconds) });
  const exited = new Promise((resolve) => server.once('exit', resolve));
  server.kill('SIGTERM');
  await exited;
  // the main thread's profile is the largest (the loader thread writes one too)
  const file = readdirSync(dir).map((name) => join(dir, name)).sort((a, b) => statSync(b).size - statSync(a).size)[0];
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  const time = new Map();
  profile.samples.forEach((id, i) => time.set(id, (time.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const self = new Map();
  for (const node of profile.nodes) {
    const { functionName, url, lineNumber } = node.callFrame;
    if (/node:internal\/modules|\/tsx\/|cjs-module-lexer/.test(url)) continue;
    const key = `${functionName || '(anonymous)'} ${url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*?\/(runtime|lib)\//, '$1/')}:${lineNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + (time.get(node.id) ?? 0));
  }
  const requests = result.requests.total;
  console.log(`${kind} ${path}: ${requests} requests in ${seconds} s (${Math.round(result.requests.average)} req/s); self time per request:`);
  for (const [key, us] of [...self].sort((a, b) => b[1] - a[1]).slice(0, Number(rows))) console.log(`${(us / requests).toFixed(2).padStart(8)} µs  ${key}`);
  // inclusive time of the gateway's own functions and fastify's request pipeline: where a request's
  // CPU goes below each (a function on the stack twice is counted once)
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const inclusive = new Map();
  for (const [id, us] of time) {
    const seen = new Set();
    for (let at = id; at !== undefined; at = parent.get(at)) {
      const { functionName, url, lineNumber } = byId.get(at).callFrame;
      if (!/\/(runtime|lib)\/|fastify\/lib|find-my-way|light-my-request|fast-json-stringify/.test(url)) continue;
      const key = `${functionName || '(anonymous)'} ${url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*?\/(runtime|lib)\//, '$1/')}:${lineNumber + 1}`;
      if (seen.has(key)) continue;
      seen.add(key);
      inclusive.set(key, (inclusive.get(key) ?? 0) + us);
    }
  }
  console.log('inclusive time per request (own code and fastify):');
  for (const [key, us] of [...inclusive].sort((a, b) => b[1] - a[1]).slice(0, Number(rows))) console.log(`${(us / requests).toFixed(2).padStart(8)} µs  ${key}`);
} finally {
  server.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
}
