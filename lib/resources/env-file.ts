import { randomBytes } from 'node:crypto';
import type { FactProbe } from '../facts/types.js';
import type { FactSnapshot } from '../facts/snapshot.js';
import type { Target } from '../target/types.js';
import type { Change, Noop, Resource } from './types.js';
import type { ResourceContext } from './context.js';
import { useSudo } from './context.js';
import { Secret } from '../secrets/secret.js';
import { envFileValueText } from '../config/env-file-edit.js';
import { shellQuote } from '../target/quote.js';
import { STAT_LINE, parseStatFields, type PathState } from './path-state.js';
import { applyAttributes, attributeChanges } from './managed-file.js';
import { sha256Hex } from './fingerprint.js';
import { formatMode } from './mode.js';

export interface EnvFileParams {
  path: string;
  /** Every variable of the file (with `values_from`); the file holds exactly these, in this order. */
  values?: Readonly<Record<string, Secret>>;
  /** More variables, e.g. a whole mapping of provider keys; `values` wins on a name in both. */
  values_from?: Readonly<Record<string, Secret>>;
  owner?: string;
  group?: string;
  /** Default 0600. */
  mode?: number;
}

/** The env file as the host holds it: values never leave the host, only salted hashes of whole lines. */
export interface EnvFileFacts {
  state: PathState;
  /** Variable name → salted sha256 of its first `NAME=...` line. */
  lines: Map<string, string>;
  /** Salted sha256 of the whole file. */
  file: string | null;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function renderEnvFile(values: Readonly<Record<string, Secret>>): Secret {
  const lines = Object.entries(values).map(([name, value]) => {
    if (!NAME.test(name)) throw new Error(`env file variable "${name}" is not a valid name: use letters, digits and _`);
    if (/[\r\n\0]/.test(value.reveal())) throw new Error(`env file variable ${name}: the value holds a line break, which an env file cannot carry`);
    return `${name}=${envFileValueText(value.reveal())}`;
  });
  return new Secret(lines.map((line) => line + '\n').join(''), 'env-file');
}

export const saltedHash = (salt: string, text: string) => sha256Hex(salt + text);

/**
 * Output: `@@missing`, or the stat line, then `@@file HASH`, then `@@line NAME HASH` per assignment.
 * The salt is random per resource, so the hashes say nothing outside this run.
 */
export function parseEnvFileFacts(path: string, output: string, exitCode: number): EnvFileFacts {
  const lines = output.split('\n').filter((line) => line !== '');
  if (lines[0] === '@@missing') return { state: { exists: false }, lines: new Map(), file: null };
  const stat = parseStatFields(lines[0] ?? '');
  if (!stat) throw new Error(`cannot stat ${path}: ${lines[0] ?? `exit ${exitCode}`}`);
  let file: string | null = null;
  const byName = new Map<string, string>();
  for (const line of lines.slice(1)) {
    const whole = /^@@file ([0-9a-f]{64})(?:\s+-)?$/.exec(line);
    if (whole) file = whole[1]!;
    const one = /^@@line (\S+) ([0-9a-f]{64})(?:\s+-)?$/.exec(line);
    if (one && !byName.has(one[1]!)) byName.set(one[1]!, one[2]!);
  }
  if (stat.type === 'file' && (exitCode !== 0 || file === null)) throw new Error(`cannot read ${path}: exit ${exitCode}`);
  return { state: { ...stat, sha256: null }, lines: byName, file };
}

/**
 * `wantedFile`: the salted hash of the file as it should be; when the file has it, the per-line
 * hashes (a process per line) are skipped, since every line is then as wanted.
 */
export function envFileProbe(key: string, path: string, salt: string, wantedFile?: string): FactProbe<EnvFileFacts> {
  const p = shellQuote(path);
  const s = shellQuote(salt);
  return {
    key,
    root: true,
    script: [
      `if [ -e ${p} ] || [ -L ${p} ]; then ${STAT_LINE} ${p} || exit 1; else echo @@missing; exit 0; fi`,
      `[ -f ${p} ] && [ ! -L ${p} ] || exit 0`,
      `h=$({ printf '%s' ${s}; cat ${p}; } | sha256sum) || exit 1; printf '@@file %s\\n' "$h"`,
      ...(wantedFile ? [`[ "\${h%% *}" != ${shellQuote(wantedFile)} ] || exit 0`] : []),
      `while IFS= read -r l || [ -n "$l" ]; do`,
      `  case "$l" in ''|'#'*) continue;; esac`,
      `  n=\${l%%=*}; [ "$n" != "$l" ] || continue; n=\${n#export }`,
      `  printf '@@line %s ' "$n"; printf '%s%s' ${s} "$l" | sha256sum`,
      `done < ${p}`,
    ].join('\n'),
    parse: (output, exitCode) => parseEnvFileFacts(path, output, exitCode),
  };
}

/** Pure: changes per variable, shown as `(secret)` and fingerprints only. */
export function envFileChanges(
  id: string,
  wanted: { values: Readonly<Record<string, Secret>>; owner: string; group: string; mode: number },
  facts: EnvFileFacts,
  salt: string,
): Change[] {
  const after = (value: Secret) => `(secret ${value.fingerprint()})`;
  if (!facts.state.exists) return Object.entries(wanted.values).map(([name, value]) => ({ resource: id, field: name, before: null, after: after(value) }));
  if (facts.state.type !== 'file') return [{ resource: id, field: 'type', before: facts.state.type, after: 'file' }];
  const wholeFile = saltedHash(salt, renderEnvFile(wanted.values).reveal());
  if (facts.file === wholeFile) return attributeChanges(id, wanted, facts.state);
  const changes: Change[] = [];
  for (const [name, value] of Object.entries(wanted.values)) {
    const line = `${name}=${envFileValueText(value.reveal())}`;
    const current = facts.lines.get(name);
    if (current !== saltedHash(salt, line)) changes.push({ resource: id, field: name, before: current === undefined ? null : '(secret)', after: after(value) });
  }
  for (const name of facts.lines.keys()) {
    if (!Object.hasOwn(wanted.values, name)) changes.push({ resource: id, field: name, before: '(secret)', after: null });
  }
  if (changes.length === 0) {
    changes.push({ resource: id, field: 'layout', before: 'other lines or order', after: 'one line per variable' });
  }
  return [...changes, ...attributeChanges(id, wanted, facts.state)];
}

/** An env file holding exactly the given secrets; 0600 (or its mode) before the first byte is written. */
export function envFile(params: EnvFileParams, context: ResourceContext = {}): Resource {
  const values = { ...(params.values_from ?? {}), ...(params.values ?? {}) };
  if (Object.keys(values).length === 0) throw new Error(`env file ${params.path}: give values or values_from`);
  const wanted = { values, owner: params.owner ?? 'root', group: params.group ?? 'root', mode: params.mode ?? 0o600 };
  const id = `env_file:${params.path}`;
  const key = `resource.${id}`;
  const salt = randomBytes(16).toString('hex');
  const attributeFields = new Set(['owner', 'group', 'mode']);
  return {
    kind: 'env_file',
    id,
    probes: () => [envFileProbe(key, params.path, salt, saltedHash(salt, renderEnvFile(values).reveal()))],
    diff(facts: FactSnapshot): Change[] | Noop {
      const changes = envFileChanges(id, wanted, facts.get<EnvFileFacts>(key), salt);
      return changes.length > 0 ? changes : { resource: id, reason: `every variable holds its value; ${wanted.owner}:${wanted.group} ${formatMode(wanted.mode)}` };
    },
    async apply(target: Target, changes: Change[]) {
      const sudo = useSudo(context);
      if (changes.some((c) => !attributeFields.has(c.field))) {
        await target.writeFileAtomic(params.path, renderEnvFile(wanted.values), { mode: wanted.mode, owner: wanted.owner, group: wanted.group, sudo });
        return;
      }
      await applyAttributes(target, id, params.path, wanted, changes, sudo);
    },
  };
}
