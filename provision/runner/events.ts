import type { Change } from '../../lib/resources/index.js';

export type TaskStatus = 'ok' | 'changed' | 'failed' | 'skipped';

/** What the runner reports as it goes; every text is already free of secrets (changes show hashes or `(secret)`). */
export type RunEvent =
  | { type: 'play'; play: string; hosts: string[] }
  | { type: 'host'; play: string; host: string; login: string; bootstrap: boolean; connectMs: number }
  | { type: 'facts'; play: string; host: string; probes: number; ms: number }
  | { type: 'task'; play: string; host: string; task: string; index: number; status: TaskStatus; changes: Change[]; check: boolean; message?: string; reason?: string }
  | { type: 'handler'; play: string; host: string; handler: string; status: TaskStatus; changes: Change[]; check: boolean; message?: string; pendingFromEarlierRun: boolean }
  | { type: 'unreachable'; play: string; host: string; step: string; message: string }
  | { type: 'host-done'; play: string; host: string; ms: number }
  | { type: 'note'; host?: string; message: string };

export interface HostTotals {
  ok: number;
  changed: number;
  failed: number;
  unreachable: boolean;
}

export interface RunSummary {
  schemaVersion: 1;
  hosts: Record<string, HostTotals>;
}

/** Counts per host, Ansible's recap: a skipped task counts as neither. */
export function tally(events: readonly RunEvent[]): RunSummary {
  const hosts: Record<string, HostTotals> = {};
  const of = (host: string) => (hosts[host] ??= { ok: 0, changed: 0, failed: 0, unreachable: false });
  for (const event of events) {
    if (event.type === 'task' || event.type === 'handler') {
      const totals = of(event.host);
      if (event.status === 'ok') totals.ok++;
      else if (event.status === 'changed') totals.changed++;
      else if (event.status === 'failed') totals.failed++;
    } else if (event.type === 'unreachable') of(event.host).unreachable = true;
    else if (event.type === 'host') of(event.host);
  }
  return { schemaVersion: 1, hosts };
}

/** cli.md: 3 when a host was unreachable, 1 when a change failed, else 0. */
export function exitCodeOf(summary: RunSummary): 0 | 1 | 3 {
  const totals = Object.values(summary.hosts);
  if (totals.some((t) => t.unreachable)) return 3;
  if (totals.some((t) => t.failed > 0)) return 1;
  return 0;
}
