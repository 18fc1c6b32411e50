import type { Target } from '../lib/target/types.js';
import type { FactSnapshot } from '../lib/facts/snapshot.js';
import type { Resource } from '../lib/resources/types.js';

export type Status = 'pass' | 'fail' | 'warn' | 'skip' | 'error';
export type Severity = 'critical' | 'high' | 'medium' | 'low';
export type Profile = 'doctor' | 'host' | 'monitor' | 'go-live';

export const STATUSES: readonly Status[] = ['fail', 'error', 'warn', 'pass', 'skip'];
export const SEVERITIES: readonly Severity[] = ['critical', 'high', 'medium', 'low'];

/** What a check's `run` returns for one subject (a file, a channel, an account…). */
export interface Verdict {
  status: Status;
  message: string;
  /** What the verdict is about, e.g. a path or `channels.slack`; waivers match on it. */
  subject?: string;
  /** Redacted, printable facts that back the verdict. Never a secret value. */
  evidence?: Record<string, string | number | boolean | null | string[]>;
}

export type FixKind = 'auto' | 'guided' | 'provisioner' | 'none';

/** How a failing check is fixed: resources applied by `doctor --fix`, or steps an operator follows. */
export interface FixPlan {
  /** Resources that close the gap; empty when the fix is guided. */
  resources: Resource[];
  /** Steps printed for the operator (always present for guided fixes; a summary for auto fixes). */
  steps: string[];
  /** Set when applying the fix could cut the operator off; the fix is then printed, not applied. */
  guidedBecause?: string;
}

export interface Waiver {
  id: string;
  match?: string;
  reason: string;
  owner: string;
  expires: string;
}

export interface CheckResult {
  id: string;
  title: string;
  status: Status;
  severity: Severity;
  message: string;
  host?: string;
  subject?: string;
  evidence?: Verdict['evidence'];
  fix?: { kind: FixKind; summary: string; steps?: string[] };
  durationMs: number;
  waived?: Pick<Waiver, 'reason' | 'owner' | 'expires'>;
}

/** Tunables, each with its default at the declaration (checks/options.ts). */
export interface CheckOptions {
  tokenRotationDays: number;
  tokenAgeWarnDays: number;
  allowlistMaxEntries: number;
  checkTimeoutMs: number;
  expectedProviders?: string[];
  expectedChannels?: string[];
}

export interface CheckContext {
  target: Target;
  host: string;
  facts: FactSnapshot;
  options: CheckOptions;
  now: Date;
}

export interface Check {
  /** Stable id from the catalog; never renamed, never reused. */
  id: string;
  title: string;
  severity: Severity;
  profiles: Profile[];
  /** One sentence an auditor can read: why this matters. */
  rationale: string;
  /** The runbook section the check enforces, e.g. `§1.2`. */
  runbook: string;
  /** Fact keys (or key builders) the check reads; gathered before any check runs. */
  needs: readonly string[];
  fixKind: FixKind;
  /** One line: what the fix does, or what the operator must do. */
  fixSummary: string;
  run(ctx: CheckContext): Verdict | Verdict[] | Promise<Verdict | Verdict[]>;
  fix?(ctx: CheckContext): FixPlan | Promise<FixPlan>;
}
