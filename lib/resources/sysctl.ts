import type { FactProbe } from '../facts/types.js';
import type { FactSnapshot } from '../facts/snapshot.js';
import type { Target } from '../target/types.js';
import type { Change, Noop, Resource } from './types.js';
import type { ResourceContext } from './context.js';
import { useSudo } from './context.js';
import { shellQuote } from '../target/quote.js';
import { STAT_LINE, parsePathState, type PathState } from './path-state.js';
import { managedFileChanges } from './managed-file.js';
import { ApplyError } from './run-checked.js';

export interface SysctlParams {
  /** File name under /etc/sysctl.d, ending in `.conf`. */
  name: string;
  values: Readonly<Record<string, string | number>>;
  /**
   * Default true: set the live values with `sysctl -w`. False manages only the drop-in, for hosts
   * whose /proc/sys is read-only (containers); the values then apply where the kernel allows them.
   */
  live?: boolean;
}

export interface SysctlFacts {
  file: PathState;
  /** Live values (`sysctl -n`), whitespace collapsed; null when the key does not exist here. */
  live: Map<string, string | null>;
}

const KEY = /^[a-z0-9_]+(\.[A-Za-z0-9_-]+)+$/;
const normalise = (value: string) => value.trim().split(/\s+/).join(' ');

export function renderSysctl(values: SysctlParams['values']): string {
  return Object.entries(values).map(([key, value]) => `${key} = ${value}\n`).join('');
}

/** `@@file` then path-state output, then `@@key NAME` and its `sysctl -n` value (or `@@nokey`). */
export function parseSysctlFacts(path: string, output: string): SysctlFacts {
  const [filePart = '', ...keyParts] = output.split('@@key ');
  const live = new Map<string, string | null>();
  for (const part of keyParts) {
    const newline = part.indexOf('\n');
    const key = newline < 0 ? part.trim() : part.slice(0, newline);
    const value = newline < 0 ? '' : part.slice(newline + 1).trim();
    live.set(key, value === '@@nokey' ? null : normalise(value));
  }
  return { file: parsePathState(path, filePart.replace(/^@@file\n/, ''), 0), live };
}

export function sysctlProbe(key: string, path: string, keys: readonly string[]): FactProbe<SysctlFacts> {
  const p = shellQuote(path);
  return {
    key,
    root: true,
    script: [
      'PATH="$PATH:/usr/sbin:/sbin"; echo @@file',
      `if [ -e ${p} ] || [ -L ${p} ]; then ${STAT_LINE} ${p}; if [ -f ${p} ]; then sha256sum < ${p}; fi; else echo @@missing; fi`,
      ...keys.map((k) => `echo '@@key ${k}'; sysctl -n ${shellQuote(k)} 2>/dev/null || echo @@nokey`),
    ].join('\n'),
    parse: (output) => parseSysctlFacts(path, output),
  };
}

export function sysctlChanges(id: string, path: string, values: SysctlParams['values'], facts: SysctlFacts, live = true): Change[] {
  const changes: Change[] = managedFileChanges(id, { path, content: renderSysctl(values), owner: 'root', group: 'root', mode: 0o644 }, facts.file);
  if (!live) return changes;
  for (const [key, value] of Object.entries(values)) {
    const live = facts.live.get(key) ?? null;
    if (live !== normalise(String(value))) changes.push({ resource: id, field: key, before: live, after: normalise(String(value)) });
  }
  return changes;
}

/** A sysctl.d drop-in (0644) and the live values, set with `sysctl -w` for the keys that differ. */
export function sysctl(params: SysctlParams, context: ResourceContext = {}): Resource {
  if (!/^[A-Za-z0-9_-]+\.conf$/.test(params.name)) throw new Error(`sysctl drop-in name "${params.name}": use letters, digits, _ and - and end it in .conf`);
  for (const key of Object.keys(params.values)) if (!KEY.test(key)) throw new Error(`sysctl key "${key}" is not a kernel parameter name`);
  const path = `/etc/sysctl.d/${params.name}`;
  const id = `sysctl:${params.name}`;
  const key = `resource.${id}`;
  return {
    kind: 'sysctl',
    id,
    probes: () => [sysctlProbe(key, path, params.live === false ? [] : Object.keys(params.values))],
    diff(facts: FactSnapshot): Change[] | Noop {
      const changes = sysctlChanges(id, path, params.values, facts.get<SysctlFacts>(key), params.live !== false);
      return changes.length > 0 ? changes : { resource: id, reason: params.live === false ? 'the drop-in matches (live values not managed)' : 'the drop-in and every live value match' };
    },
    async apply(target: Target, changes: Change[]) {
      const sudo = useSudo(context);
      const fields = new Set(changes.map((c) => c.field));
      if (['content', 'type', 'owner', 'group', 'mode'].some((f) => fields.has(f))) {
        await target.writeFileAtomic(path, renderSysctl(params.values), { mode: 0o644, owner: 'root', group: 'root', sudo });
      }
      for (const [name, value] of Object.entries(params.values)) {
        if (!fields.has(name)) continue;
        const result = await target.run(['sysctl', '-w', `${name}=${value}`], { sudo });
        if (result.exitCode !== 0) throw new ApplyError(id, `sysctl -w ${name}`, `${result.stderr.trim() || `exit ${result.exitCode}`} (the value is persisted in ${path} and applies at boot, where the kernel allows it)`);
      }
    },
  };
}
