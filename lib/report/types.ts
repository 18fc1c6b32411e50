import type { CheckResult, Profile, Severity } from '../../checks/types.js';

/** What a reporter needs to know about a check that ran (a slice of `Check`). */
export interface CatalogEntry {
  id: string;
  title: string;
  severity: Severity;
  rationale: string;
  runbook: string;
  fixSummary: string;
}

/** One run of checks, as handed to a reporter. */
export interface Report {
  tool: { name: string; version: string; informationUri?: string };
  /** The host the run was about; results may name their own host in multi-host runs. */
  host?: string;
  /** ISO 8601 timestamp of the start of the run. */
  startedAt: string;
  durationMs: number;
  profile: Profile;
  results: CheckResult[];
  /** The checks that ran: SARIF emits one rule per entry. */
  catalog: CatalogEntry[];
  /** The KafClaw configuration file each host's checks read, and whether it exists; absent when no check read one. */
  configs?: AuditedConfig[];
}

export interface AuditedConfig {
  host: string;
  path: string;
  exists: boolean;
}

export const REPORT_FORMATS = ['text', 'json', 'sarif', 'junit', 'md'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export interface RenderOptions {
  /** ANSI colour in the text format; decide with `shouldColor`. */
  color?: boolean;
}
