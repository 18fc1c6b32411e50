import { test } from 'uvu';
import * as assert from 'uvu/assert';
import Database from 'better-sqlite3';
import { existsSync, readFileSync } from 'node:fs';
import { monitorChecks, readMonitorFact } from '../../checks/monitor.js';
import { loadConfig } from '../../lib/config/index.js';
import { LocalTarget } from '../../lib/target/local.js';
import type { Target } from '../../lib/target/types.js';
import { TimelineStore } from '../../runtime/timeline/store.js';
import { fixtureHome, statuses } from './fixture-home.js';

const IDS = ['monitor.token-usage-spike', 'monitor.unknown-senders', 'monitor.high-risk-tool-attempts', 'monitor.auth-failures'];
const CONFIG = { gateway: { host: '127.0.0.1' }, hardening: { monitor: { unknownSenderEvents: 3 } } };

test('ids, severities and profiles follow the catalog', () => {
  assert.equal(monitorChecks.map((c) => [c.id, c.severity]), [
    ['monitor.token-usage-spike', 'medium'],
    ['monitor.unknown-senders', 'medium'],
    ['monitor.high-risk-tool-attempts', 'high'],
    ['monitor.auth-failures', 'high'],
  ]);
  assert.ok(monitorChecks.every((c) => c.profiles.join() === 'monitor,go-live' && c.needs.join() === 'monitor.timeline'));
});

test('no timeline.db: every signal is skipped with the path as the reason, and no file is created', async () => {
  const home = fixtureHome(CONFIG);
  try {
    const results = await home.results(IDS);
    assert.equal(statuses(results), ['skip', 'skip', 'skip', 'skip']);
    assert.match(results[0]!.message, `no timeline database at ${home.path('.kafclaw/timeline.db')}`);
    assert.not.ok(existsSync(home.path('.kafclaw/timeline.db')));
  } finally {
    home.cleanup();
  }
});

test("the gateway's own timeline.db: the same verdicts as its signals endpoint, thresholds from hardening.monitor, read-only", async () => {
  const home = fixtureHome(CONFIG);
  const timeline = TimelineStore.open(home.path('.kafclaw'));
  try {
    const yesterday = new Date(Date.now() - 86_400_000);
    timeline.startTask({ taskId: 'a', traceId: 't', channel: 'slack', senderId: 'u', contentIn: 'x', messageType: 'external', providerId: 'offline', modelName: 'm', at: yesterday });
    timeline.finishTask('a', { status: 'completed', totalTokens: 100, at: yesterday });
    timeline.startTask({ taskId: 'b', traceId: 't', channel: 'slack', senderId: 'u', contentIn: 'x', messageType: 'external', providerId: 'offline', modelName: 'm' });
    timeline.finishTask('b', { status: 'completed', totalTokens: 250 });
    for (const sender of ['s1', 's2', 's3', 's4']) timeline.record({ eventType: 'TEXT', classification: 'ACCESS_DENIED', senderId: sender, authorized: false });
    for (let i = 0; i < 11; i++) timeline.record({ eventType: 'SECURITY', classification: 'AUTH_FAILURE', senderId: '203.0.113.7', authorized: false });
    timeline.recordPolicyDecision({ tool: 'exec', tier: 2, sender: 'u', channel: 'slack', allowed: false, reason: 'tier_2_denied_for_external_message' });
    const results = await home.results(IDS);
    assert.equal(statuses(results), ['pass', 'fail', 'pass', 'fail']);
    const byId = Object.fromEntries(results.map((r) => [r.id, r]));
    assert.equal([byId['monitor.unknown-senders']!.evidence!.observed, byId['monitor.unknown-senders']!.evidence!.threshold], [4, 3]);
    assert.equal([byId['monitor.auth-failures']!.evidence!.observed, byId['monitor.auth-failures']!.evidence!.subject], [11, '203.0.113.7']);
    assert.equal([byId['monitor.token-usage-spike']!.evidence!.observed, byId['monitor.token-usage-spike']!.evidence!.threshold], [250, 300]);
    assert.is(byId['monitor.auth-failures']!.severity, 'high');
    assert.ok(byId['monitor.auth-failures']!.fix);
  } finally {
    timeline.close();
    home.cleanup();
  }
});

test("a KafClaw database copied from another host (its WAL included) is read from a private copy", async () => {
  const home = fixtureHome(CONFIG);
  const file = home.path('.kafclaw/timeline.db');
  home.write('.kafclaw/placeholder', '');
  const writer = new Database(file);
  try {
    writer.pragma('journal_mode = WAL');
    writer.pragma('wal_autocheckpoint = 0');
    writer.exec(`CREATE TABLE timeline (id INTEGER PRIMARY KEY, event_id TEXT, timestamp DATETIME, sender_id TEXT, event_type TEXT,
      classification TEXT, authorized BOOLEAN DEFAULT 1, metadata TEXT)`);
    const insert = writer.prepare(`INSERT INTO timeline (event_id, timestamp, sender_id, event_type, classification, authorized) VALUES (?, ?, ?, 'TEXT', 'AUTH_TOKEN_SUBMITTED', 0)`);
    const goTime = (d: Date) => d.toISOString().replace('T', ' ').replace('Z', '123456+00:00');
    for (let i = 0; i < 5; i++) insert.run(`e${i}`, goTime(new Date(Date.now() - i * 60_000)), `49170000${i}`);
    assert.ok(readFileSync(`${file}-wal`).length > 0, 'the rows are still in the WAL');

    const reads: string[] = [];
    const local = new LocalTarget();
    const remote = {
      kind: 'ssh',
      readFile: async (path: string) => {
        reads.push(path);
        return local.readFile(path);
      },
    } as unknown as Target;
    const config = await loadConfig({ env: home.env, cwd: home.home });
    const fact = await readMonitorFact(remote, config);
    assert.equal(reads, [file, `${file}-wal`]);
    assert.is(fact.file, file);
    assert.equal([fact.readings!.unknownSenderEvents, fact.readings!.unknownSenders], [5, 5]);
    assert.equal(fact.readings!.missingTables, ['tasks', 'policy_decisions']);
    assert.is(fact.thresholds.unknownSenderEvents, 3);
  } finally {
    writer.close();
    home.cleanup();
  }
});

test.run();
