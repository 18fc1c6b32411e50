/**
 * Which tasks `--tags` and `--skip-tags` select, as Ansible does:
 * - no `--tags`: every task except those tagged `never`;
 * - `--tags T,…`: tasks carrying one of the tags, plus tasks tagged `always`; tasks without tags do
 *   not run. `all` selects every task but `never` ones, `tagged` every tagged task, `untagged` every
 *   untagged one;
 * - `--skip-tags S,…` then removes tasks carrying one of those tags (`always` tasks too, if named).
 */
export interface TagSelection {
  tags?: readonly string[];
  skipTags?: readonly string[];
}

export function taskSelected(taskTags: readonly string[], selection: TagSelection): boolean {
  const has = (tag: string) => taskTags.includes(tag);
  const wanted = selection.tags?.filter((tag) => tag.length > 0) ?? [];
  let selected: boolean;
  if (wanted.length === 0) selected = !has('never');
  else
    selected =
      has('always') ||
      wanted.some((tag) => has(tag)) ||
      (wanted.includes('all') && !has('never')) ||
      (wanted.includes('tagged') && taskTags.length > 0 && !has('never')) ||
      (wanted.includes('untagged') && taskTags.length === 0);
  if (!selected) return false;
  const skipped = selection.skipTags ?? [];
  return !skipped.some((tag) => has(tag) || (tag === 'tagged' && taskTags.length > 0) || (tag === 'untagged' && taskTags.length === 0));
}

/** `--tags a,b --tags c` → ['a', 'b', 'c']. */
export function splitTags(values: readonly string[]): string[] {
  return values.flatMap((value) => value.split(',')).map((tag) => tag.trim()).filter((tag) => tag.length > 0);
}
