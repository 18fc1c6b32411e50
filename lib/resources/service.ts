import type { FactProbe } from '../facts/types.js';
import type { FactSnapshot } from '../facts/snapshot.js';
import type { Target } from '../target/types.js';
import type { Change, Noop, Resource } from './types.js';
import type { ResourceContext } from './context.js';
import { useSudo } from './context.js';
import { shellQuote } from '../target/quote.js';
import { ApplyError, runChecked } from './run-checked.js';
import { scrub } from '../secrets/scrub.js';
import { UNIT_NAME } from './systemd-unit.js';

export type ServiceState = 'started' | 'stopped' | 'restarted' | 'reloaded';

export interface ServiceParams {
  /** Unit name; `.service` is added when there is no suffix. */
  name: string;
  enabled?: boolean;
  /** `restarted` and `reloaded` act on every run: use them as handlers, run on notify. */
  state?: ServiceState;
}

export interface ServiceFacts {
  loadState: string;
  activeState: string;
  unitFileState: string;
  needDaemonReload: boolean;
}

export function parseServiceFacts(output: string): ServiceFacts {
  const show: Record<string, string> = {};
  for (const line of output.split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) show[line.slice(0, eq)] = line.slice(eq + 1).trim();
  }
  return {
    loadState: show.LoadState ?? 'unknown',
    activeState: show.ActiveState ?? 'unknown',
    unitFileState: show.UnitFileState ?? '',
    needDaemonReload: show.NeedDaemonReload === 'yes',
  };
}

export function serviceProbe(key: string, unit: string): FactProbe<ServiceFacts> {
  return {
    key,
    script: `systemctl show ${shellQuote(unit)} -p LoadState,ActiveState,UnitFileState,NeedDaemonReload`,
    parse: parseServiceFacts,
  };
}

const RUNNING = new Set(['active', 'reloading', 'activating']);

/** Pure; a unit systemd does not know yet (written later in the run) diffs as disabled and inactive. */
export function serviceChanges(id: string, params: ServiceParams, facts: ServiceFacts): Change[] {
  const changes: Change[] = [];
  if (facts.needDaemonReload) changes.push({ resource: id, field: 'daemon-reload', before: 'unit file changed on disk', after: 'reloaded' });
  if (params.enabled !== undefined) {
    const enabled = facts.unitFileState === 'enabled' || facts.unitFileState === 'enabled-runtime';
    if (enabled !== params.enabled) changes.push({ resource: id, field: 'enabled', before: facts.unitFileState || 'unknown', after: params.enabled ? 'enabled' : 'disabled' });
  }
  const running = RUNNING.has(facts.activeState);
  if (params.state === 'started' && !running) changes.push({ resource: id, field: 'active', before: facts.activeState, after: 'active' });
  if (params.state === 'stopped' && running) changes.push({ resource: id, field: 'active', before: facts.activeState, after: 'inactive' });
  if (params.state === 'restarted') changes.push({ resource: id, field: 'restart', before: facts.activeState, after: 'restarted' });
  if (params.state === 'reloaded') changes.push({ resource: id, field: running ? 'reload' : 'active', before: facts.activeState, after: running ? 'reloaded' : 'active' });
  return changes;
}

export function unitName(name: string): string {
  const unit = UNIT_NAME.test(name) ? name : `${name}.service`;
  if (!UNIT_NAME.test(unit)) throw new Error(`"${name}" is not a systemd unit name`);
  return unit;
}

/** Enable/disable and start/stop/restart/reload a unit. Awaits a due `daemon-reload` (a unit file changed earlier in the run). */
export function service(params: ServiceParams, context: ResourceContext = {}, kind = 'service'): Resource {
  const unit = unitName(params.name);
  const id = `${kind}:${unit}`;
  const key = `resource.${id}`;
  const always = params.state === 'restarted' || params.state === 'reloaded';
  return {
    kind,
    id,
    idempotent: !always,
    awaits: ['daemon-reload'],
    probes: () => [serviceProbe(key, unit)],
    diff(facts: FactSnapshot): Change[] | Noop {
      const changes = serviceChanges(id, params, facts.get<ServiceFacts>(key));
      const parts = [params.enabled === undefined ? '' : params.enabled ? 'enabled' : 'disabled', params.state === undefined ? '' : params.state === 'started' ? 'active' : 'inactive'];
      return changes.length > 0 ? changes : { resource: id, reason: `already ${parts.filter(Boolean).join(' and ') || 'as wanted'}` };
    },
    async apply(target: Target, changes: Change[]) {
      const sudo = useSudo(context);
      const fields = new Map(changes.map((c) => [c.field, c]));
      const systemctl = async (step: string, ...args: string[]) => {
        try {
          return await runChecked(target, id, step, ['systemctl', ...args], { sudo, timeoutMs: 120_000 });
        } catch (error) {
          if (!(error instanceof ApplyError) || !['start', 'restart', 'reload'].includes(step)) throw error;
          // systemctl only points at the journal: bring its last lines along
          const journal = await target
            .run(['sh', '-c', 'journalctl --sync 2>/dev/null; journalctl -u "$1" -n 8 --no-pager -o cat', 'sh', unit], { sudo, timeoutMs: 15_000 })
            .catch(() => null);
          const lines = journal?.exitCode === 0 ? scrub(journal.stdout).trim().split('\n').filter(Boolean).join('; ') : '';
          throw lines ? new ApplyError(id, step, `${error.detail}; journal: ${lines}`) : error;
        }
      };
      if (fields.has('daemon-reload')) await systemctl('daemon-reload', 'daemon-reload');
      if (fields.has('enabled')) await systemctl(params.enabled ? 'enable' : 'disable', params.enabled ? 'enable' : 'disable', '--', unit);
      const active = fields.get('active');
      if (active) await systemctl(active.after === 'active' ? 'start' : 'stop', active.after === 'active' ? 'start' : 'stop', '--', unit);
      if (fields.has('restart')) await systemctl('restart', 'restart', '--', unit);
      if (fields.has('reload')) await systemctl('reload', 'reload', '--', unit);
    },
  };
}
