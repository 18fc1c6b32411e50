import type { FixOutcome } from './fix.js';

const MARK: Record<FixOutcome['outcome'], string> = {
  repaired: 'repaired',
  planned: 'would change',
  unchanged: 'unchanged',
  skipped: 'skipped',
  failed: 'FAILED',
};

/** The fixes of a `doctor --fix` run as text: each check, its outcome, the diff and the steps. */
export function renderFixes(fixes: readonly FixOutcome[], dryRun: boolean): string {
  if (fixes.length === 0) return dryRun ? 'Fixes (dry run): nothing to fix.\n' : 'Fixes: nothing to fix.\n';
  const lines = [dryRun ? 'Fixes (dry run, nothing was changed):' : 'Fixes:'];
  for (const fix of fixes) {
    lines.push(`  ${MARK[fix.outcome]}  ${fix.id}${fix.reason ? ` (${fix.reason})` : ''}`);
    for (const change of fix.changes) {
      lines.push(`      ${change.resource} ${change.field}: ${change.before ?? '(absent)'} -> ${change.after ?? '(absent)'}`);
    }
    if (fix.outcome === 'skipped' || fix.outcome === 'failed' || fix.outcome === 'repaired') {
      for (const step of fix.steps) lines.push(`      - ${step}`);
    }
  }
  const count = (kind: FixOutcome['outcome']) => fixes.filter((f) => f.outcome === kind).length;
  lines.push(
    dryRun
      ? `  ${count('planned')} would change, ${count('skipped')} skipped (guided), ${count('failed')} failed`
      : `  ${count('repaired')} repaired, ${count('skipped')} skipped (guided), ${count('failed')} failed`,
  );
  return lines.join('\n') + '\n';
}
