#!/usr/bin/env node
// bench/backup: a 1 GB timeline.db backed up by `kafclaw backup` and by Debian's
// `sqlite3 SRC ".backup DST"` in the same run, in back-to-back pairs whose order alternates; then the verification of the backup
// (restore-test's verify step: every checksum) beside `sha256sum` of the same bytes.
// The database is generated once and cached (KAFCLAW_BENCH_CACHE, default $TMPDIR/kafclaw-bench-cache).
// Usage: node --import tsx bench/backup/run.mjs [ROUNDS] [SIZE_MB]   (default 3 rounds, 1024 MB)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';

const rounds = Number(process.argv[2] ?? 3);
const sizeMb = Number(process.argv[3] ?? 1024);
const root = fileURLToPath(new URL('../..', import.meta.url));
const cache = process.env.KAFCLAW_BENCH_CACHE ?? join(tmpdir(), 'kafclaw-bench-cache');
const source = join(cache, `timeline-${sizeMb}mb.db`);

function generate() {
  mkdirSync(cache, { recursive: true, mode: 0o700 });
  const partial = `${source}.partial`;
  rmSync(partial, { force: true });
  const started = Date.now();
  const db = new Database(partial);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  db.exec(`CREATE TABLE timeline (id INTEGER PRIMARY KEY AUTOINCREMENT, event_id TEXT UNIQUE NOT NULL, trace_id TEXT, timestamp DATETIME NOT NULL,
      sender_id TEXT, sender_name TEXT, event_type TEXT NOT NULL, content_text TEXT, classification TEXT, authorized BOOLEAN DEFAULT 1, metadata TEXT);
    CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT, updated_at DATETIME DEFAULT CURRENT_TIMESTAMP);
    CREATE TABLE tasks (id INTEGER PRIMARY KEY AUTOINCREMENT, task_id TEXT UNIQUE NOT NULL, trace_id TEXT, status TEXT NOT NULL DEFAULT 'pending', content_in TEXT, content_out TEXT, total_tokens INTEGER DEFAULT 0);
    CREATE TABLE policy_decisions (id INTEGER PRIMARY KEY AUTOINCREMENT, trace_id TEXT, task_id TEXT, tool TEXT, tier INTEGER, sender TEXT, channel TEXT, allowed BOOLEAN, reason TEXT, created_at DATETIME DEFAULT CURRENT_TIMESTAMP);
    CREATE INDEX idx_timeline_trace ON timeline(trace_id);`);
  const event = db.prepare(`INSERT INTO timeline (event_id, trace_id, timestamp, sender_id, sender_name, event_type, content_text, classification, metadata) VALUES (?, ?, datetime('now'), ?, 'Someone', 'TEXT', ?, 'TURN', '{}')`);
  const task = db.prepare(`INSERT INTO tasks (task_id, trace_id, status, content_in, content_out, total_tokens) VALUES (?, ?, 'completed', ?, ?, 30)`);
  const decision = db.prepare(`INSERT INTO policy_decisions (trace_id, task_id, tool, tier, sender, channel, allowed, reason) VALUES (?, ?, 'read_file', 0, ?, 'slack', 1, 'tier 0')`);
  const text = (n) => `message ${n} `.padEnd(600, 'lorem ipsum dolor sit amet ');
  const target = sizeMb * 1024 * 1024;
  let n = 0;
  const batch = db.transaction((count) => {
    for (let i = 0; i < count; i++, n++) {
      event.run(`ev-${n}`, `trace-${n}`, `sender-${n % 97}`, text(n));
      task.run(`task-${n}`, `trace-${n}`, text(n).slice(0, 200), text(n).slice(0, 400));
      decision.run(`trace-${n}`, `task-${n}`, `sender-${n % 97}`);
    }
  });
  while (statSync(partial).size + (existsSync(`${partial}-wal`) ? statSync(`${partial}-wal`).size : 0) < target) batch(20_000);
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  renameSync(partial, source);
  console.log(`generated ${source}: ${(statSync(source).size / 1048576).toFixed(0)} MiB, ${n} turns, in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

if (!existsSync(source)) generate();
const bytes = statSync(source).size;
const sqlite3 = spawnSync('sqlite3', ['--version'], { encoding: 'utf8' });
if (sqlite3.status !== 0) throw new Error('sqlite3 is not installed (Debian: apt-get install sqlite3)');

// kafclaw from dist when it is built from the current sources, else from source through tsx
const dist = join(root, 'dist/bin/kafclaw.js');
const newestSource = (dir, prefix = '') => Math.max(...readdirSync(join(root, dir), { recursive: true }).map(String).filter((f) => f.startsWith(prefix) && f.endsWith('.ts')).map((f) => statSync(join(root, dir, f)).mtimeMs));
const useDist = existsSync(dist) && statSync(dist).mtimeMs > Math.max(newestSource('cli', 'backup'), newestSource('lib/backup'), newestSource('lib/store'));
const kafclawArgv = useDist ? [dist] : ['--import', 'tsx', join(root, 'cli/main.ts')];

const work = mkdtempSync(join(tmpdir(), 'kafclaw-bench-backup-'));
const home = join(work, 'home');
mkdirSync(join(home, '.kafclaw'), { recursive: true, mode: 0o700 });
// the state dir is the cached database's directory: link timeline.db into a private home
spawnSync('ln', ['-s', source, join(home, '.kafclaw', 'timeline.db')]);
writeFileSync(join(home, '.kafclaw', 'config.json'), JSON.stringify({ gateway: { host: '127.0.0.1' } }), { mode: 0o600 });
const env = { PATH: process.env.PATH, HOME: home };

// every timed run starts with no dirty pages left over from the one before
function timed(argv, options = {}) {
  spawnSync('sync');
  const started = process.hrtime.bigint();
  const result = spawnSync(argv[0], argv.slice(1), { env, encoding: 'utf8', ...options });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) throw new Error(`${argv.join(' ')} exited ${result.status}: ${result.stderr}`);
  return { ms, stdout: result.stdout };
}
const dropCachesNote = 'page cache warm (the source is read once before the first round)';
timed(['cat', source], { stdio: ['ignore', 'ignore', 'pipe'] });

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const results = { sqlite3: [], kafclaw: [], verify: [], sha256sum: [] };
let lastBackup = null;
for (let i = 0; i < rounds; i++) {
  const runSqlite3 = () => {
    const dst = join(work, `sqlite3-${i}.db`);
    results.sqlite3.push(timed(['sqlite3', source, `.backup ${dst}`]).ms);
    rmSync(dst, { force: true });
  };
  const runKafclaw = () => {
    const dest = join(work, `kafclaw-${i}`);
    const run = timed([process.execPath, ...kafclawArgv, 'backup', '--dest', dest, '--retain', 'none', '--store', join(work, 'ops.db')]);
    results.kafclaw.push(run.ms);
    if (lastBackup) rmSync(lastBackup, { recursive: true, force: true });
    lastBackup = dest;
  };
  // the pair's order alternates, so neither tool always follows the other's disk writes
  if (i % 2 === 0) {
    runSqlite3();
    runKafclaw();
  } else {
    runKafclaw();
    runSqlite3();
  }
}
const backupDir = join(lastBackup, readdirSync(lastBackup)[0]);
const { verifyBackup } = await import('../../lib/backup/verify.js');
for (let i = 0; i < rounds; i++) {
  const t0 = process.hrtime.bigint();
  const verified = await verifyBackup(backupDir);
  if (!verified.ok) throw new Error(`verify failed: ${JSON.stringify(verified.problems)}`);
  results.verify.push(Number(process.hrtime.bigint() - t0) / 1e6);
  results.sha256sum.push(timed(['sh', '-c', `cd '${backupDir}' && sha256sum timeline.db config.json manifest.json >/dev/null`]).ms);
}
rmSync(work, { recursive: true, force: true });

const mb = bytes / 1048576;
const line = (label, ms) => console.log(`${label.padEnd(44)} median ${(ms / 1000).toFixed(2)} s  (${(mb / (ms / 1000)).toFixed(0)} MiB/s)`);
console.log(`timeline.db: ${mb.toFixed(0)} MiB; ${rounds} rounds, interleaved; ${dropCachesNote}; ${sqlite3.stdout.trim().split(' ')[0]}`);
line('sqlite3 SRC ".backup DST"', median(results.sqlite3));
line(`kafclaw backup (${useDist ? 'dist' : 'tsx'}; snapshot, manifest, verify)`, median(results.kafclaw));
const pairRatios = results.sqlite3.map((ms, i) => ms / results.kafclaw[i]);
console.log(`speed ratio kafclaw/sqlite3: ${median(pairRatios).toFixed(2)} (median of the ${rounds} back-to-back pairs; goal: at least 0.80); ratio of the medians ${(median(results.sqlite3) / median(results.kafclaw)).toFixed(2)}`);
console.log(`  per pair: ${pairRatios.map((r) => r.toFixed(2)).join(', ')}`);
line('restore-test verify (verifyBackup)', median(results.verify));
line('sha256sum of the same files', median(results.sha256sum));
console.log(`raw ms: ${JSON.stringify(Object.fromEntries(Object.entries(results).map(([k, v]) => [k, v.map(Math.round)])))}`);
