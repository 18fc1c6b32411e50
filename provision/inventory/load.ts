import { readFile } from 'node:fs/promises';
import type { SourceError, SourceWhere } from '../vars/source-error.js';
import { throwAll } from '../vars/source-error.js';
import type { EffectiveVars, VarSource } from '../vars/precedence.js';
import { mergeVars } from '../vars/precedence.js';
import { varsFromMapping } from '../vars/vars-mapping.js';
import { parseYamlSource } from '../vars/yaml-source.js';
import type { YamlSource } from '../vars/yaml-source.js';
import { issuesToErrors } from '../vars/zod-issues.js';
import type { Connection } from './connection.js';
import { connectionFromVars } from './connection.js';
import { inventoryError } from './errors.js';
import type { GroupInput } from './schema.js';
import { inventorySchema } from './schema.js';

export interface InventoryGroup {
  name: string;
  /** Longest distance from `all` (0 for `all`): group vars apply in this order. */
  depth: number;
  /** Hosts listed directly in this group. */
  hosts: string[];
  children: string[];
  parents: string[];
}

export interface InventoryHost {
  name: string;
  /** Every group the host belongs to, directly or through children, in var-precedence order. */
  groups: string[];
  /** Group vars (in precedence order), then host vars. */
  varSources: VarSource[];
  /** The inventory's view of the host: group and host vars merged. */
  vars: EffectiveVars;
  /** From the inventory's vars as written; a plan's `HostPlan.connection` is the rendered, final one. */
  connection: Connection;
}

export interface Inventory {
  file: string;
  /** In the order they first appear in the file. */
  hosts: Map<string, InventoryHost>;
  groups: Map<string, InventoryGroup>;
}

const GROUP_NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;

interface GroupBuild {
  name: string;
  hosts: string[];
  children: string[];
  parents: string[];
  vars: VarSource[];
}

/** Reads and validates an Ansible YAML inventory; throws InventoryError with every problem found. */
export async function loadInventory(path: string): Promise<Inventory> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw inventoryError(`cannot read the inventory (${(error as NodeJS.ErrnoException).code}); check the path given with -i`, { file: path });
  }
  return parseInventory(text, path);
}

/** As loadInventory, from text. */
export function parseInventory(text: string, file: string): Inventory {
  const source = parseYamlSource(text, file, inventoryError);
  if (source.value === null || typeof source.value !== 'object' || Array.isArray(source.value)) {
    throwAll([inventoryError('an inventory is a YAML mapping of groups, usually starting with "all:" (see playbooks/examples/inventory.yml)', { file, line: 1, column: 1 })]);
  }
  const parsed = inventorySchema.safeParse(source.value);
  if (!parsed.success) throwAll(issuesToErrors(parsed.error.issues, source, inventorySchema, inventoryError));
  return build(source, parsed.data!);
}

