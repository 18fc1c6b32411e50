import { posix } from 'node:path';
import type { FactProbe } from '../lib/facts/types.js';
import type { FactSnapshot } from '../lib/facts/snapshot.js';
import { FactError } from '../lib/facts/snapshot.js';
import type { FileStat, Target } from '../lib/target/types.js';
import { SYSTEM_BACKUP_DIR, userBackupDir } from '../lib/backup/locations.js';
import type { BackupRecord, RestoreTestRecord } from '../lib/store/index.js';
import type { ServiceEnvironment } from './kafclaw.js';
import { serviceHomeIn } from './locations.js';

/** A systemd timer and what its service runs. */
export interface TimerFacts {
  name: string;
  enabled: string;
  active: string;
  service: string;
  execStart: string[];
}

export interface BackupScheduleFacts {
  systemd: boolean;
  timers: TimerFacts[];
  /** Non-comment cron lines with where they are (`/etc/crontab`, `/etc/cron.d/x`, `user kafclaw`). */
  cron: Array<{ source: string; line: string }>;
}

export interface BackupDestFacts {
  path: string;
  /** Why this is the destination: the schedule's `--dest`, or the default rule. */
  reason: string;
  stat: FileStat | null;
}

export interface OpsStoreFacts {
  path: string;
  exists: boolean;
  newestVerifiedBackup: BackupRecord | null;
  newestSuccessfulRestoreTest: RestoreTestRecord | null;
  newestRestoreTest: RestoreTestRecord | null;
}

const KAFCLAW_BACKUP = /\bkafclaw(?:\.js)?\s+backup(?:\s|$)/;

/** Every timer with its service's ExecStart lines, and the cron tables (system and per user). Needs root for other users' crontabs. */
export const backupScheduleProbe: FactProbe<BackupScheduleFacts> = {
  key: 'backup.schedule',
  root: true,
  script: [
    'if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then',
    '  echo @@systemd',
    '  for t in $(systemctl list-unit-files --type=timer --no-legend --no-pager 2>/dev/null | awk \'{print $1}\'); do',
    '    svc=$(systemctl show -p Unit --value "$t" 2>/dev/null)',
    '    echo "@@timer $t $(systemctl is-enabled "$t" 2>/dev/null || true) $(systemctl is-active "$t" 2>/dev/null || true) $svc"',
    '    systemctl cat "$svc" 2>/dev/null | grep -E \'^[[:space:]]*ExecStart=\' || true',
    '  done',
    'fi',
    'for f in /etc/crontab /etc/cron.d/*; do [ -f "$f" ] && { echo "@@cron $f"; cat "$f"; }; done',
    'for f in /var/spool/cron/crontabs/*; do [ -f "$f" ] && { echo "@@cron user ${f##*/}"; cat "$f"; }; done',
    'true',
  ].join('\n'),
  parse: (text) => parseBackupSchedule(text),
};

/** Pure: the probe's output as timers and cron lines. */
export function parseBackupSchedule(text: string): BackupScheduleFacts {
  const facts: BackupScheduleFacts = { systemd: false, timers: [], cron: [] };
  let timer: TimerFacts | null = null;
  let cronSource: string | null = null;
  for (const line of text.split('\n')) {
    if (line === '@@systemd') {
      facts.systemd = true;
      continue;
    }
    const timerHead = /^@@timer (\S+) (\S*) (\S*) ?(\S*)$/.exec(line);
    if (timerHead) {
      timer = { name: timerHead[1]!, enabled: timerHead[2]!, active: timerHead[3]!, service: timerHead[4] ?? '', execStart: [] };
      facts.timers.push(timer);
      cronSource = null;
      continue;
    }
    const cronHead = /^@@cron (.+)$/.exec(line);
    if (cronHead) {
      cronSource = cronHead[1]!;
      timer = null;
      continue;
    }
    if (timer && /^\s*ExecStart=/.test(line)) timer.execStart.push(line.replace(/^\s*ExecStart=/, '').trim());
    else if (cronSource && line.trim() && !/^\s*#/.test(line) && !/^\s*[A-Za-z_][A-Za-z0-9_]*=/.test(line)) facts.cron.push({ source: cronSource, line: line.trim() });
  }
  return facts;
}

/** The timers and cron lines that run `kafclaw backup`; a timer counts only when enabled and active. */
export function backupSchedules(facts: BackupScheduleFacts): { timers: TimerFacts[]; inactiveTimers: TimerFacts[]; cron: BackupScheduleFacts['cron'] } {
  const runsBackup = facts.timers.filter((t) => t.execStart.some((cmd) => KAFCLAW_BACKUP.test(cmd)));
  const live = runsBackup.filter((t) => t.enabled === 'enabled' && t.active === 'active');
  return { timers: live, inactiveTimers: runsBackup.filter((t) => !live.includes(t)), cron: facts.cron.filter((c) => KAFCLAW_BACKUP.test(c.line)) };
}

/** `--dest DIR` / `--dest=DIR` in a command line. */
export function destOf(command: string): string | null {
  const match = /--dest(?:=|\s+)("[^"]+"|'[^']+'|\S+)/.exec(command);
  return match ? match[1]!.replace(/^["']|["']$/g, '') : null;
}

/** The gateway user's HOME, from the service environment (this process's locally when it is unknown), by serviceHomeIn's rule. */
export function serviceHome(target: Target, snapshot: FactSnapshot): string {
  let environment: ServiceEnvironment | undefined;
  try {
    environment = snapshot.has('env.service') ? snapshot.get<ServiceEnvironment>('env.service') : undefined;
  } catch {
    environment = undefined;
  }
  const home = environment ? environment.assignments.filter((a) => a.name === 'HOME').at(-1)?.value : target.kind === 'local' ? process.env.HOME : undefined;
  return serviceHomeIn({ HOME: home }, target);
}

/**
 * `backup.dest`: the schedule's `--dest`, else the default rule of `kafclaw backup` for the gateway's
 * user. (`ops.store` is read with the other store facts, checks/store-facts.ts.)
 */
export async function collectBackupFacts(target: Target, needs: ReadonlySet<string>, snapshot: FactSnapshot, sudo: boolean): Promise<void> {
  const home = serviceHome(target, snapshot);
  if (needs.has('backup.dest')) {
    try {
      const schedule = snapshot.get<BackupScheduleFacts>('backup.schedule');
      const { timers, cron } = backupSchedules(schedule);
      const given = [...timers.flatMap((t) => t.execStart), ...cron.map((c) => c.line)].map(destOf).find((d) => d !== null);
      let path: string;
      let reason: string;
      if (given) {
        path = posix.resolve(home, given);
        reason = 'the --dest of the scheduled backup';
      } else if (await target.stat(SYSTEM_BACKUP_DIR, { sudo })) {
        path = SYSTEM_BACKUP_DIR;
        reason = 'the system default (it exists)';
      } else {
        path = userBackupDir(home);
        reason = `the default for a user whose home is ${home}`;
      }
      snapshot.set('backup.dest', { path, reason, stat: await target.stat(path, { sudo }) } satisfies BackupDestFacts);
    } catch (error) {
      snapshot.set('backup.dest', new FactError('backup.dest', (error as Error).message));
    }
  }
}
