import type { FactProbe } from '../facts/types.js';
import type { FactSnapshot } from '../facts/snapshot.js';
import type { Target } from '../target/types.js';
import type { Change, Noop, Resource } from './types.js';
import type { ResourceContext } from './context.js';
import { useSudo } from './context.js';
import { shellQuote } from '../target/quote.js';
import { ApplyError } from './run-checked.js';

export interface SysctlLineParams {
  /** The kernel parameter, e.g. `net.ipv4.ip_forward`. */
  name: string;
  value: string | number;
  /** The drop-in holding the line; other lines of it are kept. Default /etc/sysctl.d/90-kafclaw.conf. */
  file?: string;
  /** Default true: also set the live value with `sysctl -w`. */
  live?: boolean;
}

export interface SysctlLineFacts {
  /** The value the file gives the key (last assignment wins, as sysctl reads it); null when absent. */
  fileValue: string | null;
  fileExists: boolean;
  /** Live value, whitespace collapsed; null when the kernel has no such key. */
  live: string | null;
}

const normalise = (value: string) => value.trim().split(/\s+/).join(' ');

/** The value a sysctl.d file assigns to a key: `key = value` lines, `#`/`;` comments, the last one wins. */
export function valueInSysctlFile(text: string, key: string): string | null {
  let value: string | null = null;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const eq = line.indexOf('=');
    if (eq > 0 && line.slice(0, eq).trim().replace(/^-/, '').replace(/\//g, '.') === key) value = normalise(line.slice(eq + 1));
  }
  return value;
}

/** Pure: the file with the key's lines replaced by one `key = value` line (in place of the first), or appended. */
export function setSysctlLine(text: string, key: string, value: string): string {
  const lines = text === '' ? [] : text.replace(/\n$/, '').split('\n');
  const out: string[] = [];
  let done = false;
  for (const raw of lines) {
    const line = raw.trim();
    const eq = line.indexOf('=');
    const matches = !line.startsWith('#') && !line.startsWith(';') && eq > 0 && line.slice(0, eq).trim().replace(/^-/, '').replace(/\//g, '.') === key;
    if (!matches) out.push(raw);
    else if (!done) {
      out.push(`${key} = ${value}`);
      done = true;
    }
  }
  if (!done) out.push(`${key} = ${value}`);
  return out.join('\n') + '\n';
}

/** Sections `@@file` (base64 content or `@@missing`), `@@live` (value or `@@nokey`). */
export function parseSysctlLineFacts(key: string, output: string): SysctlLineFacts {
  const [filePart = '', livePart = ''] = output.replace(/^@@file\n/, '').split('@@live\n');
  const file = filePart.trim();
  const live = livePart.trim();
  const exists = file !== '@@missing';
  return {
    fileExists: exists,
    fileValue: exists ? valueInSysctlFile(Buffer.from(file, 'base64').toString('utf8'), key) : null,
    live: live === '@@nokey' || live === '' ? null : normalise(live),
  };
}

export function sysctlLineProbe(probeKey: string, key: string, file: string): FactProbe<SysctlLineFacts> {
  const f = shellQuote(file);
  return {
    key: probeKey,
    root: true,
    script: [
      'PATH="$PATH:/usr/sbin:/sbin"; echo @@file',
      `if [ -f ${f} ]; then base64 < ${f} | tr -d '\\n'; echo; else echo @@missing; fi`,
      'echo @@live',
      `sysctl -n ${shellQuote(key)} 2>/dev/null || echo @@nokey`,
    ].join('\n'),
    parse: (output) => parseSysctlLineFacts(key, output),
  };
}

export function sysctlLineChanges(id: string, params: SysctlLineParams, facts: SysctlLineFacts): Change[] {
  const value = normalise(String(params.value));
  const changes: Change[] = [];
  if (facts.fileValue !== value) changes.push({ resource: id, field: 'file', before: facts.fileValue, after: value });
  if (params.live !== false && facts.live !== value) changes.push({ resource: id, field: 'live', before: facts.live, after: value });
  return changes;
}

/** One kernel parameter: its line in a sysctl.d file (other lines kept) and, by default, its live value. */
export function sysctlLine(params: SysctlLineParams, context: ResourceContext = {}): Resource {
  if (!/^[a-z0-9_]+(\.[A-Za-z0-9_-]+)+$/.test(params.name)) throw new Error(`sysctl key "${params.name}" is not a kernel parameter name`);
  const value = normalise(String(params.value));
  if (value === '' || /[\r\n]/.test(String(params.value))) throw new Error(`sysctl ${params.name}: the value must be one non-empty line`);
  const file = params.file ?? '/etc/sysctl.d/90-kafclaw.conf';
  if (!file.startsWith('/') || !file.endsWith('.conf')) throw new Error(`sysctl ${params.name}: file "${file}" must be an absolute path ending in .conf`);
  const id = `sysctl:${params.name}`;
  const key = `resource.${id}`;
  return {
    kind: 'sysctl',
    id,
    probes: () => [sysctlLineProbe(key, params.name, file)],
    diff(facts: FactSnapshot): Change[] | Noop {
      const changes = sysctlLineChanges(id, params, facts.get<SysctlLineFacts>(key));
      return changes.length > 0 ? changes : { resource: id, reason: `${file} and the kernel already hold ${value}` };
    },
    async apply(target: Target, changes: Change[]) {
      const sudo = useSudo(context);
      const fields = new Set(changes.map((c) => c.field));
      if (fields.has('file')) {
        // Read now, not from the facts: an earlier sysctl task of this run may have written the same file.
        const current = (await target.readFile(file, { sudo }))?.toString('utf8') ?? '';
        await target.writeFileAtomic(file, setSysctlLine(current, params.name, value), { mode: 0o644, owner: 'root', group: 'root', sudo });
      }
      if (fields.has('live')) {
        const result = await target.run(['sysctl', '-w', `${params.name}=${value}`], { sudo });
        if (result.exitCode !== 0) throw new ApplyError(id, `sysctl -w ${params.name}`, `${result.stderr.trim() || `exit ${result.exitCode}`} (the value is persisted in ${file} and applies at boot, where the kernel allows it)`);
      }
    },
  };
}
