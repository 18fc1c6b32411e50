import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { chmodSync, mkdirSync } from 'node:fs';
import { fixtureHome, type FixtureHome } from './fixture-home.js';
import { backupSchedules, destOf, parseBackupSchedule } from '../../checks/backup-facts.js';
import { openStore, recordBackup, recordRestoreTest, type BackupRecord, type RestoreTestRecord } from '../../lib/store/index.js';
import type { CheckResult } from '../../checks/types.js';

const test = suite('backup checks');
const IDS = ['backup.fresh', 'backup.restore-tested'];
const now = new Date('2026-11-25T12:00:00.000Z');
const hoursAgo = (h: number) => new Date(now.getTime() - h * 3600_000).toISOString();

function backup(createdAt: string, verified = true): BackupRecord {
  return { host: 'gw1', path: `/b/${createdAt}`, name: `kafclaw-backup-${createdAt}`, createdAt, sizeBytes: 1, manifestSha256: 'a'.repeat(64), encrypted: false, verified, verifiedAt: verified ? createdAt : null };
}
function restoreRun(startedAt: string, ok: boolean): RestoreTestRecord {
  return { host: 'gw1', backupPath: '/b/x', backupName: 'x', manifestSha256: null, target: 'local-temp', startedAt, durationMs: 10, ok, failedSteps: ok ? [] : ['database.integrity_check'], steps: [] };
}

let home: FixtureHome;
test.before.each(() => {
  home = fixtureHome({});
});
test.after.each(() => home.cleanup());

function withStore(fill: (store: ReturnType<typeof openStore>) => void): void {
  const store = openStore(home.path('.kafclaw/ops.db'));
  try {
    fill(store);
  } finally {
    store.close();
  }
}
const statusOf = (results: CheckResult[], id: string) => results.find((r) => r.id === id)?.status;

test('no store at all: both evidence checks fail and say why', async () => {
  const results = await home.results(IDS, { profile: 'go-live', now });
  assert.is(statusOf(results, 'backup.fresh'), 'fail');
  assert.match(results.find((r) => r.id === 'backup.fresh')!.message, /no operations store/);
  assert.is(statusOf(results, 'backup.restore-tested'), 'fail');
});

test('a verified backup 25 h old is fresh, 27 h old is not; an unverified newer one does not count', async () => {
  withStore((s) => recordBackup(s, backup(hoursAgo(25))));
  assert.is(statusOf(await home.results(IDS, { profile: 'go-live', now }), 'backup.fresh'), 'pass');
  withStore((s) => s.db.exec('DELETE FROM backups'));
  withStore((s) => {
    recordBackup(s, backup(hoursAgo(27)));
    recordBackup(s, backup(hoursAgo(1), false));
  });
  const results = await home.results(IDS, { profile: 'go-live', now });
  assert.is(statusOf(results, 'backup.fresh'), 'fail');
  assert.match(results.find((r) => r.id === 'backup.fresh')!.message, /27\.0 h old, over 26 h/);
});

test('a passed restore test within 8 days passes; older fails; only failures fail and name the failed step', async () => {
  withStore((s) => recordRestoreTest(s, restoreRun(hoursAgo(7 * 24), true)));
  assert.is(statusOf(await home.results(IDS, { profile: 'go-live', now }), 'backup.restore-tested'), 'pass');
  withStore((s) => s.db.exec('DELETE FROM restore_tests'));
  withStore((s) => {
    recordRestoreTest(s, restoreRun(hoursAgo(9 * 24), true));
    recordRestoreTest(s, restoreRun(hoursAgo(1), false));
  });
  const results = await home.results(IDS, { profile: 'go-live', now });
  const verdict = results.find((r) => r.id === 'backup.restore-tested')!;
  assert.is(verdict.status, 'fail');
  assert.match(verdict.message, /9\.0 days old/);
  assert.match(verdict.message, /failed: database\.integrity_check/);
});

test('the schedule parser finds timers and cron lines that run kafclaw backup, with their --dest', () => {
  const facts = parseBackupSchedule([
    '@@systemd',
    '@@timer kafclaw-backup.timer enabled active kafclaw-backup.service',
    'ExecStart=/opt/kafclaw/current/bin/kafclaw backup --dest /srv/bk',
    '@@timer kafclaw-restore-test.timer enabled active kafclaw-restore-test.service',
    'ExecStart=/opt/kafclaw/current/bin/kafclaw restore-test --latest --dest /var/backups/kafclaw',
    '@@timer old-backup.timer disabled inactive old-backup.service',
    'ExecStart=/usr/bin/kafclaw backup',
    '@@cron /etc/crontab',
    'SHELL=/bin/sh',
    '# 0 3 * * * root kafclaw backup',
    '17 * * * * root cd / && run-parts --report /etc/cron.hourly',
    '@@cron user kafclaw',
    '30 2 * * * kafclaw backup --dest=/var/backups/kafclaw',
  ].join('\n'));
  const found = backupSchedules(facts);
  assert.equal(found.timers.map((t) => t.name), ['kafclaw-backup.timer']);
  assert.equal(found.inactiveTimers.map((t) => t.name), ['old-backup.timer']);
  assert.equal(found.cron, [{ source: 'user kafclaw', line: '30 2 * * * kafclaw backup --dest=/var/backups/kafclaw' }]);
  assert.is(destOf(found.timers[0]!.execStart[0]!), '/srv/bk');
  assert.is(destOf(found.cron[0]!.line), '/var/backups/kafclaw');
  assert.is(destOf('kafclaw backup'), null);
});

test('backup.configured locally: no schedule fails; the destination must be private', async () => {
  const results = await home.results('backup.configured', { profile: 'go-live', now });
  assert.ok(results.length >= 1);
  assert.ok(results.every((r) => r.status === 'fail'), JSON.stringify(results));
  assert.ok(results.some((r) => /nothing runs `kafclaw backup`/.test(r.message)));
  mkdirSync(home.path('.kafclaw/backups'), { recursive: true });
  chmodSync(home.path('.kafclaw/backups'), 0o755);
  const wide = await home.results('backup.configured', { profile: 'go-live', now });
  if (!wide.some((r) => r.evidence?.destination === '/var/backups/kafclaw')) {
    assert.ok(wide.some((r) => /mode 0755/.test(r.message)), JSON.stringify(wide));
  }
});

test.run();
