import type { FactProbe } from '../../lib/facts/types.js';
import type { Target } from '../../lib/target/types.js';

/**
 * Handlers made due by a change are written here on the host before the change is applied and
 * removed once they ran, so a run that fails in between still runs them next time (Ansible #10498).
 */
export const PENDING_HANDLERS_PATH = '/var/lib/kafclaw-hardening/pending-handlers';
export const PENDING_FACT = 'runner.pending-handlers';

/** One handler name a line; a missing file is no pending handler. */
export function parsePendingHandlers(output: string): string[] {
  return [...new Set(output.split('\n').map((line) => line.trim()).filter((line) => line.length > 0 && !line.startsWith('@@')))];
}

export function pendingHandlersProbe(): FactProbe<string[]> {
  return { key: PENDING_FACT, root: true, script: `cat ${PENDING_HANDLERS_PATH} 2>/dev/null || true`, parse: parsePendingHandlers };
}

/** Adds names to the file (kept, not replaced: another play's pending names stay). */
const RECORD = `set -e
mkdir -p -m 0700 /var/lib/kafclaw-hardening
f=${PENDING_HANDLERS_PATH}
tmp=$(mktemp "$f.XXXXXX")
{ cat "$f" 2>/dev/null || true; for name in "$@"; do printf '%s\\n' "$name"; done; } | awk 'NF && !seen[$0]++' > "$tmp"
sync "$tmp" 2>/dev/null || true
mv -f "$tmp" "$f"
`;

/** Removes names; the file goes when it is empty. */
const CLEAR = `f=${PENDING_HANDLERS_PATH}
[ -e "$f" ] || exit 0
tmp=$(mktemp "$f.XXXXXX") || exit 1
printf '%s\\n' "$@" > "$tmp.drop"
grep -vxF -f "$tmp.drop" "$f" > "$tmp" || true
rm -f "$tmp.drop"
if [ -s "$tmp" ]; then mv -f "$tmp" "$f"; else rm -f "$tmp" "$f"; fi
`;

export async function recordPendingHandlers(target: Target, names: readonly string[], sudo: boolean): Promise<void> {
  if (names.length === 0) return;
  const result = await target.run(['sh', '-c', RECORD, 'sh', ...names], { sudo, timeoutMs: 30_000 });
  if (result.exitCode !== 0) throw new Error(`cannot record pending handlers in ${PENDING_HANDLERS_PATH}: ${result.stderr.trim() || `exit ${result.exitCode}`}`);
}

export async function clearPendingHandlers(target: Target, names: readonly string[], sudo: boolean): Promise<void> {
  if (names.length === 0) return;
  const result = await target.run(['sh', '-c', CLEAR, 'sh', ...names], { sudo, timeoutMs: 30_000 });
  if (result.exitCode !== 0) throw new Error(`cannot clear pending handlers in ${PENDING_HANDLERS_PATH}: ${result.stderr.trim() || `exit ${result.exitCode}`}`);
}
