#!/usr/bin/env node
// bench/doctor: a cold `kafclaw doctor --format json` process against a bare `node -e 0`, measured in
// the same run, interleaved, against three fixture homes: a plain one; an operator's where `kafclaw
// token rotate` ran (a token in the env file, its rotation in ~/.kafclaw/ops.db, so the doctor reads
// the store); and that same home without its ops.db, which isolates the store's cost. Prints medians
// and the ratios (goal: under 4x).
// Usage: node bench/doctor/run.mjs [ROUNDS]   (run `npm run build` first)
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const rounds = Number(process.argv[2] ?? 20);
const cli = fileURLToPath(new URL('../../dist/bin/kafclaw.js', import.meta.url));

function fixtureHome() {
  const home = mkdtempSync(join(tmpdir(), 'kafclaw-bench-'));
  mkdirSync(join(home, '.kafclaw'), { mode: 0o700 });
  writeFileSync(join(home, '.kafclaw', 'config.json'), JSON.stringify({ gateway: { host: '127.0.0.1' }, providers: { anthropic: { apiKey: '${ANTHROPIC_API_KEY}' } } }), { mode: 0o600 });
  return { home, env: { PATH: process.env.PATH, HOME: home } };
}

const plain = fixtureHome();
const operator = fixtureHome();
const rotate = spawnSync(process.execPath, [cli, 'token', 'rotate'], { env: operator.env, stdio: ['ignore', 'ignore', 'pipe'] });
if (rotate.status !== 0 || !existsSync(join(operator.home, '.kafclaw', 'ops.db'))) throw new Error(`kafclaw token rotate exited ${rotate.status}: ${rotate.stderr}`);
const tokenOnly = fixtureHome();
mkdirSync(join(tokenOnly.home, '.config', 'kafclaw'), { recursive: true, mode: 0o700 });
copyFileSync(join(operator.home, '.config', 'kafclaw', 'env'), join(tokenOnly.home, '.config', 'kafclaw', 'env'));

function time(args, env) {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0 && result.status !== 1) throw new Error(`${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  return ms;
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const doctorArgs = [cli, 'doctor', '--format', 'json'];
const bare = [];
const doctor = [];
const doctorToken = [];
const doctorOps = [];
time(['-e', '0'], plain.env);
for (const { env } of [plain, tokenOnly, operator]) time(doctorArgs, env);
for (let i = 0; i < rounds; i++) {
  bare.push(time(['-e', '0'], plain.env));
  doctor.push(time(doctorArgs, plain.env));
  doctorToken.push(time(doctorArgs, tokenOnly.env));
  doctorOps.push(time(doctorArgs, operator.env));
}
for (const { home } of [plain, tokenOnly, operator]) rmSync(home, { recursive: true, force: true });
const line = (label, values) => `${label.padEnd(48)} median ${median(values).toFixed(1)} ms over ${rounds} runs`;
console.log(line('node -e 0:', bare));
console.log(line('kafclaw doctor --format json:', doctor));
console.log(line('kafclaw doctor --format json (token, no ops.db):', doctorToken));
console.log(line('kafclaw doctor --format json (token, ops.db):', doctorOps));
const ratio = (values) => `${(median(values) / median(bare)).toFixed(2)}x`;
console.log(`ratio: ${ratio(doctor)}; token: ${ratio(doctorToken)}; token and ops.db: ${ratio(doctorOps)} (goal: under 4x)`);
