import type { FactProbe } from '../facts/types.js';
import type { FactSnapshot } from '../facts/snapshot.js';
import type { Target } from '../target/types.js';
import type { Change, Noop, Resource } from './types.js';
import type { ResourceContext } from './context.js';
import { useSudo } from './context.js';
import { shellQuote } from '../target/quote.js';
import { STAT_LINE, parseStatFields, type PathState } from './path-state.js';
import { attributeChanges } from './managed-file.js';
import { ApplyError, runChecked } from './run-checked.js';

export interface AuthorizedKeysParams {
  user: string;
  /** Public key lines (`type base64 [comment]`, options allowed); the file will hold exactly these. */
  keys: readonly string[];
  /** Default true: exactly these keys. False: these keys are added, other lines kept. */
  exclusive?: boolean;
  /** The file, when not `~USER/.ssh/authorized_keys`; its directory gets the same 0700 treatment. */
  path?: string;
}

type Stat = Extract<PathState, { exists: true }>;

export type AuthorizedKeysFacts =
  | { userExists: false }
  | { userExists: true; home: string; uid: number; gid: number; dir: PathState; file: PathState; text: string | null };

/** Sections: `@@nouser`, or `@@home UID GID HOME`, two stat lines (or `@@missing`), then `@@content` and the file in base64. */
export function parseAuthorizedKeysFacts(output: string): AuthorizedKeysFacts {
  const lines = output.split('\n');
  if (lines[0] === '@@nouser') return { userExists: false };
  const home = /^@@home (\d+) (\d+) (.*)$/.exec(lines[0] ?? '');
  if (!home) throw new Error(`unexpected authorized_keys probe output: ${(lines[0] ?? '').slice(0, 100)}`);
  const stateOf = (line: string | undefined): PathState => {
    if (line === '@@missing') return { exists: false };
    const stat = parseStatFields(line ?? '');
    if (!stat) throw new Error(`cannot stat: ${line ?? ''}`);
    return { ...stat, sha256: null };
  };
  const contentAt = lines.indexOf('@@content');
  return {
    userExists: true,
    uid: Number(home[1]),
    gid: Number(home[2]),
    home: home[3]!,
    dir: stateOf(lines[1]),
    file: stateOf(lines[2]),
    text: contentAt < 0 ? null : Buffer.from(lines[contentAt + 1] ?? '', 'base64').toString('utf8'),
  };
}

export function authorizedKeysProbe(key: string, user: string, path?: string): FactProbe<AuthorizedKeysFacts> {
  return {
    key,
    root: true,
    script: [
      `line=$(getent passwd ${shellQuote(user)}) || { echo @@nouser; exit 0; }`,
      // fields by the shell's own splitting (no cut, no dirname): each saves a process per run
      'set -f; o=$IFS; IFS=:; set -- $line; IFS=$o; set +f',
      `home=$6; printf '@@home %s %s %s\\n' "$3" "$4" "$home"`,
      path === undefined ? 'f="$home/.ssh/authorized_keys"' : `f=${shellQuote(path)}`,
      'd=${f%/*}; [ -n "$d" ] || d=/',
      'for p in "$d" "$f"; do',
      `  if [ -e "$p" ] || [ -L "$p" ]; then ${STAT_LINE} "$p"; else echo @@missing; fi`,
      'done',
      `if [ -f "$f" ] && [ ! -L "$f" ]; then echo @@content; base64 -w 0 < "$f"; echo; fi`,
    ].join('\n'),
    parse: parseAuthorizedKeysFacts,
  };
}

export function renderAuthorizedKeys(keys: readonly string[]): string {
  return keys.map((line) => line.trim()).filter(Boolean).map((line) => line + '\n').join('');
}

/** The base64 blob of a key line: what identifies the key whatever its options and comment. */
export function keyBlob(line: string): string | null {
  return /(?:^|\s)(?:(?:ssh|ecdsa|sk)-[\w@.-]+)\s+(\S+)/.exec(line.trim())?.[1] ?? null;
}

/** Non-exclusive: the current text with every listed key that is missing appended. Pure. */
export function mergeAuthorizedKeys(current: string, keys: readonly string[]): string {
  const present = new Set(current.split('\n').map(keyBlob).filter((blob): blob is string => blob !== null));
  const missing = keys.map((line) => line.trim()).filter((line) => line !== '' && !present.has(keyBlob(line) ?? line));
  const base = current === '' || current.endsWith('\n') ? current : current + '\n';
  return base + missing.map((line) => line + '\n').join('');
}

