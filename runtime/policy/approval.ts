import type { ApprovalRow, TimelineStore } from '../timeline/store.js';

/** KafClaw's settings key (facts §3), in seconds. */
export const APPROVAL_TIMEOUT_SETTING = 'approval_timeout_seconds';
export const DEFAULT_APPROVAL_TIMEOUT_SECONDS = 60;
/** Nobody waits on an HTTP request for longer than this, whatever the setting says. */
export const MAX_APPROVAL_TIMEOUT_SECONDS = 3600;

/** The setting as milliseconds: a positive number of seconds (fractions allowed), else the default 60 s. Pure. */
export function approvalTimeoutMs(raw: string | null): number {
  const value = raw?.trim() ?? '';
  const seconds = /^\d+(\.\d+)?$/.test(value) ? Number(value) : Number.NaN;
  if (!(seconds > 0)) return DEFAULT_APPROVAL_TIMEOUT_SECONDS * 1000;
  return Math.round(Math.min(seconds, MAX_APPROVAL_TIMEOUT_SECONDS) * 1000);
}

/** The timeout the settings table gives now; the default when it cannot be read. */
export function currentApprovalTimeoutMs(timeline: TimelineStore): number {
  try {
    return approvalTimeoutMs(timeline.getSetting(APPROVAL_TIMEOUT_SETTING));
  } catch {
    return DEFAULT_APPROVAL_TIMEOUT_SECONDS * 1000;
  }
}

/** `cancelled`: the gateway closed while waiting; `unavailable`: the database could not be read. Only `approved` runs the tool. */
export type ApprovalOutcome = 'approved' | 'denied' | 'timeout' | 'cancelled' | 'unavailable';

export interface WaitOptions {
  timeoutMs: number;
  /** Also re-read the row this often, for answers written by another process. */
  pollMs?: number;
  /** Aborted when the gateway closes: the request stops waiting and is closed as `timeout`. */
  signal?: AbortSignal;
}

/**
 * Waits until the request is answered (through this store, or by anyone writing the row), the
 * timeout passes, or `signal` aborts. The row is the truth: a timeout or abort moves it to
 * `timeout` only if it is still pending, so an answer that lands at the last moment wins.
 */
export function waitForApproval(timeline: TimelineStore, approvalId: string, options: WaitOptions): Promise<{ outcome: ApprovalOutcome; row: ApprovalRow | null }> {
  return new Promise((resolve) => {
    let done = false;
    let timeout: NodeJS.Timeout | undefined;
    let poll: NodeJS.Timeout | undefined;
    let unsubscribe = () => {};
    const onAbort = () => check('cancelled');
    const settle = (outcome: ApprovalOutcome, row: ApprovalRow | null) => {
      done = true;
      clearTimeout(timeout);
      clearInterval(poll);
      unsubscribe();
      options.signal?.removeEventListener('abort', onAbort);
      resolve({ outcome, row });
    };
    /** Settles when the row is answered, or, with `stop`, closes a still-pending row and settles as `stop`. */
    function check(stop: ApprovalOutcome | null): void {
      if (done) return;
      try {
        let row = timeline.getApproval(approvalId);
        if (row?.status === 'pending') {
          if (stop === null) return;
          done = true; // closing emits an event that comes back here
          const closed = timeline.closeApproval(approvalId, 'timeout', new Date(0));
          if (closed.ok) return settle(stop, closed.row);
          row = closed.problem === 'not_found' ? null : closed.row;
        }
        if (!row) return settle('unavailable', null);
        settle(row.status === 'approved' ? 'approved' : row.status === 'denied' ? 'denied' : 'timeout', row);
      } catch {
        settle('unavailable', null);
      }
    }
    unsubscribe = timeline.onApprovalClosed((id) => {
      if (id === approvalId) check(null);
    });
    if (options.signal?.aborted) return check('cancelled');
    options.signal?.addEventListener('abort', onAbort, { once: true });
    timeout = setTimeout(() => check('timeout'), options.timeoutMs);
    poll = setInterval(() => check(null), options.pollMs ?? 500);
    check(null);
  });
}
