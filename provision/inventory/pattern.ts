import type { Inventory } from './load.js';

/** A host pattern that cannot be used: names what did not match. The caller adds file and line. */
export class HostPatternError extends Error {
  readonly exitCode = 2;
  constructor(message: string) {
    super(message);
    this.name = 'HostPatternError';
  }
}

function globToRegExp(glob: string): RegExp {
  let out = '';
  for (const c of glob) {
    if (c === '*') out += '.*';
    else if (c === '?') out += '.';
    else out += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${out}$`);
}

function hostsOfGroup(inventory: Inventory, name: string): Set<string> {
  const out = new Set<string>();
  const seen = new Set<string>();
  const walk = (group: string) => {
    if (seen.has(group)) return;
    seen.add(group);
    const found = inventory.groups.get(group);
    if (!found) return;
    for (const host of found.hosts) out.add(host);
    for (const child of found.children) walk(child);
  };
  walk(name);
  return out;
}

/** Hosts one term names: `all`, `*`, a host, a group, or a glob over host and group names. */
function matchTerm(inventory: Inventory, term: string): Set<string> {
  if (term === 'all' || term === '*') return new Set(inventory.hosts.keys());
  if (inventory.hosts.has(term)) return new Set([term]);
  if (inventory.groups.has(term)) return hostsOfGroup(inventory, term);
  if (/[*?]/.test(term)) {
    const re = globToRegExp(term);
    const out = new Set<string>();
    for (const host of inventory.hosts.keys()) if (re.test(host)) out.add(host);
    for (const group of inventory.groups.keys()) if (re.test(group)) for (const host of hostsOfGroup(inventory, group)) out.add(host);
    return out;
  }
  throw new HostPatternError(`"${term}" is neither a host nor a group in ${inventory.file}; known groups: ${[...inventory.groups.keys()].join(', ')}`);
}

/**
 * The hosts a pattern selects, in inventory order, as Ansible reads it: terms separated by `:` or
 * `,`; plain terms are unioned, `&term` intersects, `!term` excludes (intersections and exclusions
 * apply after the unions, whatever their position). A term is `all`, `*`, a host, a group, or a
 * glob with `*` and `?` over host and group names. A name that is neither host nor group is an error
 * (a typo would otherwise select nothing, silently).
 */
export function selectHosts(inventory: Inventory, pattern: string): string[] {
  const terms = pattern.split(/[:,]/).map((term) => term.trim()).filter((term) => term.length > 0);
  if (terms.length === 0) throw new HostPatternError('the host pattern is empty');
  const union = new Set<string>();
  const intersections: Set<string>[] = [];
  const exclusions: Set<string>[] = [];
  let positives = 0;
  for (const term of terms) {
    if (term.startsWith('!')) exclusions.push(matchTerm(inventory, term.slice(1)));
    else if (term.startsWith('&')) intersections.push(matchTerm(inventory, term.slice(1)));
    else {
      positives++;
      for (const host of matchTerm(inventory, term)) union.add(host);
    }
  }
  // Ansible: a pattern of only `&`/`!` terms starts from all hosts.
  const start = positives === 0 ? new Set(inventory.hosts.keys()) : union;
  return [...inventory.hosts.keys()].filter(
    (host) => start.has(host) && intersections.every((set) => set.has(host)) && exclusions.every((set) => !set.has(host)),
  );
}

/** `hosts:` of a play narrowed by `--limit` (itself a pattern). */
export function selectPlayHosts(inventory: Inventory, hostsPattern: string, limit?: string): string[] {
  const hosts = selectHosts(inventory, hostsPattern);
  if (limit === undefined) return hosts;
  const limited = new Set(selectHosts(inventory, limit));
  return hosts.filter((host) => limited.has(host));
}
