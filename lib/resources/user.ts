import type { FactProbe } from '../facts/types.js';
import type { FactSnapshot } from '../facts/snapshot.js';
import type { Target } from '../target/types.js';
import type { Change, Noop, Resource } from './types.js';
import type { ResourceContext } from './context.js';
import { useSudo } from './context.js';
import { shellQuote } from '../target/quote.js';
import { parseGroups } from '../facts/probes/accounts.js';
import { runChecked } from './run-checked.js';
import type { Presence } from './absent.js';

export interface UserParams {
  name: string;
  /** `absent` deletes the account (its home is kept). Default `present`. */
  state?: Presence;
  /** A system account (uid below 1000, no aging), chosen at creation only. Default false. */
  system?: boolean;
  uid?: number;
  /** Managed when given; otherwise useradd's default at creation. */
  home?: string;
  shell?: string;
  comment?: string;
  /** Primary group; default a group of the user's own name (created with the user when missing). */
  group?: string;
  /** Supplementary groups: exactly these (the user leaves every other one), or at least these with `append`. */
  groups?: readonly string[];
  append?: boolean;
  /** Create the home directory with the account. Default: true for normal accounts, false for system ones. */
  create_home?: boolean;
  /** Default true: no password can log in. */
  password_locked?: boolean;
}

export type PasswordState = 'locked' | 'usable' | 'empty' | 'unknown';

export type UserFacts =
  | { exists: false }
  | { exists: true; uid: number; home: string; shell: string; comment: string; primaryGroup: string; groups: string[]; password: PasswordState };

/**
 * Sections: the `getent passwd NAME` line (or `@@absent`), `@@groups` then `getent group`,
 * `@@shadow` then the first character and length of the shadow password field (the hash never leaves the host).
 */
export function parseUserFacts(name: string, output: string): UserFacts {
  const [passwdPart = '', rest = ''] = output.split('@@groups\n');
  const [groupPart = '', shadowPart = ''] = rest.split('@@shadow\n');
  const line = passwdPart.split('\n').find((l) => l.startsWith(`${name}:`));
  if (!line) return { exists: false };
  const [, , uid = '', gid = '', comment = '', home = '', shell = ''] = line.split(':');
  const groups = parseGroups(groupPart);
  const primary = groups.find((g) => g.gid === Number(gid));
  const shadow = /^(.?)\|(\d+)$/m.exec(shadowPart);
  let password: PasswordState = 'unknown';
  if (shadow) password = shadow[2] === '0' ? 'empty' : shadow[1] === '!' || shadow[1] === '*' ? 'locked' : 'usable';
  return {
    exists: true,
    uid: Number(uid),
    home,
    shell,
    comment,
    primaryGroup: primary?.name ?? gid,
    groups: groups.filter((g) => g.members.includes(name) && g.gid !== Number(gid)).map((g) => g.name).sort(),
    password,
  };
}

export function userProbe(key: string, name: string): FactProbe<UserFacts> {
  const n = shellQuote(name);
  return {
    key,
    root: true,
    script: [
      `getent passwd ${n} || echo @@absent`,
      'echo @@groups',
      'getent group',
      'echo @@shadow',
      // the password field's first character and length, by the shell (no awk); the hash stays on the host
      `if s=$(getent shadow ${n}); then s=\${s#*:}; s=\${s%%:*}; printf '%s|%s\\n' "\${s%"\${s#?}"}" "\${#s}"; fi`,
    ].join('\n'),
    parse: (output) => parseUserFacts(name, output),
  };
}

const list = (names: readonly string[]) => [...names].sort().join(',');

/** The supplementary groups the user must end with. */
function wantedGroups(params: UserParams, current: readonly string[]): string {
  return params.append ? list([...new Set([...current, ...(params.groups ?? [])])]) : list(params.groups ?? []);
}

