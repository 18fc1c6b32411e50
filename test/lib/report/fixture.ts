// Shared sample data for the reporter suites (not a suite itself).
import type { CheckResult } from '../../../checks/types.js';
import type { CatalogEntry, Report } from '../../../lib/report/index.js';

export const CATALOG: CatalogEntry[] = [
  {
    id: 'gateway.bind-loopback',
    title: 'Gateway binds to loopback',
    severity: 'critical',
    rationale: 'A gateway reachable from the network without a token lets anyone drive the agent.',
    runbook: '§1.2',
    fixSummary: 'bind to 127.0.0.1 when no token is set',
  },
  {
    id: 'secrets.file-permissions',
    title: 'Private files are private',
    severity: 'high',
    rationale: 'Config and timeline hold credentials and conversations.',
    runbook: '§2',
    fixSummary: 'chmod / chown',
  },
  {
    id: 'host.patches',
    title: 'Security updates applied',
    severity: 'medium',
    rationale: 'Unpatched hosts are the easiest way in.',
    runbook: '§1.5',
    fixSummary: 'install pending security updates',
  },
  {
    id: 'access.session-scope',
    title: 'Sessions scoped per room',
    severity: 'medium',
    rationale: 'Shared sessions leak one room into another.',
    runbook: '§4',
    fixSummary: 'set room',
  },
  {
    id: 'monitor.auth-failures',
    title: 'Gateway auth failures',
    severity: 'high',
    rationale: 'Repeated failures are a brute-force attempt.',
    runbook: '§6',
    fixSummary: 'guided',
  },
  {
    id: 'tools.exec-restrict-workspace',
    title: 'Exec restricted to workspace',
    severity: 'critical',
    rationale: 'Unrestricted exec reaches the whole host.',
    runbook: '§2',
    fixSummary: 'set true',
  },
  {
    id: 'backup.fresh',
    title: 'Recent backup',
    severity: 'high',
    rationale: 'Without backups an incident is a loss.',
    runbook: '§5',
    fixSummary: 'run a backup',
  },
];

export function result(partial: Partial<CheckResult> & Pick<CheckResult, 'id' | 'status'>): CheckResult {
  const entry = CATALOG.find((e) => e.id === partial.id);
  return {
    title: entry?.title ?? partial.id,
    severity: entry?.severity ?? 'low',
    message: `${partial.id} is ${partial.status}`,
    durationMs: 3,
    ...partial,
  };
}

/** One result of each status, plus a waived fail, a medium fail and a second host. */
export function sampleResults(): CheckResult[] {
  return [
    result({
      id: 'gateway.bind-loopback',
      status: 'fail',
      message: 'gateway binds 0.0.0.0:18790 with no auth token',
      subject: 'gateway.host',
      evidence: { host: '0.0.0.0', port: 18790, tokenSet: false },
      fix: { kind: 'auto', summary: 'bind to 127.0.0.1 when no token is set' },
    }),
    result({
      id: 'secrets.file-permissions',
      status: 'fail',
      message: 'config.json is readable by others (0644)',
      subject: '/home/kaf claw/.kafclaw/config.json',
      evidence: { mode: '0644' },
      fix: { kind: 'auto', summary: 'chmod / chown' },
    }),
    result({ id: 'access.session-scope', status: 'fail', message: 'slack shares sessions across rooms', subject: 'channels.slack' }),
    result({
      id: 'host.patches',
      status: 'fail',
      message: '3 security updates pending',
      waived: { reason: 'vendor kernel, patched monthly', owner: 'ops@example.org', expires: '2026-12-31' },
    }),
    result({ id: 'monitor.auth-failures', status: 'error', message: 'could not decide: timeline.db is locked' }),
    result({ id: 'backup.fresh', status: 'warn', message: 'newest backup is 20 h old', host: 'gw2' }),
    result({ id: 'tools.exec-restrict-workspace', status: 'pass', message: 'exec is restricted to the workspace' }),
    result({ id: 'host.patches', status: 'skip', message: 'package metadata unavailable', host: 'gw2' }),
  ];
}

export function sampleReport(results: CheckResult[] = sampleResults()): Report {
  return {
    tool: { name: 'kafclaw-hardening', version: '0.1.0' },
    host: 'gw1',
    startedAt: '2026-11-25T02:00:00.000Z',
    durationMs: 1234,
    profile: 'doctor',
    results,
    catalog: CATALOG,
  };
}
