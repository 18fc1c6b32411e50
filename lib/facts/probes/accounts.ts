import type { FactProbe } from '../types.js';

export interface PasswdEntry {
  name: string;
  uid: number;
  gid: number;
  home: string;
  shell: string;
}

export interface GroupEntry {
  name: string;
  gid: number;
  members: string[];
}

export function parsePasswd(text: string): PasswdEntry[] {
  return text
    .split('\n')
    .filter((line) => line.includes(':'))
    .map((line) => {
      const [name = '', , uid = '', gid = '', , home = '', shell = ''] = line.split(':');
      return { name, uid: Number(uid), gid: Number(gid), home, shell };
    });
}

export function parseGroups(text: string): GroupEntry[] {
  return text
    .split('\n')
    .filter((line) => line.includes(':'))
    .map((line) => {
      const [name = '', , gid = '', members = ''] = line.split(':');
      return { name, gid: Number(gid), members: members.split(',').filter(Boolean) };
    });
}

export const passwdProbe: FactProbe<PasswdEntry[]> = {
  key: 'host.passwd',
  script: 'getent passwd 2>/dev/null || cat /etc/passwd',
  parse: parsePasswd,
};

export const groupProbe: FactProbe<GroupEntry[]> = {
  key: 'host.group',
  script: 'getent group 2>/dev/null || cat /etc/group',
  parse: parseGroups,
};

export interface AuthorizedKeys {
  user: string;
  keys: Array<{ type: string; comment: string }>;
}

/** `@@user NAME` headers followed by that user's authorized_keys lines. */
export function parseAuthorizedKeys(text: string): AuthorizedKeys[] {
  const result: AuthorizedKeys[] = [];
  let current: AuthorizedKeys | null = null;
  for (const line of text.split('\n')) {
    const header = /^@@user (\S+)$/.exec(line);
    if (header) {
      current = { user: header[1] ?? '', keys: [] };
      result.push(current);
      continue;
    }
    const trimmed = line.trim();
    if (!current || trimmed === '' || trimmed.startsWith('#')) continue;
    const match = /(?:^|\s)((?:ssh|ecdsa|sk)-[\w@.-]+)\s+\S+\s*(.*)$/.exec(trimmed);
    if (match) current.keys.push({ type: match[1] ?? '', comment: (match[2] ?? '').trim() });
  }
  return result;
}

export const authorizedKeysProbe: FactProbe<AuthorizedKeys[]> = {
  key: 'host.authorized-keys',
  root: true,
  script: [
    "getent passwd | while IFS=: read -r name _ uid _ _ home _; do",
    '  f="$home/.ssh/authorized_keys"',
    '  if [ -r "$f" ]; then echo "@@user $name"; cat "$f"; echo; fi',
    'done',
  ].join('\n'),
  parse: parseAuthorizedKeys,
};

export const sudoersProbe: FactProbe<string> = {
  key: 'host.sudoers',
  root: true,
  script: 'cat /etc/sudoers /etc/sudoers.d/* 2>/dev/null; true',
  parse: (text) => text,
};
