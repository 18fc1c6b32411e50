/**
 * Variable precedence, lowest first. A higher layer replaces a whole top-level variable (mappings are
 * not merged, as in Ansible's default `hash_behaviour=replace`):
 *
 *   1. default  the play's `defaults:` (playbook/role defaults)
 *   2. group    inventory group vars: `all` first, then deeper groups (parent before child), groups
 *               of the same depth by name
 *   3. host     inventory host vars
 *   4. play     the play's `vars:`, then its `vars_files:` in order
 *   5. extra    `-e KEY=VALUE` and `-e @FILE`, in command-line order
 *
 * Within a layer, sources apply in the order given.
 */
export const VAR_LAYERS = ['default', 'group', 'host', 'play', 'extra'] as const;
export type VarLayer = (typeof VAR_LAYERS)[number];

/** Where an effective variable came from. */
export interface VarOrigin {
  layer: VarLayer;
  file?: string;
  line?: number;
  column?: number;
  /** For the group layer: which group. */
  group?: string;
}

/** One mapping of variables from one place. */
export interface VarSource {
  layer: VarLayer;
  vars: Record<string, unknown>;
  origin(name: string): VarOrigin;
}

export interface EffectiveVars {
  vars: Record<string, unknown>;
  origins: Record<string, VarOrigin>;
}

/** The effective variables: every source applied in precedence order (pure). */
export function mergeVars(sources: readonly VarSource[]): EffectiveVars {
  const ordered = sources
    .map((source, index) => ({ source, index }))
    .sort((a, b) => VAR_LAYERS.indexOf(a.source.layer) - VAR_LAYERS.indexOf(b.source.layer) || a.index - b.index);
  const vars: Record<string, unknown> = {};
  const origins: Record<string, VarOrigin> = {};
  for (const { source } of ordered) {
    for (const [name, value] of Object.entries(source.vars)) {
      Object.defineProperty(vars, name, { value, enumerable: true, writable: true, configurable: true });
      origins[name] = source.origin(name);
    }
  }
  return { vars, origins };
}

/** `group vars of "web" (inventory.yml:12:5)`: for messages. */
export function describeOrigin(origin: VarOrigin): string {
  const names: Record<VarLayer, string> = { default: 'play defaults', group: 'group vars', host: 'host vars', play: 'play vars', extra: 'extra vars (-e)' };
  let text = names[origin.layer];
  if (origin.group) text += ` of "${origin.group}"`;
  if (origin.file) text += ` (${origin.file}${origin.line !== undefined ? `:${origin.line}:${origin.column ?? 1}` : ''})`;
  return text;
}
