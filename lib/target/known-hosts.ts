import { createHash, createHmac, randomBytes } from 'node:crypto';

/** One usable line of an OpenSSH known_hosts file. */
export interface KnownHostEntry {
  /** 1-based line number, for messages. */
  line: number;
  marker: '' | '@revoked' | '@cert-authority';
  /** The host field: comma-separated patterns, or one hashed `|1|salt|hash` name. */
  hosts: string;
  keyType: string;
  /** The key blob, base64 as in the file. */
  key: string;
}

export function parseKnownHosts(text: string): KnownHostEntry[] {
  const entries: KnownHostEntry[] = [];
  text.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const fields = line.split(/\s+/);
    const marker = fields[0] === '@revoked' || fields[0] === '@cert-authority' ? fields.shift()! : '';
    const [hosts, keyType, key] = fields;
    if (!hosts || !keyType || !key) return;
    entries.push({ line: index + 1, marker: marker as KnownHostEntry['marker'], hosts, keyType, key });
  });
  return entries;
}

/** The name a host is recorded under: `host` on port 22, `[host]:port` otherwise. */
export function knownHostName(host: string, port = 22): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

function globToRegExp(pattern: string): RegExp {
  const body = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`, 'i');
}

/** Does a known_hosts host field name this host? Hashed names, wildcards and `!` negation included. */
export function hostFieldMatches(field: string, host: string, port = 22): boolean {
  const name = knownHostName(host, port);
  if (field.startsWith('|1|')) {
    const [, , salt, hash] = field.split('|');
    if (!salt || !hash) return false;
    const digest = createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest('base64');
    return digest === hash;
  }
  let matched = false;
  for (const pattern of field.split(',')) {
    const negated = pattern.startsWith('!');
    const bare = negated ? pattern.slice(1) : pattern;
    if (!globToRegExp(bare).test(name)) continue;
    if (negated) return false;
    matched = true;
  }
  return matched;
}

/** `SHA256:` plus the unpadded base64 digest of the key blob, as `ssh-keygen -l` prints it. */
export function fingerprintSha256(keyBlob: Buffer): string {
  return 'SHA256:' + createHash('sha256').update(keyBlob).digest('base64').replace(/=+$/, '');
}

/** The key type named at the start of an SSH public key blob. */
export function keyTypeOfBlob(keyBlob: Buffer): string {
  if (keyBlob.length < 4) return 'unknown';
  const length = keyBlob.readUInt32BE(0);
  return keyBlob.subarray(4, 4 + length).toString('latin1');
}

export type HostKeyVerdict =
  | { status: 'known'; entry: KnownHostEntry }
  | { status: 'unknown' }
  /** The host is recorded with other keys (or this one is revoked): never accepted. */
  | { status: 'changed'; entries: KnownHostEntry[]; revoked: boolean };

export function verifyHostKey(entries: readonly KnownHostEntry[], host: string, port: number, keyBlob: Buffer): HostKeyVerdict {
  const offered = keyBlob.toString('base64');
  const revoked = entries.find((e) => e.marker === '@revoked' && e.key === offered);
  if (revoked) return { status: 'changed', entries: [revoked], revoked: true };
  const forHost = entries.filter((e) => e.marker === '' && hostFieldMatches(e.hosts, host, port));
  const match = forHost.find((e) => e.key === offered);
  if (match) return { status: 'known', entry: match };
  if (forHost.length > 0) return { status: 'changed', entries: forHost, revoked: false };
  return { status: 'unknown' };
}

/** Key types recorded for the host, to ask the server for one of those first (as OpenSSH does). */
export function knownKeyTypes(entries: readonly KnownHostEntry[], host: string, port = 22): string[] {
  return [...new Set(entries.filter((e) => e.marker === '' && hostFieldMatches(e.hosts, host, port)).map((e) => e.keyType))];
}

/** A known_hosts line for this host and key; hashed like `ssh-keygen -H` when asked. */
export function knownHostsLine(host: string, port: number, keyBlob: Buffer, options: { hashed?: boolean } = {}): string {
  const name = knownHostName(host, port);
  const field = options.hashed ? hashHostName(name) : name;
  return `${field} ${keyTypeOfBlob(keyBlob)} ${keyBlob.toString('base64')}`;
}

export function hashHostName(name: string, salt = randomBytes(20)): string {
  const hash = createHmac('sha1', salt).update(name).digest('base64');
  return `|1|${salt.toString('base64')}|${hash}`;
}
