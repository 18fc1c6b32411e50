import type { Secret } from '../secrets/secret.js';
import type { Target } from '../target/types.js';
import type { Change } from './types.js';
import type { PathState } from './path-state.js';
import { contentBytes, describeContent, sha256Hex } from './fingerprint.js';
import { formatMode } from './mode.js';
import { ApplyError, runChecked } from './run-checked.js';
import { isSecret } from '../secrets/secret.js';

/** A file whose whole content, owner, group and mode are managed. */
export interface ManagedFile {
  path: string;
  content: string | Secret;
  /** User name or numeric uid. */
  owner: string;
  /** Group name or numeric gid. */
  group: string;
  mode: number;
}

export const sameOwner = (wanted: string, name: string, id: number) => wanted === name || wanted === String(id);

/** Owner, group and mode of an existing path against the wanted ones. */
export function attributeChanges(
  id: string,
  wanted: { owner: string; group: string; mode: number },
  state: Extract<PathState, { exists: true }>,
  prefix = '',
): Change[] {
  const changes: Change[] = [];
  if (!sameOwner(wanted.owner, state.owner, state.uid)) changes.push({ resource: id, field: `${prefix}owner`, before: state.owner, after: wanted.owner });
  if (!sameOwner(wanted.group, state.group, state.gid)) changes.push({ resource: id, field: `${prefix}group`, before: state.group, after: wanted.group });
  if (state.mode !== wanted.mode) changes.push({ resource: id, field: `${prefix}mode`, before: formatMode(state.mode), after: formatMode(wanted.mode) });
  return changes;
}

export function showContent(content: string | Secret): string {
  const bytes = contentBytes(content);
  const shown = describeContent(sha256Hex(bytes), bytes.length);
  return isSecret(content) ? `(secret ${shown})` : shown;
}

/** Pure: what differs between a managed file and the path state the probe brought. */
export function managedFileChanges(id: string, desired: ManagedFile, state: PathState): Change[] {
  const after = showContent(desired.content);
  if (!state.exists) return [{ resource: id, field: 'content', before: null, after }];
  if (state.type !== 'file') return [{ resource: id, field: 'type', before: state.type, after: 'file' }];
  const changes: Change[] = [];
  if (state.sha256 !== sha256Hex(contentBytes(desired.content))) {
    changes.push({ resource: id, field: 'content', before: isSecret(desired.content) ? '(secret)' : describeContent(state.sha256 ?? ''), after });
  }
  return [...changes, ...attributeChanges(id, desired, state)];
}

/** Writes the content (atomically, final owner and mode first) when it changed, else fixes the attributes in place. */
export async function applyManagedFile(target: Target, id: string, desired: ManagedFile, changes: readonly Change[], sudo: boolean): Promise<void> {
  if (changes.some((c) => c.field === 'type' && c.before === 'dir')) throw new ApplyError(id, 'write', `${desired.path} is a directory; remove it first`);
  if (changes.some((c) => c.field === 'content' || c.field === 'type')) {
    await target.writeFileAtomic(desired.path, desired.content, { mode: desired.mode, owner: desired.owner, group: desired.group, sudo });
    return;
  }
  await applyAttributes(target, id, desired.path, desired, changes, sudo);
}

/** chown/chmod for owner, group and mode changes (`-h`: never follow a symlink). */
export async function applyAttributes(
  target: Target,
  id: string,
  path: string,
  wanted: { owner: string; group: string; mode: number },
  changes: readonly Change[],
  sudo: boolean,
  prefix = '',
): Promise<void> {
  const fields = new Set(changes.map((c) => c.field));
  if (fields.has(`${prefix}owner`) || fields.has(`${prefix}group`)) {
    await runChecked(target, id, 'chown', ['chown', '-h', `${wanted.owner}:${wanted.group}`, '--', path], { sudo });
  }
  if (fields.has(`${prefix}mode`)) await runChecked(target, id, 'chmod', ['chmod', formatMode(wanted.mode), '--', path], { sudo });
}
