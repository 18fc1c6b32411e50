import type { Check, CheckContext, CheckResult } from './types.js';
import type { Change } from '../lib/resources/types.js';
import { isNoop } from '../lib/resources/types.js';
import { FactSnapshot } from '../lib/facts/snapshot.js';
import { gatherFacts } from '../lib/facts/gather.js';
import { runCheck } from './engine.js';

export type FixOutcomeKind = 'repaired' | 'skipped' | 'failed' | 'planned' | 'unchanged';

export interface FixOutcome {
  id: string;
  outcome: FixOutcomeKind;
  /** What changed, or would change with --dry-run; secrets appear as `(secret)` or a fingerprint. */
  changes: Change[];
  steps: string[];
  reason?: string;
}

/** Plan a check's fix and, unless dry, apply it: probes in one batch, pure diffs, then the applies. */
export async function fixCheck(
  check: Check,
  ctx: CheckContext,
  dryRun: boolean,
  recheck: () => Promise<CheckContext>,
): Promise<FixOutcome> {
  if (!check.fix) return { id: check.id, outcome: 'skipped', changes: [], steps: [check.fixSummary], reason: `no automatic fix (${check.fixKind})` };
  let plan;
  try {
    plan = await check.fix(ctx);
  } catch (error) {
    return { id: check.id, outcome: 'failed', changes: [], steps: [], reason: `could not plan the fix: ${(error as Error).message}` };
  }
  if (plan.guidedBecause || plan.resources.length === 0) {
    return { id: check.id, outcome: 'skipped', changes: [], steps: plan.steps, reason: plan.guidedBecause ?? 'guided fix: follow the steps' };
  }
  const facts = await gatherFacts(ctx.target, plan.resources.flatMap((r) => r.probes()), new FactSnapshot());
  const diffs = plan.resources.map((resource) => ({ resource, diff: resource.diff(facts) }));
  const changes = diffs.flatMap(({ diff }) => (isNoop(diff) ? [] : diff));
  if (changes.length === 0) return { id: check.id, outcome: 'unchanged', changes, steps: plan.steps, reason: 'nothing differs' };
  if (dryRun) return { id: check.id, outcome: 'planned', changes, steps: plan.steps };
  try {
    for (const { resource, diff } of diffs) if (!isNoop(diff)) await resource.apply(ctx.target, diff, facts);
  } catch (error) {
    return { id: check.id, outcome: 'failed', changes, steps: plan.steps, reason: `applying the fix failed: ${(error as Error).message}` };
  }
  const after = await runCheck(check, await recheck());
  const still = after.filter((r) => r.status === 'fail' || r.status === 'error');
  if (still.length > 0) return { id: check.id, outcome: 'failed', changes, steps: plan.steps, reason: `still failing after the fix: ${still.map((r) => r.message).join('; ')}` };
  return { id: check.id, outcome: 'repaired', changes, steps: plan.steps };
}

export function failingCheckIds(results: readonly CheckResult[]): string[] {
  return [...new Set(results.filter((r) => r.status === 'fail' && !r.waived).map((r) => r.id))];
}
