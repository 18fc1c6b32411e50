// `kafclaw backup` while a real `kafclaw gateway` (its own process) takes inbound messages at a
// steady rate: the snapshot is one point in the gateway's history (a prefix of every table's rows),
// with no torn rows, and `kafclaw restore-test` accepts it.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { generateToken } from '../../lib/secrets/index.js';
import { fixtureHome, type FixtureHome } from '../checks/fixture-home.js';

const test = suite('backup while the gateway writes');
const root = fileURLToPath(new URL('../..', import.meta.url));
const CHANNEL_TOKEN = generateToken().reveal();

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function runCli(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['dist/bin/kafclaw.js', ...args], { cwd: root, env: { ...env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Rows of the gateway's timeline made big enough that the backup copy takes a while. */
function grow(dbPath: string, rows: number): void {
  const db = new Database(dbPath);
  db.pragma('busy_timeout = 5000');
  const insert = db.prepare(
    "INSERT INTO timeline (event_id, trace_id, timestamp, sender_id, event_type, content_text, classification, authorized) VALUES (?, ?, datetime('now'), 'seed', 'TEXT', ?, 'INBOUND', 1)",
  );
  const filler = 'x'.repeat(900);
  db.transaction(() => {
    for (let i = 0; i < rows; i++) insert.run(randomUUID(), randomUUID(), filler);
  })();
  db.close();
}

const ids = (db: Database.Database, table: string): number[] => (db.prepare(`SELECT id FROM ${table} ORDER BY id`).pluck().all() as number[]);

let home: FixtureHome;
let gateway: ChildProcess | null = null;
test.after.each(() => {
  gateway?.kill('SIGKILL');
  gateway = null;
  home?.cleanup();
});

test('a backup under steady gateway writes is a prefix of its history, consistent, and restore-test passes', async () => {
  const [port, dashboardPort] = [await freePort(), await freePort()];
  const token = generateToken().reveal();
  home = fixtureHome(
    {
      gateway: { port, dashboardPort },
      channels: { slack: { enabled: true, allowFrom: ['u1'], dmPolicy: 'allowlist', inboundToken: CHANNEL_TOKEN } },
    },
    { KAFCLAW_GATEWAY_AUTH_TOKEN: token },
  );
  gateway = spawn(process.execPath, ['dist/bin/kafclaw.js', 'gateway'], { cwd: root, env: home.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  gateway.stderr!.on('data', (chunk) => (log += chunk));
  const deadline = Date.now() + 20_000;
  while (!log.includes('listening') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  assert.match(log, /listening/);
  const dbPath = join(home.env.HOME!, '.kafclaw', 'timeline.db');
  grow(dbPath, 60_000);

  // A steady writer: one inbound message every 2 ms, each a transaction of the gateway's own.
  let sent = 0;
  let failures = 0;
  let writing = true;
  const writer = (async () => {
    while (writing) {
      const response = await fetch(`http://127.0.0.1:${port}/api/v1/channels/slack/inbound`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'x-channel-token': CHANNEL_TOKEN, 'content-type': 'application/json' },
        body: JSON.stringify({ sender_id: 'u1', text: `message ${sent}`, chat_id: 'D1' }),
      }).catch(() => null);
      if (response?.ok) sent++;
      else failures++;
      await response?.text();
      await new Promise((r) => setTimeout(r, 2));
    }
  })();
  await new Promise((r) => setTimeout(r, 300));
  const sentBefore = sent;
  const dest = join(home.env.HOME!, 'backups');
  const backup = await runCli(['backup', '--dest', dest, '--retain', 'none'], home.env);
  const sentDuring = sent - sentBefore;
  await new Promise((r) => setTimeout(r, 300));
  writing = false;
  await writer;
  assert.is(backup.code, 0, backup.stdout + backup.stderr);
  assert.is(failures, 0, `${failures} inbound requests failed; gateway log:\n${log}`);
  assert.ok(sentDuring > 0, 'the gateway took no message while the backup ran');
  console.log(`    ${sent} messages in all, ${sentDuring} while the backup ran`);

  const [name] = readdirSync(dest).filter((entry) => entry.startsWith('kafclaw-backup-'));
  const snapshot = new Database(join(dest, name!, 'timeline.db'), { readonly: true });
  const live = new Database(dbPath, { readonly: true });
  try {
    assert.is(snapshot.pragma('integrity_check', { simple: true }), 'ok');
    assert.equal(snapshot.pragma('foreign_key_check'), []);
    for (const table of ['timeline', 'tasks', 'policy_decisions']) {
      const got = ids(snapshot, table);
      const history = ids(live, table);
      const last = got.at(-1) ?? 0;
      assert.equal(got, history.filter((id) => id <= last), `${table}: the snapshot is not a prefix of the gateway's history`);
    }
    const inSnapshot = ids(snapshot, 'timeline').length;
    assert.ok(inSnapshot > 60_000 && inSnapshot < ids(live, 'timeline').length, `snapshot timeline rows ${inSnapshot}: taken mid-stream`);
    const orphanTasks = snapshot.prepare('SELECT count(*) FROM tasks WHERE trace_id NOT IN (SELECT trace_id FROM timeline WHERE trace_id IS NOT NULL)').pluck().get();
    assert.is(orphanTasks, 0, 'a task without its inbound event: a torn write');
  } finally {
    snapshot.close();
    live.close();
  }

  const restore = await runCli(['restore-test', join(dest, name!)], home.env);
  assert.is(restore.code, 0, restore.stdout + restore.stderr);
  assert.match(restore.stdout, /restore-test passed/);
});

test.run();