/** `ssh-ed25519 …last8 comment`: enough to tell keys apart in a diff. */
export function describeKeys(text: string): string {
  const keys = text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const match = /(?:^|\s)((?:ssh|ecdsa|sk)-[\w@.-]+)\s+(\S+)\s*(.*)$/.exec(line);
      return match ? `${match[1]} …${match[2]!.slice(-8)}${match[3] ? ' ' + match[3] : ''}` : '(unparsable line)';
    });
  return keys.length === 0 ? '(none)' : keys.join('; ');
}

export function authorizedKeysChanges(id: string, params: AuthorizedKeysParams, facts: AuthorizedKeysFacts): Change[] {
  const exclusive = params.exclusive !== false;
  const wanted = exclusive || !facts.userExists ? renderAuthorizedKeys(params.keys) : mergeAuthorizedKeys(facts.text ?? '', params.keys);
  if (!facts.userExists) return [{ resource: id, field: 'keys', before: null, after: describeKeys(wanted) }];
  const owner = { owner: String(facts.uid), group: String(facts.gid) };
  const changes: Change[] = [];
  if (!facts.dir.exists) changes.push({ resource: id, field: 'ssh-dir', before: null, after: 'dir 0700' });
  else if (facts.dir.type !== 'dir') changes.push({ resource: id, field: 'ssh-dir', before: facts.dir.type, after: 'dir 0700' });
  else changes.push(...attributeChanges(id, { ...owner, mode: 0o700 }, facts.dir as Stat, 'ssh-dir.'));
  if (facts.file.exists && facts.file.type !== 'file') changes.push({ resource: id, field: 'file', before: facts.file.type, after: 'file' });
  else if (facts.text !== wanted) changes.push({ resource: id, field: 'keys', before: facts.text === null ? null : describeKeys(facts.text), after: describeKeys(wanted) });
  if (facts.file.exists && facts.file.type === 'file') changes.push(...attributeChanges(id, { ...owner, mode: 0o600 }, facts.file, 'file.'));
  return changes;
}

/** ~/.ssh/authorized_keys holding exactly the listed keys; ~/.ssh 0700 and the file 0600, owned by the user. */
export function authorizedKeys(params: AuthorizedKeysParams, context: ResourceContext = {}): Resource {
  const id = `authorized_keys:${params.user}`;
  const key = `resource.${id}`;
  return {
    kind: 'authorized_keys',
    id,
    probes: () => [authorizedKeysProbe(key, params.user, params.path)],
    diff(facts: FactSnapshot): Change[] | Noop {
      const changes = authorizedKeysChanges(id, params, facts.get<AuthorizedKeysFacts>(key));
      return changes.length > 0 ? changes : { resource: id, reason: `${params.exclusive === false ? 'at least' : 'exactly'} ${params.keys.length} key(s); ~/.ssh 0700, file 0600, owned by ${params.user}` };
    },
    async apply(target: Target) {
      const sudo = useSudo(context);
      // The user may have been created earlier in this run, after the facts were gathered: ask again.
      const entry = await runChecked(target, id, 'look up the user', ['getent', 'passwd', params.user]);
      const [, , uid = '', gid = '', , home = ''] = entry.stdout.trim().split(':');
      if (!home.startsWith('/')) throw new ApplyError(id, 'look up the user', `${params.user} has no absolute home directory`);
      const file = params.path ?? `${home}/.ssh/authorized_keys`;
      const dir = file.slice(0, file.lastIndexOf('/')) || '/';
      const found = await target.run(['stat', '-c', '%F', '--', dir], { sudo });
      if (found.exitCode === 0 && found.stdout.trim() !== 'directory') throw new ApplyError(id, 'check ~/.ssh', `${dir} is a ${found.stdout.trim()}, not a directory; refusing to write through it`);
      await runChecked(target, id, 'create ~/.ssh', ['install', '-d', '-m', '0700', '-o', uid, '-g', gid, '--', dir], { sudo });
      const current = params.exclusive === false ? ((await target.readFile(file, { sudo }))?.toString('utf8') ?? '') : '';
      const text = params.exclusive === false ? mergeAuthorizedKeys(current, params.keys) : renderAuthorizedKeys(params.keys);
      await target.writeFileAtomic(file, text, { mode: 0o600, owner: uid, group: gid, sudo });
    },
  };
}
