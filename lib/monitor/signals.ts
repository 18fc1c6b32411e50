/**
 * The runbook's four monitoring signals (§6) as pure verdicts over readings of a timeline database.
 * The gateway's `/api/v1/security/signals` and the `monitor.*` checks both call `evaluateSignals`.
 */

export type SignalId = 'token-usage-spike' | 'unknown-senders' | 'high-risk-tool-attempts' | 'auth-failures';

/** `alert` when observed exceeds threshold; `no-baseline` when there is nothing to compare with yet. */
export type SignalVerdict = 'ok' | 'alert' | 'no-baseline';

export interface Signal {
  id: SignalId;
  threshold: number;
  observed: number;
  verdict: SignalVerdict;
  /** One sentence for a person: what was measured and over which window. Never a secret. */
  detail: string;
  /** Who crossed the line (a sender, a session, an address), when one did. */
  subject?: string;
}

export interface MonitorThresholds {
  /** Today's tokens alert above this multiple of the trailing 7-day median. */
  tokenSpikeMultiple: number;
  /** Window for the three count signals. */
  windowHours: number;
  /** Unauthorized inbound events in the window. */
  unknownSenderEvents: number;
  /** Denied tier-2 tool attempts by one sender or one session in the window. */
  deniedHighTierAttempts: number;
  /** Gateway auth failures from one address in the window. */
  authFailuresPerAddress: number;
}

export const DEFAULT_MONITOR_THRESHOLDS: MonitorThresholds = {
  tokenSpikeMultiple: 3,
  windowHours: 24,
  unknownSenderEvents: 10,
  deniedHighTierAttempts: 2,
  authFailuresPerAddress: 10,
};

/** A count per subject (sender, session key or address), largest first. */
export interface CountBy {
  subject: string;
  count: number;
}

/** What `readMonitorReadings` takes from a timeline database; plain data, so a check can carry it as a fact. */
export interface MonitorReadings {
  /** ISO time the readings were taken at. */
  at: string;
  windowHours: number;
  /** Sum of `tasks.total_tokens` created today (UTC date), as KafClaw counts its daily quota. */
  tokensToday: number;
  /** Total tokens per UTC day for the 7 days before today that had any task; oldest first. */
  trailingDailyTokens: number[];
  unknownSenderEvents: number;
  unknownSenders: number;
  /** Denied tier ≥ 2 tool decisions per sender, and per session where the timeline names one. */
  deniedHighTierBySender: CountBy[];
  deniedHighTierBySession: CountBy[];
  authFailuresByAddress: CountBy[];
  /** Core tables the database lacks; their signals read as zero. */
  missingTables: string[];
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function top(counts: readonly CountBy[]): CountBy | undefined {
  return counts.reduce<CountBy | undefined>((best, c) => (!best || c.count > best.count ? c : best), undefined);
}

const hours = (n: number) => (n === 1 ? '1 h' : `${n} h`);

export function tokenUsageSpike(readings: MonitorReadings, thresholds: MonitorThresholds): Signal {
  const baseline = median(readings.trailingDailyTokens);
  const threshold = Math.round(baseline * thresholds.tokenSpikeMultiple);
  const observed = readings.tokensToday;
  if (readings.trailingDailyTokens.length === 0 || baseline === 0) {
    return {
      id: 'token-usage-spike', threshold, observed, verdict: 'no-baseline',
      detail: `${observed} tokens today; no token use in the previous 7 days to compare with`,
    };
  }
  return {
    id: 'token-usage-spike', threshold, observed, verdict: observed > threshold ? 'alert' : 'ok',
    detail: `${observed} tokens today against ${thresholds.tokenSpikeMultiple}× the 7-day median of ${baseline} ` +
      `(${readings.trailingDailyTokens.length} day(s) with use)`,
  };
}

export function unknownSenders(readings: MonitorReadings, thresholds: MonitorThresholds): Signal {
  const observed = readings.unknownSenderEvents;
  return {
    id: 'unknown-senders', threshold: thresholds.unknownSenderEvents, observed,
    verdict: observed > thresholds.unknownSenderEvents ? 'alert' : 'ok',
    detail: `${observed} unauthorized inbound event(s) from ${readings.unknownSenders} sender(s) in the last ${hours(readings.windowHours)}`,
  };
}

export function highRiskToolAttempts(readings: MonitorReadings, thresholds: MonitorThresholds): Signal {
  const sender = top(readings.deniedHighTierBySender);
  const session = top(readings.deniedHighTierBySession);
  const worst = session && (!sender || session.count > sender.count) ? { ...session, kind: 'session' } : sender ? { ...sender, kind: 'sender' } : undefined;
  const observed = worst?.count ?? 0;
  const verdict = observed > thresholds.deniedHighTierAttempts ? 'alert' : 'ok';
  return {
    id: 'high-risk-tool-attempts', threshold: thresholds.deniedHighTierAttempts, observed, verdict,
    detail: worst
      ? `at most ${observed} denied high-risk tool attempt(s) by one ${worst.kind} (${worst.subject}) in the last ${hours(readings.windowHours)}`
      : `no denied high-risk tool attempts in the last ${hours(readings.windowHours)}`,
    ...(worst && verdict === 'alert' ? { subject: worst.subject } : {}),
  };
}

export function authFailures(readings: MonitorReadings, thresholds: MonitorThresholds): Signal {
  const worst = top(readings.authFailuresByAddress);
  const observed = worst?.count ?? 0;
  const verdict = observed > thresholds.authFailuresPerAddress ? 'alert' : 'ok';
  return {
    id: 'auth-failures', threshold: thresholds.authFailuresPerAddress, observed, verdict,
    detail: worst
      ? `at most ${observed} gateway auth failure(s) from one address (${worst.subject}) in the last ${hours(readings.windowHours)}, ` +
        `${readings.authFailuresByAddress.length} address(es) in all`
      : `no gateway auth failures in the last ${hours(readings.windowHours)}`,
    ...(worst && verdict === 'alert' ? { subject: worst.subject } : {}),
  };
}

/** The four signals in the runbook's order. Pure. */
export function evaluateSignals(readings: MonitorReadings, thresholds: MonitorThresholds = DEFAULT_MONITOR_THRESHOLDS): Signal[] {
  return [
    tokenUsageSpike(readings, thresholds),
    unknownSenders(readings, thresholds),
    highRiskToolAttempts(readings, thresholds),
    authFailures(readings, thresholds),
  ];
}

/**
 * Thresholds from config.json's `hardening.monitor` section (KafClaw ignores it); values that are
 * not positive numbers keep their defaults. Pure.
 */
export function monitorThresholds(section: unknown): MonitorThresholds {
  const given = section && typeof section === 'object' ? (section as Record<string, unknown>) : {};
  const pick = (key: keyof MonitorThresholds): number => {
    const value = given[key];
    return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : DEFAULT_MONITOR_THRESHOLDS[key];
  };
  return {
    tokenSpikeMultiple: pick('tokenSpikeMultiple'),
    windowHours: pick('windowHours'),
    unknownSenderEvents: pick('unknownSenderEvents'),
    deniedHighTierAttempts: pick('deniedHighTierAttempts'),
    authFailuresPerAddress: pick('authFailuresPerAddress'),
  };
}
