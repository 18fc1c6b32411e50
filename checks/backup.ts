import type { Check, Verdict } from './types.js';
import { backupSchedules, type BackupDestFacts, type BackupScheduleFacts, type OpsStoreFacts } from './backup-facts.js';

const HOUR = 3600_000;
export const FRESH_HOURS = 26;
export const RESTORE_TEST_DAYS = 8;

function age(from: string, now: Date): string {
  const hours = (now.getTime() - Date.parse(from)) / HOUR;
  return hours < 48 ? `${hours.toFixed(1)} h` : `${(hours / 24).toFixed(1)} days`;
}

export const backupConfigured: Check = {
  id: 'backup.configured',
  title: 'A scheduled backup of timeline.db runs, into a private destination',
  severity: 'high',
  profiles: ['host', 'go-live'],
  rationale: 'A backup that depends on someone remembering to run it is missing on the day it is needed; a destination others can read leaks the timeline.',
  runbook: '§5',
  needs: ['backup.schedule', 'backup.dest'],
  fixKind: 'provisioner',
  fixSummary: 'Run playbooks/gateway.yml: it installs kafclaw-backup.timer (enabled, active) and /var/backups/kafclaw (kafclaw:kafclaw 0700).',
  run(ctx) {
    const schedule = ctx.facts.get<BackupScheduleFacts>('backup.schedule');
    const dest = ctx.facts.get<BackupDestFacts>('backup.dest');
    const { timers, inactiveTimers, cron } = backupSchedules(schedule);
    const verdicts: Verdict[] = [];
    const how = [...timers.map((t) => `timer ${t.name}`), ...cron.map((c) => `cron (${c.source})`)];
    if (how.length === 0) {
      const inactive = inactiveTimers.map((t) => `${t.name} is ${t.enabled || 'unknown'}/${t.active || 'unknown'}`);
      verdicts.push({
        status: 'fail',
        subject: 'schedule',
        message: `nothing runs \`kafclaw backup\` on a schedule${inactive.length > 0 ? ` (${inactive.join('; ')}: enable and start it)` : ''}${schedule.systemd ? '' : ' (no systemd here; no cron entry either)'}`,
        evidence: { timers: inactiveTimers.map((t) => t.name), systemd: schedule.systemd },
      });
    }
    const evidence = { destination: dest.path, reason: dest.reason, mode: dest.stat ? `0${dest.stat.mode.toString(8)}` : null };
    if (!dest.stat) {
      verdicts.push({ status: 'fail', subject: dest.path, message: `the backup destination ${dest.path} (${dest.reason}) does not exist`, evidence });
    } else if (dest.stat.type !== 'dir') {
      verdicts.push({ status: 'fail', subject: dest.path, message: `the backup destination ${dest.path} is a ${dest.stat.type}, not a directory`, evidence });
    } else if ((dest.stat.mode & 0o077) !== 0) {
      verdicts.push({ status: 'fail', subject: dest.path, message: `the backup destination ${dest.path} has mode 0${dest.stat.mode.toString(8)}; others can reach the backups: chmod 700 ${dest.path}`, evidence });
    }
    if (verdicts.length > 0) return verdicts;
    return { status: 'pass', subject: dest.path, message: `\`kafclaw backup\` runs from ${how.join(', ')} into ${dest.path} (0${dest.stat!.mode.toString(8)})`, evidence: { ...evidence, schedule: how } };
  },
};

export const backupFresh: Check = {
  id: 'backup.fresh',
  title: `The newest verified backup is younger than ${FRESH_HOURS} hours`,
  severity: 'high',
  profiles: ['go-live'],
  rationale: 'A daily backup that silently stopped is found out only when a restore is needed; the store records which backups verified.',
  runbook: '§5',
  needs: ['ops.store'],
  fixKind: 'guided',
  fixSummary: 'Run `kafclaw backup` (as the gateway user) and find out why the scheduled one did not: `systemctl status kafclaw-backup.service`.',
  run(ctx) {
    const store = ctx.facts.get<OpsStoreFacts>('ops.store');
    const newest = store.newestVerifiedBackup;
    if (!newest) {
      return { status: 'fail', subject: store.path, message: store.exists ? `no verified backup recorded in ${store.path}` : `no operations store at ${store.path}: no backup was ever recorded here`, evidence: { store: store.path } };
    }
    const evidence = { store: store.path, backup: newest.path, createdAt: newest.createdAt, encrypted: newest.encrypted };
    const fresh = ctx.now.getTime() - Date.parse(newest.createdAt) < FRESH_HOURS * HOUR;
    return fresh
      ? { status: 'pass', subject: newest.path, message: `the newest verified backup is ${age(newest.createdAt, ctx.now)} old (${newest.name})`, evidence }
      : { status: 'fail', subject: newest.path, message: `the newest verified backup is ${age(newest.createdAt, ctx.now)} old, over ${FRESH_HOURS} h (${newest.name})`, evidence };
  },
};

export const backupRestoreTested: Check = {
  id: 'backup.restore-tested',
  title: `A restore test on a clean target passed in the last ${RESTORE_TEST_DAYS} days`,
  severity: 'high',
  profiles: ['go-live'],
  rationale: 'Only a restore proves a backup: the test restores onto a clean target, checks the database and boots the gateway on it.',
  runbook: '§5',
  needs: ['ops.store'],
  fixKind: 'guided',
  fixSummary: 'Run `kafclaw restore-test --latest` (or the drill on a separate host with `--host`); fix what it names.',
  run(ctx) {
    const store = ctx.facts.get<OpsStoreFacts>('ops.store');
    const passed = store.newestSuccessfulRestoreTest;
    const last = store.newestRestoreTest;
    const lastFailed = last && !last.ok ? `; the last one (${last.startedAt}) failed: ${last.failedSteps.join(', ')}` : '';
    if (!passed) {
      return { status: 'fail', subject: store.path, message: `no successful restore test recorded in ${store.path}${lastFailed}`, evidence: { store: store.path } };
    }
    const evidence = { store: store.path, backup: passed.backupName ?? passed.backupPath, target: passed.target, startedAt: passed.startedAt };
    const recent = ctx.now.getTime() - Date.parse(passed.startedAt) < RESTORE_TEST_DAYS * 24 * HOUR;
    return recent
      ? { status: 'pass', subject: passed.target, message: `a restore test passed ${age(passed.startedAt, ctx.now)} ago on ${passed.target}${lastFailed}`, evidence }
      : { status: 'fail', subject: passed.target, message: `the last successful restore test is ${age(passed.startedAt, ctx.now)} old, over ${RESTORE_TEST_DAYS} days${lastFailed}`, evidence };
  },
};

export const backupChecks: readonly Check[] = [backupConfigured, backupFresh, backupRestoreTested];
