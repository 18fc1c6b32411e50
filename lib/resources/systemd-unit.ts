import type { FactSnapshot } from '../facts/snapshot.js';
import type { Target } from '../target/types.js';
import type { Change, FollowUp, Noop, Resource } from './types.js';
import type { ResourceContext } from './context.js';
import { useSudo } from './context.js';
import { pathStateProbe, type PathState } from './path-state.js';
import { applyManagedFile, managedFileChanges } from './managed-file.js';
import { absentDiff, removePath, type Presence } from './absent.js';

export interface SystemdUnitParams {
  /** Unit name with its suffix, e.g. `kafclaw-gateway.service`. */
  name: string;
  /** Required unless `state` is `absent`. */
  content?: string;
  /** `absent` removes the unit file (stop and disable it first with a service task). Default `present`. */
  state?: Presence;
}

export const UNIT_NAME = /^[A-Za-z0-9:_.@-]+\.(service|timer|socket|path|target|mount)$/;

/** A unit file under /etc/systemd/system (0644 root:root). A change makes a `daemon-reload` due; the runner runs it once. */
export function systemdUnit(params: SystemdUnitParams, context: ResourceContext = {}): Resource {
  if (!UNIT_NAME.test(params.name)) throw new Error(`systemd unit name "${params.name}" needs a suffix such as .service or .timer`);
  const path = `/etc/systemd/system/${params.name}`;
  if (params.state !== 'absent' && params.content === undefined) throw new Error(`systemd unit ${params.name}: give content (or state: absent)`);
  const text = params.content ?? '';
  const desired = { path, content: text.endsWith('\n') ? text : text + '\n', owner: 'root', group: 'root', mode: 0o644 };
  const id = `systemd_unit:${params.name}`;
  const key = `resource.${id}`;
  return {
    kind: 'systemd_unit',
    id,
    probes: () => [pathStateProbe(key, path)],
    diff(facts: FactSnapshot): Change[] | Noop {
      if (params.state === 'absent') return absentDiff(id, facts.get<PathState>(key));
      const changes = managedFileChanges(id, desired, facts.get<PathState>(key));
      return changes.length > 0 ? changes : { resource: id, reason: 'the unit file has this content, root:root 0644' };
    },
    apply: (target: Target, changes: Change[]) =>
      params.state === 'absent' ? removePath(target, id, path, changes, useSudo(context)) : applyManagedFile(target, id, desired, changes, useSudo(context)),
    followUps: (changes): FollowUp[] => (changes.some((c) => c.field === 'content' || c.field === 'type' || c.field === 'exists') ? ['daemon-reload'] : []),
  };
}
