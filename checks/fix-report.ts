import type { FixBackup, FixOutcome } from './fix.js';
import { shellQuote } from '../lib/target/quote.js';

const MARK: Record<FixOutcome['outcome'], string> = {
  repaired: 'repaired',
  planned: 'would change',
  unchanged: 'unchanged',
  skipped: 'skipped',
  failed: 'FAILED',
};

/** Where each edited file was backed up, and which backups keep a secret the fix moved out or replaced. */
function backupLines(backups: readonly FixBackup[], dryRun: boolean): string[] {
  return backups.flatMap((b) => {
    const lines = [dryRun ? `      backup: ${b.file} would first be copied to ${b.file}.bak-<time> (0600)` : `      backup: ${b.backup} (0600) holds ${b.file} as it was before this run`];
    if (b.oldSecrets.length === 0) return lines;
    const which = b.oldSecrets.join(', ');
    lines.push(
      dryRun
        ? `      ! that backup would still hold the old secret value of ${which}: delete it once you have checked the change`
        : `      ! ${b.backup} still holds the old secret value of ${which}: once you have checked the change, delete it: rm ${shellQuote(b.backup)}`,
    );
    return lines;
  });
}

/** The fixes of a `doctor --fix` run as text: each check, its outcome, the diff, the backups and the steps. */
export function renderFixes(fixes: readonly FixOutcome[], dryRun: boolean): string {
  if (fixes.length === 0) return dryRun ? 'Fixes (dry run): nothing to fix.\n' : 'Fixes: nothing to fix.\n';
  const lines = [dryRun ? 'Fixes (dry run, nothing was changed):' : 'Fixes:'];
  for (const fix of fixes) {
    lines.push(`  ${MARK[fix.outcome]}  ${fix.id}${fix.reason ? ` (${fix.reason})` : ''}`);
    for (const change of fix.changes) {
      lines.push(`      ${change.resource} ${change.field}: ${change.before ?? '(absent)'} -> ${change.after ?? '(absent)'}`);
    }
    lines.push(...backupLines(fix.backups ?? [], dryRun));
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
