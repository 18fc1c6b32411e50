#!/usr/bin/env node
// bench/provision: `kafclaw provision playbooks/harden.yml` on 1 and on 10 fresh lab hosts, cold (first
// run) and no-op (second run), against a floor measured in the same run: a bare OpenSSH
// `ssh ADMIN@HOST sudo true` (all hosts in parallel for 10). Prints times and ratios (goal: no-op
// within 3x the floor). The CLI is bundled as `npm run build` does, into tmp/bench-provision/.
// Usage (root, for the lab): node --import tsx bench/provision/run.mjs [ROUNDS]
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { labDown, labUp } from '../../provision/lab/index.js';

const rounds = Number(process.argv[2] ?? 3);
const root = fileURLToPath(new URL('../..', import.meta.url));
const work = join(root, 'tmp', 'bench-provision');
const ADMIN = 'alice';
rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });
await build({
  entryPoints: { kafclaw: join(root, 'cli/main.ts') },
  outdir: work,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  minify: true,
  external: ['better-sqlite3', 'ssh2', 'node-ssh', 'cpu-features', 'fastify', '@fastify/*', 'pino', 'prom-client', 'playwright-core', 'listr2', '@inquirer/*'],
  banner: { js: "import { createRequire as __kafclawCreateRequire } from 'node:module'; const require = __kafclawCreateRequire(import.meta.url);" },
  logLevel: 'warning',
});
const cli = join(work, 'kafclaw.js');
const env = { PATH: process.env.PATH, HOME: work, KAFCLAW_GATEWAY_AUTH_TOKEN: 'bench-gateway-token-0123456789abcdef' };

function inventory(hosts) {
  const key = readFileSync(`${hosts[0].privateKeyPath}.pub`, 'utf8').trim();
  return `all:\n  vars:\n    ansible_user: ${ADMIN}\n    bootstrap_user: root\n    admins:\n      - name: ${ADMIN}\n        keys: [${JSON.stringify(key)}]\n  hosts:\n` +
    hosts.map((h) => `    ${h.name}:\n      ansible_host: ${h.address}\n      ansible_ssh_private_key_file: ${h.privateKeyPath}\n      known_hosts_file: ${h.knownHostsPath}\n`).join('');
}

function provision(inventoryPath) {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, [cli, 'provision', join(root, 'playbooks/harden.yml'), '-i', inventoryPath, '--format', 'json'], { env, encoding: 'utf8', cwd: root });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  const summary = JSON.parse(result.stdout.trim().split('\n').at(-1));
  const totals = Object.values(summary.hosts);
  if (result.status !== 0) {
    const failed = result.stdout.split('\n').filter((line) => line.includes('"status":"failed"') || line.includes('"unreachable"'));
    throw new Error(`provision exited ${result.status}: ${result.stderr}\n${failed.join('\n').slice(-3000)}`);
  }
  return { ms, changed: totals.reduce((n, t) => n + t.changed, 0) };
}

function sshTrue(host) {
  return new Promise((resolve, reject) => {
    const child = spawn('ssh', ['-i', host.privateKeyPath, '-o', `UserKnownHostsFile=${host.knownHostsPath}`, '-o', 'StrictHostKeyChecking=yes', '-o', 'BatchMode=yes', '-o', 'ControlMaster=no', '-o', 'ControlPath=none', `${ADMIN}@${host.address}`, 'sudo', 'true'], { stdio: 'ignore' });
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`ssh ${host.address} sudo true exited ${code}`))));
  });
}

async function floor(hosts) {
  const started = process.hrtime.bigint();
  await Promise.all(hosts.map(sshTrue));
  return Number(process.hrtime.bigint() - started) / 1e6;
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const f = (ms) => `${(ms / 1000).toFixed(2)} s`;
const rows = [];
for (const count of [1, 10]) {
  const hosts = await labUp({ count, namePrefix: 'kafclaw-bench' });
  try {
    const path = join(work, `inventory-${count}.yml`);
    writeFileSync(path, inventory(hosts));
    const cold = provision(path);
    await floor(hosts); // warm the page cache for ssh
    const noop = [];
    const bare = [];
    for (let i = 0; i < rounds; i++) {
      bare.push(await floor(hosts));
      const run = provision(path);
      if (run.changed !== 0) throw new Error(`the no-op run changed ${run.changed} things`);
      noop.push(run.ms);
    }
    rows.push({ count, cold: cold.ms, coldChanged: cold.changed, noop: median(noop), floor: median(bare) });
  } finally {
    await labDown(hosts.map((h) => h.name));
  }
}
rmSync(work, { recursive: true, force: true });
console.log(`bench/provision: harden.yml, medians of ${rounds} no-op rounds; floor = OpenSSH \`ssh ${ADMIN}@HOST sudo true\` (hosts in parallel)`);
for (const r of rows) {
  console.log(`  ${String(r.count).padStart(2)} host(s): cold ${f(r.cold)} (${r.coldChanged} changes)  no-op ${f(r.noop)}  floor ${f(r.floor)}  no-op/floor ${(r.noop / r.floor).toFixed(2)}x  cold/floor ${(r.cold / r.floor).toFixed(2)}x`);
}
console.log(`  goal: no-op within 3x the floor: ${rows.every((r) => r.noop / r.floor <= 3) ? 'met' : 'NOT met'}`);
