import type { FactSnapshot } from '../facts/snapshot.js';
import type { Target } from '../target/types.js';
import type { Change, Noop, Resource } from './types.js';
import type { ResourceContext } from './context.js';
import { useSudo } from './context.js';
import { pathStateProbe, type PathState } from './path-state.js';
import { managedFileChanges } from './managed-file.js';
import { runChecked } from './run-checked.js';
import { dropInName } from './drop-in-name.js';

export interface JournaldParams {
  /** File name under /etc/systemd/journald.conf.d; `.conf` is added when missing. Default `10-kafclaw`. */
  name?: string;
  /** `[Journal]` settings, e.g. `{ MaxRetentionSec: '30d', SystemMaxUse: '1G' }`. */
  settings: Readonly<Record<string, string | number | boolean>>;
}

export function renderJournald(settings: JournaldParams['settings']): string {
  const lines = Object.entries(settings).map(([keyword, value]) => {
    if (!/^[A-Za-z]+$/.test(keyword)) throw new Error(`journald setting "${keyword}" is not a journald.conf key`);
    const text = typeof value === 'boolean' ? (value ? 'yes' : 'no') : String(value);
    if (/[\r\n]/.test(text)) throw new Error(`journald setting ${keyword}: the value must be one line`);
    return `${keyword}=${text}\n`;
  });
  return `[Journal]\n${lines.join('')}`;
}

/** A journald drop-in (0644 root:root); journald is restarted to read it (it has no reload). */
export function journald(params: JournaldParams, context: ResourceContext = {}): Resource {
  const name = dropInName(params.name ?? '10-kafclaw', 'journald');
  const path = `/etc/systemd/journald.conf.d/${name}`;
  const desired = { path, content: renderJournald(params.settings), owner: 'root', group: 'root', mode: 0o644 };
  const id = `journald:${name}`;
  const key = `resource.${id}`;
  return {
    kind: 'journald',
    id,
    probes: () => [pathStateProbe(key, path)],
    diff(facts: FactSnapshot): Change[] | Noop {
      const changes = managedFileChanges(id, desired, facts.get<PathState>(key));
      return changes.length > 0 ? changes : { resource: id, reason: 'the drop-in has these settings, root:root 0644' };
    },
    async apply(target: Target) {
      const sudo = useSudo(context);
      await runChecked(target, id, 'create the drop-in directory', ['install', '-d', '-m', '0755', '--', '/etc/systemd/journald.conf.d'], { sudo });
      await target.writeFileAtomic(path, desired.content, { mode: desired.mode, owner: 'root', group: 'root', sudo });
      await runChecked(target, id, 'restart journald', ['systemctl', 'restart', 'systemd-journald.service'], { sudo, timeoutMs: 60_000 });
    },
  };
}
