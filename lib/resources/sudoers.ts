import type { FactSnapshot } from '../facts/snapshot.js';
import type { Target } from '../target/types.js';
import type { Change, Noop, Resource } from './types.js';
import type { ResourceContext } from './context.js';
import { useSudo } from './context.js';
import { pathStateProbe, type PathState } from './path-state.js';
import { managedFileChanges } from './managed-file.js';
import { ApplyError } from './run-checked.js';
import { formatMode } from './mode.js';

export interface SudoersRule {
  users?: readonly string[];
  groups?: readonly string[];
  /** Default `ALL:ALL`. */
  runas?: string;
  nopasswd?: boolean;
  /** Default `['ALL']`. */
  commands?: readonly string[];
}

export interface SudoersParams {
  /** File name under /etc/sudoers.d: no dot and no trailing `~` (sudo skips such files). */
  name: string;
  /** The drop-in text, or `rules` to render it from (one of the two). */
  content?: string;
  rules?: readonly SudoersRule[];
  /** Default 0440. */
  mode?: number;
}

const WORD = /^[A-Za-z0-9_.$-]+$/;

/** One line per rule: `alice, %sudo ALL=(ALL:ALL) NOPASSWD: ALL`. Names are checked, so a rule cannot inject sudoers syntax. */
export function renderSudoersRules(rules: readonly SudoersRule[]): string {
  return rules
    .map((rule, index) => {
      const names = [...(rule.users ?? []), ...(rule.groups ?? []).map((group) => `%${group}`)];
      for (const name of names) if (!WORD.test(name.replace(/^%/, ''))) throw new Error(`sudoers rule ${index + 1}: "${name}" is not a user or group name`);
      if (names.length === 0) throw new Error(`sudoers rule ${index + 1} needs users or groups`);
      const runas = rule.runas ?? 'ALL:ALL';
      const commands = rule.commands ?? ['ALL'];
      if (/[\r\n()]/.test(runas) || commands.some((c) => /[\r\n]/.test(c) || c.trim() === '')) throw new Error(`sudoers rule ${index + 1}: runas and commands must be single non-empty lines`);
      return `${names.join(', ')} ALL=(${runas}) ${rule.nopasswd ? 'NOPASSWD: ' : ''}${commands.join(', ')}\n`;
    })
    .join('');
}

/**
 * Validate a candidate with `visudo -cf`, then rename it over the drop-in. The candidate's name has
 * a dot, so sudo never reads it while it sits in the directory.
 * Arguments: $1 candidate, $2 final path.
 */
const INSTALL_SCRIPT = `PATH="$PATH:/usr/sbin:/sbin"
if ! out=$(visudo -cf "$1" 2>&1); then rm -f -- "$1"; printf '%s\\n' "$out" >&2; exit 1; fi
mv -f -- "$1" "$2"
`;

/** A sudoers drop-in (0440 root:root), validated with `visudo -cf` before it is moved into place. */
export function sudoers(params: SudoersParams, context: ResourceContext = {}): Resource {
  if (!/^[A-Za-z0-9_-]+$/.test(params.name)) throw new Error(`sudoers drop-in name "${params.name}": use letters, digits, _ and - only (sudo ignores names with a dot or a trailing ~)`);
  if ((params.content === undefined) === (params.rules === undefined)) throw new Error(`sudoers drop-in ${params.name}: give content or rules (one of the two)`);
  const text = params.content ?? renderSudoersRules(params.rules ?? []);
  const path = `/etc/sudoers.d/${params.name}`;
  const mode = params.mode ?? 0o440;
  const desired = { path, content: text.endsWith('\n') ? text : text + '\n', owner: 'root', group: 'root', mode };
  const id = `sudoers:${params.name}`;
  const key = `resource.${id}`;
  return {
    kind: 'sudoers',
    id,
    probes: () => [pathStateProbe(key, path)],
    diff(facts: FactSnapshot): Change[] | Noop {
      const changes = managedFileChanges(id, desired, facts.get<PathState>(key));
      return changes.length > 0 ? changes : { resource: id, reason: `the drop-in has this content, root:root ${formatMode(mode)}` };
    },
    async apply(target: Target) {
      const sudo = useSudo(context);
      const candidate = `/etc/sudoers.d/.${params.name}.candidate`;
      await target.writeFileAtomic(candidate, desired.content, { mode, owner: 'root', group: 'root', sudo });
      const result = await target.run(['sh', '-c', INSTALL_SCRIPT, 'sh', candidate, path], { sudo });
      if (result.exitCode !== 0) throw new ApplyError(id, 'visudo -cf', `${result.stderr.trim().split('\n').slice(0, 3).join('; ')}; the drop-in was not installed`);
    },
  };
}
