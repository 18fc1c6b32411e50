import type { Target } from '../target/types.js';
import type { Change, Noop } from './types.js';
import type { PathState } from './path-state.js';
import { ApplyError, runChecked } from './run-checked.js';

export type Presence = 'present' | 'absent';

/** Pure: a path that must not exist. */
export function absentDiff(id: string, state: PathState): Change[] | Noop {
  return state.exists ? [{ resource: id, field: 'exists', before: state.type, after: null }] : { resource: id, reason: 'already absent' };
}

/** Remove a file or symlink (`rm -f`), or an empty directory (`rmdir`); a non-empty directory is refused. */
export async function removePath(target: Target, id: string, path: string, changes: readonly Change[], sudo: boolean): Promise<void> {
  const type = changes.find((c) => c.field === 'exists')?.before;
  if (type === 'dir') {
    const result = await target.run(['rmdir', '--', path], { sudo });
    if (result.exitCode !== 0) throw new ApplyError(id, 'remove', `${path} is not empty or cannot be removed (${result.stderr.trim()}); empty it first`);
    return;
  }
  await runChecked(target, id, 'remove', ['rm', '-f', '--', path], { sudo });
}
