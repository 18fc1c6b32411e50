import type { FactProbe } from '../facts/types.js';
import type { FactSnapshot } from '../facts/snapshot.js';
import type { Target } from '../target/types.js';
import type { Change, Noop, Resource } from './types.js';
import type { ResourceContext } from './context.js';
import { useSudo } from './context.js';
import { shellQuote } from '../target/quote.js';
import { runChecked } from './run-checked.js';
import type { Presence } from './absent.js';

export interface GroupParams {
  name: string;
  /** A system group (gid below 1000), chosen at creation only. */
  system?: boolean;
  gid?: number;
  /** `absent` deletes the group. Default `present`. */
  state?: Presence;
}

export type GroupFacts = { exists: false } | { exists: true; gid: number; members: string[] };

/** `getent group NAME` output, or `@@absent`. */
export function parseGroupFacts(output: string): GroupFacts {
  const line = output.split('\n').find((l) => l.includes(':'));
  if (!line) return { exists: false };
  const [, , gid = '', members = ''] = line.split(':');
  return { exists: true, gid: Number(gid), members: members.split(',').filter(Boolean) };
}

export function groupProbe(key: string, name: string): FactProbe<GroupFacts> {
  return { key, script: `getent group ${shellQuote(name)} || echo @@absent`, parse: parseGroupFacts };
}

export function groupChanges(id: string, params: GroupParams, facts: GroupFacts): Change[] {
  if (params.state === 'absent') return facts.exists ? [{ resource: id, field: 'exists', before: 'group', after: null }] : [];
  if (!facts.exists) return [{ resource: id, field: 'exists', before: null, after: params.system ? 'system group' : 'group' }];
  if (params.gid !== undefined && facts.gid !== params.gid) return [{ resource: id, field: 'gid', before: String(facts.gid), after: String(params.gid) }];
  return [];
}

/** A group (membership is the user resource's business). */
export function group(params: GroupParams, context: ResourceContext = {}): Resource {
  const id = `group:${params.name}`;
  const key = `resource.${id}`;
  return {
    kind: 'group',
    id,
    probes: () => [groupProbe(key, params.name)],
    diff(facts: FactSnapshot): Change[] | Noop {
      const changes = groupChanges(id, params, facts.get<GroupFacts>(key));
      if (params.state === 'absent' && changes.length === 0) return { resource: id, reason: 'no such group' };
      return changes.length > 0 ? changes : { resource: id, reason: 'the group exists' + (params.gid === undefined ? '' : ` with gid ${params.gid}`) };
    },
    async apply(target: Target, changes: Change[]) {
      const sudo = useSudo(context);
      const gid = params.gid === undefined ? [] : ['--gid', String(params.gid)];
      if (params.state === 'absent') {
        await runChecked(target, id, 'groupdel', ['groupdel', '--', params.name], { sudo });
      } else if (changes.some((c) => c.field === 'exists')) {
        await runChecked(target, id, 'groupadd', ['groupadd', ...(params.system ? ['--system'] : []), ...gid, '--', params.name], { sudo });
      } else if (changes.some((c) => c.field === 'gid')) {
        await runChecked(target, id, 'groupmod', ['groupmod', ...gid, '--', params.name], { sudo });
      }
    },
  };
}
