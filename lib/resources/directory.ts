import type { FactSnapshot } from '../facts/snapshot.js';
import type { Target } from '../target/types.js';
import type { Change, Noop, Resource } from './types.js';
import type { ResourceContext } from './context.js';
import { useSudo } from './context.js';
import { pathStateProbe, type PathState } from './path-state.js';
import { applyAttributes, attributeChanges } from './managed-file.js';
import { formatMode } from './mode.js';
import { ApplyError, runChecked } from './run-checked.js';
import { absentDiff, removePath, type Presence } from './absent.js';

export interface DirectoryParams {
  path: string;
  owner?: string;
  group?: string;
  /** Default 0755. */
  mode?: number;
  /** `absent` removes the directory when it is empty. Default `present`. */
  state?: Presence;
}

/** Pure: what differs between the wanted directory and the path state. */
export function directoryChanges(id: string, wanted: { owner: string; group: string; mode: number }, state: PathState): Change[] {
  if (!state.exists) return [{ resource: id, field: 'exists', before: null, after: `dir ${wanted.owner}:${wanted.group} ${formatMode(wanted.mode)}` }];
  if (state.type !== 'dir') return [{ resource: id, field: 'type', before: state.type, after: 'dir' }];
  return attributeChanges(id, wanted, state);
}

/** A directory with its owner, group and mode; created with them (parents as `mkdir -p` makes them). */
export function directory(params: DirectoryParams, context: ResourceContext = {}): Resource {
  const wanted = { path: params.path, owner: params.owner ?? 'root', group: params.group ?? 'root', mode: params.mode ?? 0o755 };
  const id = `directory:${params.path}`;
  const key = `resource.${id}`;
  return {
    kind: 'directory',
    id,
    probes: () => [pathStateProbe(key, params.path)],
    diff(facts: FactSnapshot): Change[] | Noop {
      if (params.state === 'absent') return absentDiff(id, facts.get<PathState>(key));
      const changes = directoryChanges(id, wanted, facts.get<PathState>(key));
      return changes.length > 0 ? changes : { resource: id, reason: `already a directory, ${wanted.owner}:${wanted.group} ${formatMode(wanted.mode)}` };
    },
    async apply(target: Target, changes: Change[]) {
      const sudo = useSudo(context);
      if (params.state === 'absent') return removePath(target, id, params.path, changes, sudo);
      const type = changes.find((c) => c.field === 'type');
      if (type) throw new ApplyError(id, 'create', `${params.path} is a ${type.before}, not a directory; move it away first`);
      if (changes.some((c) => c.field === 'exists')) {
        // install -d gives the last component its owner and mode as it creates it.
        await runChecked(target, id, 'create', ['install', '-d', '-m', formatMode(wanted.mode), '-o', wanted.owner, '-g', wanted.group, '--', params.path], { sudo });
        return;
      }
      await applyAttributes(target, id, params.path, wanted, changes, sudo);
    },
  };
}
