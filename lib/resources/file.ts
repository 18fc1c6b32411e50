import type { Secret } from '../secrets/secret.js';
import type { FactSnapshot } from '../facts/snapshot.js';
import type { Target } from '../target/types.js';
import type { Change, Noop, Resource } from './types.js';
import type { ResourceContext } from './context.js';
import { useSudo } from './context.js';
import { pathStateProbe, type PathState } from './path-state.js';
import { applyManagedFile, managedFileChanges } from './managed-file.js';
import { formatMode } from './mode.js';
import { absentDiff, removePath, type Presence } from './absent.js';

export interface FileParams {
  path: string;
  /** Required unless `state` is `absent`. */
  content?: string | Secret;
  owner?: string;
  group?: string;
  /** Default 0644. */
  mode?: number;
  /** `absent` removes the file (content is then ignored). Default `present`. */
  state?: Presence;
}

/** A whole file: content, owner, group, mode; written atomically with its final owner and mode. */
export function file(params: FileParams, context: ResourceContext = {}, kind = 'file'): Resource {
  if (params.state !== 'absent' && params.content === undefined) throw new Error(`file ${params.path}: give content (or state: absent)`);
  const desired = { path: params.path, content: params.content ?? '', owner: params.owner ?? 'root', group: params.group ?? 'root', mode: params.mode ?? 0o644 };
  const id = `${kind}:${params.path}`;
  const key = `resource.${id}`;
  return {
    kind,
    id,
    probes: () => [pathStateProbe(key, params.path)],
    diff(facts: FactSnapshot): Change[] | Noop {
      if (params.state === 'absent') return absentDiff(id, facts.get<PathState>(key));
      const changes = managedFileChanges(id, desired, facts.get<PathState>(key));
      return changes.length > 0 ? changes : { resource: id, reason: `content, ${desired.owner}:${desired.group} and ${formatMode(desired.mode)} already match` };
    },
    apply: (target: Target, changes: Change[]) =>
      params.state === 'absent' ? removePath(target, id, params.path, changes, useSudo(context)) : applyManagedFile(target, id, desired, changes, useSudo(context)),
  };
}
