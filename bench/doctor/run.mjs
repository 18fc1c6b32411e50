#!/usr/bin/env node
// bench/doctor: a cold `kafclaw doctor --format json` process against a bare `node -e 0`, measured in
// the same run, interleaved, against a fixture home. Prints medians and the ratio (goal: under 4x).
// Usage: node bench/doctor/run.mjs [ROUNDS]   (run `npm run build` first)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const rounds = Number(process.argv[2] ?? 20);
const cli = fileURLToPath(new URL('../../dist/bin/kafclaw.js', import.meta.url));
const home = mkdtempSync(join(tmpdir(), 'kafclaw-bench-'));
mkdirSync(join(home, '.kafclaw'), { mode: 0o700 });
writeFileSync(join(home, '.kafclaw', 'config.json'), JSON.stringify({ gateway: { host: '127.0.0.1' }, providers: { anthropic: { apiKey: '${ANTHROPIC_API_KEY}' } } }), { mode: 0o600 });
const env = { PATH: process.env.PATH, HOME: home };

function time(args) {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0 && result.status !== 1) throw new Error(`${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  return ms;
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const bare = [];
const doctor = [];
time(['-e', '0']);
time([cli, 'doctor', '--format', 'json']);
for (let i = 0; i < rounds; i++) {
  bare.push(time(['-e', '0']));
  doctor.push(time([cli, 'doctor', '--format', 'json']));
}
rmSync(home, { recursive: true, force: true });
const ratio = median(doctor) / median(bare);
console.log(`node -e 0:                      median ${median(bare).toFixed(1)} ms over ${rounds} runs`);
console.log(`kafclaw doctor --format json:   median ${median(doctor).toFixed(1)} ms over ${rounds} runs`);
console.log(`ratio: ${ratio.toFixed(2)}x (goal: under 4x)`);
