import type { FactSnapshot } from '../facts/snapshot.js';
import type { Target } from '../target/types.js';
import type { Change, Noop, Resource } from './types.js';
import type { ResourceContext } from './context.js';
import { useSudo } from './context.js';
import { isNoop } from './types.js';
import { service } from './service.js';
import { pathStateProbe, type PathState } from './path-state.js';
import { applyManagedFile, managedFileChanges } from './managed-file.js';
import { runChecked } from './run-checked.js';
import { UNIT_NAME } from './systemd-unit.js';

export interface TimerParams {
  /** Timer unit name; `.timer` is added when there is no suffix. */
  name: string;
  /** With `on_calendar`: the timer unit file is written too. Without: only enablement and state. */
  on_calendar?: string;
  /** The unit the timer starts; default the service of the same name. */
  unit?: string;
  /** Default true: a run missed while the host was off happens at the next boot. */
  persistent?: boolean;
  randomized_delay_sec?: string;
  description?: string;
  /** Default true. */
  enabled?: boolean;
  /** Default `started`. */
  state?: 'started' | 'stopped';
}

function oneLine(what: string, value: string): string {
  if (/[\r\n]/.test(value) || value.trim() === '') throw new Error(`timer ${what} must be one non-empty line`);
  return value;
}

export function renderTimer(name: string, params: TimerParams): string {
  const unit = params.unit ?? name.replace(/\.timer$/, '.service');
  if (!UNIT_NAME.test(unit)) throw new Error(`timer ${name}: unit "${unit}" is not a unit name`);
  return [
    '[Unit]',
    `Description=${oneLine('description', params.description ?? `Runs ${unit}`)}`,
    '',
    '[Timer]',
    `OnCalendar=${oneLine('on_calendar', params.on_calendar ?? '')}`,
    `Persistent=${params.persistent === false ? 'false' : 'true'}`,
    ...(params.randomized_delay_sec === undefined ? [] : [`RandomizedDelaySec=${oneLine('randomized_delay_sec', params.randomized_delay_sec)}`]),
    `Unit=${unit}`,
    '',
    '[Install]',
    'WantedBy=timers.target',
    '',
  ].join('\n');
}

/**
 * A timer enabled and started (or disabled and stopped). With `on_calendar` it also writes the
 * timer unit (0644 root:root) and reloads systemd itself before enabling it.
 */
export function timer(params: TimerParams, context: ResourceContext = {}): Resource {
  const name = params.name.endsWith('.timer') ? params.name : `${params.name}.timer`;
  const on = params.enabled !== false;
  const state = params.state ?? (on ? 'started' : 'stopped');
  const control = service({ name, enabled: on, state }, context, 'timer');
  if (params.on_calendar === undefined) return control;
  const path = `/etc/systemd/system/${name}`;
  const desired = { path, content: renderTimer(name, params), owner: 'root', group: 'root', mode: 0o644 };
  const id = control.id;
  const key = `resource.${id}:file`;
  const fileFields = new Set(['content', 'type', 'owner', 'group', 'mode']);
  return {
    kind: 'timer',
    id,
    awaits: control.awaits ?? [],
    probes: () => [pathStateProbe(key, path), ...control.probes()],
    diff(facts: FactSnapshot): Change[] | Noop {
      const fileChanges = managedFileChanges(id, desired, facts.get<PathState>(key));
      const serviceDiff = control.diff(facts);
      const changes = [...fileChanges, ...(isNoop(serviceDiff) ? [] : serviceDiff)];
      return changes.length > 0 ? changes : { resource: id, reason: `the timer unit is in place and the timer is ${on ? 'enabled' : 'disabled'} and ${state === 'started' ? 'active' : 'inactive'}` };
    },
    async apply(target: Target, changes: Change[], facts: FactSnapshot) {
      const sudo = useSudo(context);
      const fileChanges = changes.filter((c) => fileFields.has(c.field));
      if (fileChanges.length > 0) {
        await applyManagedFile(target, id, desired, fileChanges, sudo);
        await runChecked(target, id, 'daemon-reload', ['systemctl', 'daemon-reload'], { sudo, timeoutMs: 120_000 });
      }
      const rest = changes.filter((c) => !fileFields.has(c.field) && c.field !== 'daemon-reload');
      if (rest.length > 0) await control.apply(target, rest, facts);
    },
  };
}
