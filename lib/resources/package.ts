import type { FactProbe } from '../facts/types.js';
import type { FactSnapshot } from '../facts/snapshot.js';
import type { Target } from '../target/types.js';
import type { Change, Noop, Resource } from './types.js';
import type { ResourceContext } from './context.js';
import { useSudo } from './context.js';
import { shellJoin } from '../target/quote.js';
import { ApplyError } from './run-checked.js';

export interface PackageParams {
  /** One Debian package name or several. */
  name: string | readonly string[];
  /** `present` (default) installs what is missing; `absent` removes what is installed. */
  state?: 'present' | 'absent';
}

export type PackageFacts = { apt: false } | { apt: true; installed: Map<string, string> };

/** `@@noapt`, or `NAME|STATUS|VERSION` lines from dpkg-query (unknown packages print nothing). */
export function parsePackageFacts(output: string): PackageFacts {
  if (output.includes('@@noapt')) return { apt: false };
  const installed = new Map<string, string>();
  for (const line of output.split('\n')) {
    const [name = '', status = '', version = ''] = line.split('|');
    if (name && status === 'install ok installed') installed.set(name.replace(/:.*$/, ''), version);
  }
  return { apt: true, installed };
}

export function packageProbe(key: string, names: readonly string[]): FactProbe<PackageFacts> {
  return {
    key,
    script: [
      'command -v dpkg-query >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1 || { echo @@noapt; exit 0; }',
      `dpkg-query -W -f='\${Package}|\${Status}|\${Version}\\n' -- ${shellJoin(names)} 2>/dev/null; true`,
    ].join('\n'),
    parse: parsePackageFacts,
  };
}

export function packageChanges(id: string, names: readonly string[], facts: PackageFacts, state: 'present' | 'absent' = 'present'): Change[] {
  if (!facts.apt) return state === 'absent' ? [] : [{ resource: id, field: 'apt', before: null, after: 'apt needed to install ' + names.join(' ') }];
  if (state === 'absent') return names.filter((name) => facts.installed.has(name)).map((name) => ({ resource: id, field: name, before: facts.installed.get(name) ?? 'installed', after: 'removed' }));
  return names.filter((name) => !facts.installed.has(name)).map((name) => ({ resource: id, field: name, before: null, after: 'installed' }));
}

/** The host cannot fetch packages: a finding for the operator, raised fast instead of a hang. */
export class PackageSourceUnreachableError extends ApplyError {
  constructor(resource: string, names: readonly string[], detail: string) {
    super(
      resource,
      'apt',
      `the host cannot reach a package mirror (${detail}); ${names.join(', ')} not installed: ` +
        'give the host a reachable apt mirror or proxy, or use an image that has these packages',
    );
    this.name = 'PackageSourceUnreachableError';
  }
}

const APT_OPTIONS = ['-q', '-o', 'Acquire::http::Timeout=10', '-o', 'Acquire::https::Timeout=10', '-o', 'Acquire::Retries=0', '-o', 'Dpkg::Options::=--force-confold'];
const UNREACHABLE = /(Failed to fetch|Temporary failure resolving|Could not resolve|Could not connect|Unable to connect|Connection timed out|Network is unreachable|No route to host|Connection failed)[^\n]*/;

/** Debian packages present; apt runs with short network timeouts so an offline host fails in seconds. */
export function aptPackage(params: PackageParams, context: ResourceContext = {}): Resource {
  const names: readonly string[] = typeof params.name === 'string' ? [params.name] : params.name;
  const state = params.state ?? 'present';
  if (names.length === 0) throw new Error('package: give at least one package name');
  for (const name of names) if (!/^[a-z0-9][a-z0-9+.-]+$/.test(name)) throw new Error(`"${name}" is not a Debian package name`);
  const id = `package:${names.join(',')}`;
  const key = `resource.${id}`;
  return {
    kind: 'package',
    id,
    probes: () => [packageProbe(key, names)],
    diff(facts: FactSnapshot): Change[] | Noop {
      const changes = packageChanges(id, names, facts.get<PackageFacts>(key), state);
      return changes.length > 0 ? changes : { resource: id, reason: state === 'absent' ? 'no package is installed' : 'every package is installed' };
    },
    async apply(target: Target, changes: Change[]) {
      const sudo = useSudo(context);
      if (changes.some((c) => c.field === 'apt')) throw new ApplyError(id, 'apt', 'this host has no apt-get/dpkg: install the packages by other means');
      const missing = changes.map((c) => c.field);
      const env = ['env', 'DEBIAN_FRONTEND=noninteractive', 'LC_ALL=C'];
      if (state === 'absent') {
        const remove = await target.run([...env, 'apt-get', ...APT_OPTIONS, 'remove', '-y', '--', ...missing], { sudo, timeoutMs: 600_000 });
        if (remove.exitCode !== 0) throw new ApplyError(id, 'apt-get remove', (remove.stdout + remove.stderr).trim().split('\n').slice(-3).join('; '));
        return;
      }
      const update = await target.run([...env, 'apt-get', ...APT_OPTIONS, 'update'], { sudo, timeoutMs: 90_000 });
      const updateText = update.stdout + update.stderr;
      if (update.timedOut) throw new PackageSourceUnreachableError(id, missing, 'apt-get update timed out after 90 s');
      const unreachable = UNREACHABLE.exec(updateText);
      if (unreachable || update.exitCode !== 0) throw new PackageSourceUnreachableError(id, missing, (unreachable?.[0] ?? updateText.trim().split('\n').pop() ?? '').slice(0, 200));
      const install = await target.run([...env, 'apt-get', ...APT_OPTIONS, 'install', '-y', '--no-install-recommends', '--', ...missing], { sudo, timeoutMs: 600_000 });
      if (install.exitCode === 0) return;
      const text = install.stdout + install.stderr;
      const offline = UNREACHABLE.exec(text);
      if (offline) throw new PackageSourceUnreachableError(id, missing, offline[0].slice(0, 200));
      throw new ApplyError(id, 'apt-get install', install.timedOut ? 'timed out after 10 minutes' : text.trim().split('\n').slice(-3).join('; '));
    },
  };
}
