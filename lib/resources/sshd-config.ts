import type { FactSnapshot } from '../facts/snapshot.js';
import type { Target } from '../target/types.js';
import type { Change, Noop, Resource } from './types.js';
import type { ResourceContext } from './context.js';
import { useSudo } from './context.js';
import { pathStateProbe, type PathState } from './path-state.js';
import { managedFileChanges } from './managed-file.js';
import { ApplyError } from './run-checked.js';
import { dropInName } from './drop-in-name.js';
import { formatMode } from './mode.js';

export interface SshdConfigParams {
  /** File name under /etc/ssh/sshd_config.d; `.conf` is added when missing. Default `10-kafclaw`. */
  name?: string;
  /** `Keyword value` settings, in order; booleans become yes/no, lists are joined with spaces. */
  settings: Readonly<Record<string, string | number | boolean | readonly string[]>>;
  /** Default 0600. */
  mode?: number;
}

export function renderSshdSettings(settings: SshdConfigParams['settings']): string {
  return Object.entries(settings)
    .map(([keyword, value]) => {
      if (!/^[A-Za-z][A-Za-z0-9]*$/.test(keyword)) throw new Error(`sshd setting "${keyword}" is not an sshd keyword`);
      const text = typeof value === 'boolean' ? (value ? 'yes' : 'no') : Array.isArray(value) ? value.join(' ') : String(value);
      if (/[\r\n]/.test(text) || text.trim() === '') throw new Error(`sshd setting ${keyword}: the value must be one non-empty line`);
      return `${keyword} ${text}\n`;
    })
    .join('');
}

const RELOAD = `for unit in ssh.service sshd.service; do
  if systemctl is-active --quiet "$unit"; then systemctl reload "$unit" || exit 4; break; fi
done`;

/**
 * Test the candidate in context: a temporary main config includes it first (the first value of a
 * keyword wins in sshd), then the host's own sshd_config. Only a config `sshd -t` accepts is moved
 * into place (the previous drop-in kept beside it as $3), then sshd reloads when it runs.
 * Arguments: $1 candidate, $2 final path, $3 where the previous drop-in is kept.
 */
const INSTALL_SCRIPT = `PATH="$PATH:/usr/sbin:/sbin"
main=$(mktemp /etc/ssh/.kafclaw-sshd-test.XXXXXXXX) || exit 1
trap 'rm -f -- "$main" "$1"' EXIT
{ printf 'Include %s\\n' "$1"; cat /etc/ssh/sshd_config; } > "$main"
if ! out=$(sshd -t -f "$main" 2>&1); then printf '%s\\n' "$out" >&2; exit 3; fi
rm -f -- "$3"; if [ -e "$2" ]; then cp -p -- "$2" "$3" || exit 1; fi
mv -f -- "$1" "$2" || exit 1
${RELOAD}
exit 0
`;

/** Put the previous drop-in back (or remove the new one when there was none) and reload. Arguments: $1 final path, $2 previous. */
const RESTORE_SCRIPT = `if [ -e "$2" ]; then mv -f -- "$2" "$1"; else rm -f -- "$1"; fi
${RELOAD}
`;

/**
 * An sshd drop-in (0600 root:root), checked with `sshd -t` before it goes in place, then sshd
 * reloaded. With `context.proveLogin`, a fresh login must work after the reload, or the previous
 * drop-in is put back (the session in use survives a reload) and apply throws.
 */
export function sshdConfig(params: SshdConfigParams, context: ResourceContext = {}): Resource {
  const name = dropInName(params.name ?? '10-kafclaw', 'sshd');
  const path = `/etc/ssh/sshd_config.d/${name}`;
  const mode = params.mode ?? 0o600;
  const desired = { path, content: renderSshdSettings(params.settings), owner: 'root', group: 'root', mode };
  const id = `sshd_config:${name}`;
  const key = `resource.${id}`;
  return {
    kind: 'sshd_config',
    id,
    probes: () => [pathStateProbe(key, path)],
    diff(facts: FactSnapshot): Change[] | Noop {
      const changes = managedFileChanges(id, desired, facts.get<PathState>(key));
      return changes.length > 0 ? changes : { resource: id, reason: `the drop-in has these settings, root:root ${formatMode(mode)}` };
    },
    async apply(target: Target) {
      const sudo = useSudo(context);
      const candidate = `/etc/ssh/sshd_config.d/.${name}.candidate`;
      await target.writeFileAtomic(candidate, desired.content, { mode, owner: 'root', group: 'root', sudo });
      const previous = `/etc/ssh/sshd_config.d/.${name}.previous`;
      const result = await target.run(['sh', '-c', INSTALL_SCRIPT, 'sh', candidate, path, previous], { sudo });
      const detail = result.stderr.trim().split('\n').slice(0, 3).join('; ');
      if (result.exitCode === 3) throw new ApplyError(id, 'sshd -t', `${detail}; the drop-in was not installed`);
      if (result.exitCode === 4) throw new ApplyError(id, 'reload sshd', `${detail}; the drop-in is in place`);
      if (result.exitCode !== 0) throw new ApplyError(id, 'install', detail || `exit ${result.exitCode}`);
      if (context.proveLogin) {
        const proven = await context.proveLogin().then((ok) => ok !== false, () => false);
        if (!proven) {
          const restore = await target.run(['sh', '-c', RESTORE_SCRIPT, 'sh', path, previous], { sudo });
          const state = restore.exitCode === 0 ? 'the previous drop-in is back and sshd reloaded' : `putting the previous drop-in back failed too: ${restore.stderr.trim()}`;
          throw new ApplyError(id, 'prove a fresh login', `a new login failed after sshd reloaded; ${state}`);
        }
      }
      await target.run(['rm', '-f', '--', previous], { sudo });
    },
  };
}