function build(source: YamlSource, top: Record<string, GroupInput | null>): Inventory {
  const errors: SourceError[] = [];
  const groups = new Map<string, GroupBuild>();
  const hostOrder: string[] = [];
  const hostVars = new Map<string, VarSource[]>();

  const group = (name: string): GroupBuild => {
    let found = groups.get(name);
    if (!found) {
      found = { name, hosts: [], children: [], parents: [], vars: [] };
      groups.set(name, found);
    }
    return found;
  };
  const linkWhere = new Map<string, SourceWhere>();
  const link = (parent: string, child: string, where?: SourceWhere) => {
    if (where && !linkWhere.has(`${parent}>${child}`)) linkWhere.set(`${parent}>${child}`, where);
    const p = group(parent);
    const c = group(child);
    if (!p.children.includes(child)) p.children.push(child);
    if (!c.parents.includes(parent)) c.parents.push(parent);
  };

  const visit = (name: string, input: GroupInput | null, path: (string | number)[]) => {
    if (!GROUP_NAME.test(name)) {
      errors.push(inventoryError(`"${name}" is not a valid group name: use letters, digits, _ and -`, source.where(path, 'key')));
    }
    const current = group(name);
    if (!input) return;
    if (input.vars) {
      const { vars, errors: found } = varsFromMapping(source, [...path, 'vars'], 'group', inventoryError, name);
      current.vars.push(vars);
      errors.push(...found);
    }
    for (const [host, value] of Object.entries(input.hosts ?? {})) {
      if (!hostOrder.includes(host)) hostOrder.push(host);
      if (!current.hosts.includes(host)) current.hosts.push(host);
      if (value) {
        const { vars, errors: found } = varsFromMapping(source, [...path, 'hosts', host], 'host', inventoryError);
        hostVars.set(host, [...(hostVars.get(host) ?? []), vars]);
        errors.push(...found);
      }
    }
    for (const [child, value] of Object.entries(input.children ?? {})) {
      if (child === 'all') {
        errors.push(inventoryError('"all" cannot be a child group: it already contains every group', source.where([...path, 'children', child], 'key')));
        continue;
      }
      link(name, child, source.where([...path, 'children', child], 'key'));
      visit(child, value, [...path, 'children', child]);
    }
  };

  group('all');
  for (const [name, value] of Object.entries(top)) {
    if (name !== 'all') link('all', name);
    visit(name, value, [name]);
  }
  throwAll(errors);

  const depth = computeDepths(groups, source, linkWhere);
  const ungrouped = hostOrder.filter((host) => ![...groups.values()].some((g) => g.name !== 'all' && g.hosts.includes(host)));
  if (ungrouped.length > 0) {
    link('all', 'ungrouped');
    group('ungrouped').hosts.push(...ungrouped.filter((host) => !group('ungrouped').hosts.includes(host)));
    depth.set('ungrouped', Math.max(depth.get('ungrouped') ?? 1, 1));
  }
  if (hostOrder.length === 0) {
    throwAll([inventoryError('the inventory lists no hosts: add them under all.hosts or a group\'s hosts (see playbooks/examples/inventory.yml)', { file: source.file, line: 1, column: 1 })]);
  }

  const result: Inventory = { file: source.file, hosts: new Map(), groups: new Map() };
  for (const g of groups.values()) {
    result.groups.set(g.name, { name: g.name, depth: depth.get(g.name) ?? 0, hosts: g.hosts, children: g.children, parents: g.parents });
  }
  for (const host of hostOrder) {
    const memberOf = new Set<string>(['all']);
    const climb = (name: string) => {
      if (memberOf.has(name)) return;
      memberOf.add(name);
      for (const parent of groups.get(name)?.parents ?? []) climb(parent);
    };
    for (const g of groups.values()) if (g.hosts.includes(host)) climb(g.name);
    const ordered = [...memberOf].sort((a, b) => (depth.get(a) ?? 0) - (depth.get(b) ?? 0) || (a === b ? 0 : a < b ? -1 : 1));
    const varSources = [...ordered.flatMap((name) => groups.get(name)?.vars ?? []), ...(hostVars.get(host) ?? [])];
    const vars = mergeVars(varSources);
    result.hosts.set(host, { name: host, groups: ordered, varSources, vars, connection: connectionFromVars(host, vars.vars) });
  }
  return result;
}

/** Depth of every group: longest path from `all`, as Ansible orders group vars. A cycle is an error. */
function computeDepths(groups: Map<string, GroupBuild>, source: YamlSource, linkWhere: Map<string, SourceWhere>): Map<string, number> {
  const depth = new Map<string, number>();
  const walk = (name: string, level: number, trail: string[]) => {
    if (trail.includes(name)) {
      const where = linkWhere.get(`${trail[trail.length - 1]}>${name}`) ?? { file: source.file };
      throwAll([inventoryError(`group "${name}" is its own ancestor (${[...trail.slice(trail.indexOf(name)), name].join(' → ')}); remove one of the children links`, where)]);
    }
    if ((depth.get(name) ?? -1) >= level) return;
    depth.set(name, level);
    for (const child of groups.get(name)?.children ?? []) walk(child, level + 1, [...trail, name]);
  };
  walk('all', 0, []);
  return depth;
}
