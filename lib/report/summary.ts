import type { CheckResult, Status } from '../../checks/types.js';
import type { CatalogEntry } from './types.js';

export interface Summary {
  pass: number;
  fail: number;
  warn: number;
  skip: number;
  error: number;
  /** Waived results are counted here only, not under their status: the six counts add up to the total. */
  waived: number;
}

export function summarize(results: readonly CheckResult[]): Summary {
  const summary: Summary = { pass: 0, fail: 0, warn: 0, skip: 0, error: 0, waived: 0 };
  for (const result of results) {
    if (result.waived) summary.waived += 1;
    else summary[result.status] += 1;
  }
  return summary;
}

/** `waived (reason, owner, until DATE)`, or null for a result that is not waived. */
export function waivedNote(result: CheckResult): string | null {
  if (!result.waived) return null;
  const { reason, owner, expires } = result.waived;
  return `waived (${reason}, ${owner}, until ${expires})`;
}

/** Results of one status, in their original order. */
export function withStatus(results: readonly CheckResult[], status: Status): CheckResult[] {
  return results.filter((result) => result.status === status);
}

/** The check family: the part of the id before the first dot (`gateway.bind-loopback` → `gateway`). */
export function familyOf(id: string): string {
  const dot = id.indexOf('.');
  return dot === -1 ? id : id.slice(0, dot);
}

/** The result's own fix summary, else the catalog's for its check. */
export function fixSummaryOf(result: CheckResult, catalog: ReadonlyMap<string, CatalogEntry>): string | undefined {
  return result.fix?.summary ?? catalog.get(result.id)?.fixSummary;
}
