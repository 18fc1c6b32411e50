import type { CheckResult, Severity } from '../../checks/types.js';
import { SEVERITIES } from '../../checks/types.js';

/**
 * The lowest severity of a `fail` that makes the run fail, or `warn` to fail on warnings too.
 * Default `low`: every fail counts, warnings do not.
 */
export type FailThreshold = Severity | 'warn';

function atOrAbove(severity: Severity, threshold: Severity): boolean {
  return SEVERITIES.indexOf(severity) <= SEVERITIES.indexOf(threshold);
}

/**
 * 1 when a non-waived result fails the run, else 0. An `error` (the check could not decide) always
 * fails the run, whatever the threshold: it is never taken for a pass.
 */
export function exitCodeFor(results: readonly CheckResult[], failThreshold: FailThreshold = 'low'): 0 | 1 {
  for (const result of results) {
    if (result.waived) continue;
    if (result.status === 'error') return 1;
    if (result.status === 'fail' && (failThreshold === 'warn' || atOrAbove(result.severity, failThreshold))) return 1;
    if (result.status === 'warn' && failThreshold === 'warn') return 1;
  }
  return 0;
}