export function userChanges(id: string, params: UserParams, facts: UserFacts): Change[] {
  if (params.state === 'absent') return facts.exists ? [{ resource: id, field: 'exists', before: 'user', after: null }] : [];
  const primary = params.group ?? params.name;
  const locked = params.password_locked !== false;
  const optional: Array<[string, string | undefined]> = [['uid', params.uid === undefined ? undefined : String(params.uid)], ['home', params.home], ['shell', params.shell], ['comment', params.comment]];
  if (!facts.exists) {
    return [
      { resource: id, field: 'exists', before: null, after: params.system ? 'system user' : 'user' },
      ...optional.flatMap(([field, after]) => (after === undefined ? [] : [{ resource: id, field, before: null, after }])),
      { resource: id, field: 'group', before: null, after: primary },
      { resource: id, field: 'groups', before: null, after: wantedGroups(params, []) },
      ...(locked ? [{ resource: id, field: 'password', before: null, after: 'locked' }] : []),
    ];
  }
  const changes: Change[] = [];
  const current: Record<string, string> = { uid: String(facts.uid), home: facts.home, shell: facts.shell, comment: facts.comment };
  for (const [field, after] of optional) {
    if (after !== undefined && current[field] !== after) changes.push({ resource: id, field, before: current[field] ?? null, after });
  }
  if (facts.primaryGroup !== primary) changes.push({ resource: id, field: 'group', before: facts.primaryGroup, after: primary });
  const groups = wantedGroups(params, facts.groups);
  if (list(facts.groups) !== groups) changes.push({ resource: id, field: 'groups', before: list(facts.groups), after: groups });
  if (locked && facts.password !== 'locked') changes.push({ resource: id, field: 'password', before: facts.password, after: 'locked' });
  return changes;
}

/**
 * Creates the account; with a primary group of the user's own name it uses that group when it
 * exists by then (a group resource earlier in the plan) and creates it otherwise.
 */
const USERADD_SCRIPT = `set -e
user=$1; group=$2; shift 2
if getent group "$group" >/dev/null; then useradd --gid "$group" "$@" -- "$user"
elif [ "$group" = "$user" ]; then useradd --user-group "$@" -- "$user"
else echo "group $group does not exist: add a group task before this user" >&2; exit 1; fi
`;

/** An account with its home, shell, primary group, exactly its supplementary groups, and a locked password. */
export function user(params: UserParams, context: ResourceContext = {}): Resource {
  const id = `user:${params.name}`;
  const key = `resource.${id}`;
  const primary = params.group ?? params.name;
  return {
    kind: 'user',
    id,
    probes: () => [userProbe(key, params.name)],
    diff(facts: FactSnapshot): Change[] | Noop {
      const changes = userChanges(id, params, facts.get<UserFacts>(key));
      if (params.state === 'absent') return changes.length > 0 ? changes : { resource: id, reason: 'no such account' };
      return changes.length > 0 ? changes : { resource: id, reason: 'the account has its home, shell, groups' + (params.password_locked === false ? '' : ' and a locked password') };
    },
    async apply(target: Target, changes: Change[]) {
      const sudo = useSudo(context);
      const fields = new Set(changes.map((c) => c.field));
      const groups = changes.find((c) => c.field === 'groups')?.after ?? '';
      if (params.state === 'absent') {
        await runChecked(target, id, 'userdel', ['userdel', '--', params.name], { sudo });
        return;
      }
      const optional = [
        ...(params.uid !== undefined && fields.has('uid') ? ['--uid', String(params.uid)] : []),
        ...(params.home !== undefined && fields.has('home') ? ['--home', params.home] : []),
        ...(params.shell !== undefined && fields.has('shell') ? ['--shell', params.shell] : []),
        ...(params.comment !== undefined && fields.has('comment') ? ['--comment', params.comment] : []),
      ];
      if (fields.has('exists')) {
        const createHome = params.create_home ?? !params.system;
        const options = [
          ...(params.system ? ['--system'] : []),
          ...optional.map((word) => (word === '--home' ? '--home-dir' : word)),
          ...(groups ? ['--groups', groups] : []),
          createHome ? '--create-home' : '--no-create-home',
        ];
        await runChecked(target, id, 'useradd', ['sh', '-c', USERADD_SCRIPT, 'sh', params.name, primary, ...options], { sudo });
      } else {
        const options = [
          ...optional,
          ...(fields.has('group') ? ['--gid', primary] : []),
          ...(fields.has('groups') ? ['--groups', groups] : []),
        ];
        if (options.length > 0) await runChecked(target, id, 'usermod', ['usermod', ...options, '--', params.name], { sudo });
      }
      if (fields.has('password')) await runChecked(target, id, 'lock password', ['usermod', '--lock', '--', params.name], { sudo });
    },
  };
}
