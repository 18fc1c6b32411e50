import type { Target } from '../target/types.js';
import type { Change, Noop, Resource } from './types.js';
import type { FactSnapshot } from '../facts/snapshot.js';
import { pathsProbe, type PathFacts } from '../facts/probes/paths.js';

export interface FileModeDesired {
  path: string;
  mode: number;
  /** Numeric uid the file must belong to, when ownership matters. */
  uid?: number;
}

const octal = (mode: number | undefined) => (mode === undefined ? null : '0' + mode.toString(8).padStart(3, '0'));

/** The mode (and owner) of an existing path; a missing path is left alone. */
export function fileMode(target: Target, desired: FileModeDesired): Resource {
  const id = `mode:${desired.path}`;
  const key = `resource.${id}`;
  return {
    kind: 'file-mode',
    id,
    probes: () => [pathsProbe(key, [desired.path])],
    diff(facts: FactSnapshot): Change[] | Noop {
      const stat = facts.get<Map<string, PathFacts>>(key).get(desired.path);
      if (!stat?.exists) return { resource: id, reason: 'the path does not exist' };
      const changes: Change[] = [];
      if (stat.mode !== desired.mode) changes.push({ resource: id, field: 'mode', before: octal(stat.mode), after: octal(desired.mode) });
      if (desired.uid !== undefined && stat.uid !== desired.uid) changes.push({ resource: id, field: 'uid', before: String(stat.uid), after: String(desired.uid) });
      return changes.length > 0 ? changes : { resource: id, reason: `already ${octal(desired.mode)}` };
    },
    async apply(t: Target, changes: Change[]) {
      for (const change of changes) {
        const argv = change.field === 'mode' ? ['chmod', change.after!.slice(1), desired.path] : ['chown', '-h', change.after!, desired.path];
        const result = await (t ?? target).run(argv);
        if (result.exitCode !== 0) throw new Error(`${argv[0]} ${desired.path}: ${result.stderr.trim()}`);
      }
    },
  };
}
