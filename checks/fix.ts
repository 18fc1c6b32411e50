import type { Check, CheckContext, CheckResult } from './types.js';
import type { Change } from '../lib/resources/types.js';
import { isNoop } from '../lib/resources/types.js';
import { FactSnapshot } from '../lib/facts/snapshot.js';
import { gatherFacts } from '../lib/facts/gather.js';
import { recordBackups, type BackupRecord } from '../lib/config/backup.js';
import { runCheck } from './engine.js';
import { SIMULATED_FACTS, type DryRunTarget } from './dry-run-target.js';

export type FixOutcomeKind = 'repaired' | 'skipped' | 'failed' | 'planned' | 'unchanged';

/** A file a fix edited and the backup that holds it as it was before the run. */
export interface FixBackup extends BackupRecord {
  /** Fields whose old secret value the backup still holds (the fix moved or replaced them). */
  oldSecrets: string[];
}

export interface FixOutcome {
  id: string;
  outcome: FixOutcomeKind;
  /** What changed, or would change with --dry-run; secrets appear as `(secret)` or a fingerprint. */
  changes: Change[];
  steps: string[];
  reason?: string;
  /** The backups the fix wrote or relied on (with --dry-run: would write). */
  backups?: FixBackup[];
}

export interface FixMode {
  /** Gathers the facts again after the applies (with --dry-run, only those the simulation can change). */
  recheck: () => Promise<CheckContext>;
  /** With --dry-run: the applies run against it, so later checks are judged on what this fix would leave. */
  simulation?: DryRunTarget;
}

/** The path a resource id names: `config:/x/config.json` → `/x/config.json`. */
const resourcePath = (id: string) => id.slice(id.indexOf(':') + 1);

/** Which changes leave an old secret value in each backup: a change whose old value was a secret. */
export function noteBackups(backups: readonly BackupRecord[], changes: readonly Change[]): FixBackup[] {
  return backups.map((record) => ({
    ...record,
    oldSecrets: changes.filter((c) => c.before === '(secret)' && resourcePath(c.resource) === record.file).map((c) => c.field),
  }));
}

/** Plan a check's fix and apply it (with --dry-run, to the simulation): probes in one batch, pure diffs, then the applies. */
export async function fixCheck(check: Check, ctx: CheckContext, mode: FixMode): Promise<FixOutcome> {
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
  const applyAll = async () => {
    for (const { resource, diff } of diffs) if (!isNoop(diff)) await resource.apply(ctx.target, diff, facts);
  };
  const simulation = mode.simulation;
  const applied = simulation ? await recordBackups(() => simulation.simulate(applyAll)) : await recordBackups(applyAll);
  const backups = noteBackups(applied.backups, changes);
  if (applied.error) {
    const reason = `${simulation ? 'applying the fix would fail' : 'applying the fix failed'}: ${applied.error.message}`;
    return { id: check.id, outcome: 'failed', changes, steps: plan.steps, reason, backups };
  }
  const recheck = await mode.recheck();
  if (simulation && !check.needs.every((key) => SIMULATED_FACTS.has(key))) return { id: check.id, outcome: 'planned', changes, steps: plan.steps, backups };
  const after = await runCheck(check, recheck);
  const still = after.filter((r) => r.status === 'fail' || r.status === 'error').map((r) => r.message).join('; ');
  if (simulation) return { id: check.id, outcome: 'planned', changes, steps: plan.steps, backups, ...(still ? { reason: `would still fail after the fix: ${still}` } : {}) };
  if (still) return { id: check.id, outcome: 'failed', changes, steps: plan.steps, reason: `still failing after the fix: ${still}`, backups };
  return { id: check.id, outcome: 'repaired', changes, steps: plan.steps, backups };
}

export function failingCheckIds(results: readonly CheckResult[]): string[] {
  return [...new Set(results.filter((r) => r.status === 'fail' && !r.waived).map((r) => r.id))];
}
