import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Check, CheckContext, Severity, Verdict } from './types.js';
import type { ConfigFact } from './config-fact.js';
import { getPath } from './json-path.js';
import { timelineDb } from './locations.js';
import type { Target } from '../lib/target/types.js';
import { evaluateSignals, monitorThresholds } from '../lib/monitor/signals.js';
import type { MonitorReadings, MonitorThresholds, SignalId } from '../lib/monitor/signals.js';

export const MONITOR_FACT = 'monitor.timeline';

/** The `monitor.timeline` fact: readings of the timeline.db the config points at (null: no database there). */
export interface MonitorTimelineFact {
  file: string;
  thresholds: MonitorThresholds;
  readings: MonitorReadings | null;
}

/**
 * Reads `$HOME/.kafclaw/timeline.db` without changing it: opened read-only in place on this machine;
 * from another host the file and its WAL are copied into a private temporary directory first.
 */
export async function readMonitorFact(target: Target, config: ConfigFact, options: { sudo?: boolean; now?: Date } = {}): Promise<MonitorTimelineFact> {
  const file = timelineDb(config);
  const thresholds = monitorThresholds(getPath(config.fileConfig, 'hardening.monitor'));
  const now = options.now ?? new Date();
  // The reader loads the native SQLite addon: only when the monitor checks run.
  const { readMonitorFile } = await import('../lib/monitor/read.js');
  if (target.kind === 'local') return { file, thresholds, readings: readMonitorFile(file, now, thresholds.windowHours) };
  const main = await target.readFile(file, { sudo: options.sudo ?? false });
  if (!main) return { file, thresholds, readings: null };
  const wal = await target.readFile(`${file}-wal`, { sudo: options.sudo ?? false });
  const dir = mkdtempSync(join(tmpdir(), 'kafclaw-monitor-'));
  try {
    const copy = join(dir, 'timeline.db');
    writeFileSync(copy, main, { mode: 0o600 });
    if (wal && wal.length > 0) writeFileSync(`${copy}-wal`, wal, { mode: 0o600 });
    return { file, thresholds, readings: readMonitorFile(copy, now, thresholds.windowHours) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

interface SignalCheckSpec {
  signal: SignalId;
  title: string;
  severity: Severity;
  rationale: string;
  fixSummary: string;
}

function signalCheck(spec: SignalCheckSpec): Check {
  return {
    id: `monitor.${spec.signal}`,
    title: spec.title,
    severity: spec.severity,
    profiles: ['monitor', 'go-live'],
    rationale: spec.rationale,
    runbook: '§6',
    needs: [MONITOR_FACT],
    fixKind: 'guided',
    fixSummary: spec.fixSummary,
    run(ctx: CheckContext): Verdict {
      const fact = ctx.facts.get<MonitorTimelineFact>(MONITOR_FACT);
      if (!fact.readings) return { status: 'skip', message: `no timeline database at ${fact.file}: the gateway has not run here`, subject: fact.file };
      const signal = evaluateSignals(fact.readings, fact.thresholds).find((s) => s.id === spec.signal)!;
      const evidence = {
        threshold: signal.threshold,
        observed: signal.observed,
        verdict: signal.verdict,
        windowHours: fact.readings.windowHours,
        database: fact.file,
        ...(signal.subject ? { subject: signal.subject } : {}),
        ...(fact.readings.missingTables.length > 0 ? { missingTables: fact.readings.missingTables } : {}),
      };
      const status = signal.verdict === 'alert' ? 'fail' : signal.verdict === 'no-baseline' ? 'skip' : 'pass';
      return { status, message: signal.detail, subject: fact.file, evidence };
    },
  };
}

export const monitorChecks: readonly Check[] = [
  signalCheck({
    signal: 'token-usage-spike',
    title: "Today's token use stays within a multiple of the 7-day median",
    severity: 'medium',
    rationale: 'A sudden jump in token use is how a runaway loop, a prompt injection or a stolen provider key first shows.',
    fixSummary: "Look at today's tasks (kafclaw timeline, tasks by sender and channel); rotate the provider key if the use is not yours.",
  }),
  signalCheck({
    signal: 'unknown-senders',
    title: 'Unauthorized inbound messages stay below the threshold',
    severity: 'medium',
    rationale: 'Many messages from senders the access policy refused mean the bot is being probed or its address has leaked.',
    fixSummary: 'Review the refused senders in the timeline; tighten the channel policy or disable the channel if the traffic is hostile.',
  }),
  signalCheck({
    signal: 'high-risk-tool-attempts',
    title: 'No sender or session repeatedly asks for denied high-risk tools',
    severity: 'high',
    rationale: 'Repeated attempts to reach exec or other tier-2 tools from one sender or session are the signature of a prompt-injection attack.',
    fixSummary: 'Inspect the sender and session named in the evidence; remove the sender from allowFrom and tighten the tool policy.',
  }),
  signalCheck({
    signal: 'auth-failures',
    title: 'Gateway authentication failures per address stay below the threshold',
    severity: 'high',
    rationale: 'Many failed bearer tokens from one address is a token-guessing attempt, or a client with a stale token after a rotation.',
    fixSummary: 'Identify the address in the evidence; block it at the firewall, or update the client if it holds an old token.',
  }),
];
