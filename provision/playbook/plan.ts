import type { Connection } from '../inventory/connection.js';
import { connectionFromVars, connectionVarsSchema } from '../inventory/connection.js';
import type { Inventory } from '../inventory/load.js';
import { HostPatternError, selectHosts } from '../inventory/pattern.js';
import { findLiteralSecrets } from '../secrets/slots.js';
import type { SourceError, SourceWhere } from '../vars/source-error.js';
import { throwAll } from '../vars/source-error.js';
import type { EffectiveVars, VarSource } from '../vars/precedence.js';
import { describeOrigin, mergeVars } from '../vars/precedence.js';
import { render, TemplateError, TemplateScope } from '../vars/template.js';
import type { YamlSource } from '../vars/yaml-source.js';
import { issuesToErrors } from '../vars/zod-issues.js';
import { playbookError } from './errors.js';
import type { ResourceKindName, ResourceSpec } from './kinds/index.js';
import { RESOURCE_KINDS } from './kinds/index.js';
import type { HandlerDefinition, PlayDefinition, Playbook, TaskDefinition } from './load.js';
import type { TagSelection } from './tags.js';
import { taskSelected } from './tags.js';
import { evaluateCondition, WhenError } from './when.js';

type Path = (string | number)[];

export interface PlanOptions extends TagSelection {
  /** `-e` sources, highest precedence, in command-line order. */
  extraVars?: readonly VarSource[];
  /** `--limit`: a host pattern that narrows every play's hosts. */
  limit?: string;
}

export interface PlannedTask {
  /** Index of the task in its play (loop iterations share it). */
  index: number;
  /** Rendered name. */
  name: string;
  spec: ResourceSpec;
  notify: string[];
  tags: string[];
  /** The loop element, when the task has `loop`. */
  item?: unknown;
  where: SourceWhere;
}

export interface SkippedTask {
  index: number;
  name: string;
  reason: 'tags' | 'when';
}

export interface PlannedHandler {
  name: string;
  spec: ResourceSpec;
  where: SourceWhere;
}

export interface HostPlan {
  host: string;
  connection: Connection;
  vars: EffectiveVars;
  tasks: PlannedTask[];
  skipped: SkippedTask[];
  handlers: PlannedHandler[];
}

export interface PlayPlan {
  name: string;
  hosts: string[];
  serial: PlayDefinition['serial'];
  maxFailPercentage: number | undefined;
  perHost: Map<string, HostPlan>;
}

export interface Plan {
  playbook: string;
  plays: PlayPlan[];
}

/**
 * Everything a run will do, per play and host, before any connection: hosts selected, variables
 * merged (see provision/vars/precedence.ts), tasks filtered by tags and `when`, loops expanded,
 * parameters rendered and validated against their kind's strict schema. Pure; throws a
 * PlaybookError carrying every problem on every host.
 */
export function planPlaybook(playbook: Playbook, inventory: Inventory, options: PlanOptions = {}): Plan {
  const errors: SourceError[] = [];
  let limited: Set<string> | null = null;
  if (options.limit !== undefined) {
    try {
      limited = new Set(selectHosts(inventory, options.limit));
    } catch (error) {
      if (error instanceof HostPatternError) throw new HostPatternError(`--limit: ${error.message}`);
      throw error;
    }
    if (limited.size === 0) throw new HostPatternError(`--limit "${options.limit}" selects no hosts`);
  }
  const plays: PlayPlan[] = [];
  for (const play of playbook.plays) {
    let hosts: string[] = [];
    try {
      hosts = selectHosts(inventory, play.hosts).filter((host) => limited === null || limited.has(host));
    } catch (error) {
      if (!(error instanceof HostPatternError)) throw error;
      errors.push(playbookError(`hosts: ${error.message}`, playbook.source.where([...play.path, 'hosts'])));
      continue;
    }
    const perHost = new Map<string, HostPlan>();
    for (const host of hosts) {
      const planned = planHost(playbook, play, inventory, host, options, errors);
      if (planned) perHost.set(host, planned);
    }
    plays.push({ name: play.name, hosts, serial: play.serial, maxFailPercentage: play.maxFailPercentage, perHost });
  }
  throwAll(errors);
  return { playbook: playbook.file, plays };
}

/** Ansible's `groups`: every group with all its hosts (through child groups too), in inventory order. */
function groupMembers(inventory: Inventory): Record<string, string[]> {
  const members: Record<string, string[]> = {};
  for (const name of inventory.groups.keys()) members[name] = [];
  for (const host of inventory.hosts.values()) for (const group of host.groups) (members[group] ??= []).push(host.name);
  return members;
}

function planHost(playbook: Playbook, play: PlayDefinition, inventory: Inventory, host: string, options: PlanOptions, errors: SourceError[]): HostPlan | null {
  const source = playbook.source;
  const inventoryHost = inventory.hosts.get(host)!;
  const vars = mergeVars([play.defaults, ...inventoryHost.varSources, ...play.vars, ...(options.extraVars ?? [])]);
  // Ansible's magic variables: always the inventory's own facts about the host, never overridden.
  const magic = { inventory_hostname: host, group_names: inventoryHost.groups.filter((g) => g !== 'all' && g !== 'ungrouped'), groups: groupMembers(inventory) };
  const scope = new TemplateScope({ ...vars.vars, ...magic });
  const before = errors.length;
  const onHost = (message: string) => `on host ${host}: ${message}`;

  for (const required of play.requiredVars) {
    const value = vars.vars[required.name];
    const empty = value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0);
    if (empty) {
      errors.push(playbookError(onHost(`the variable "${required.name}" is required${value === undefined ? '' : ' and must not be empty'}: set it in the inventory (group or host vars), in a vars file, or with -e @FILE (see playbooks/examples/inventory.yml)`), { ...required.where, key: required.name }));
    }
  }
  const connection = hostConnection(host, vars, scope, inventory.file, errors);
  if (errors.length > before) return null;

  const tasks: PlannedTask[] = [];
  const skipped: SkippedTask[] = [];
  for (const [index, task] of play.tasks.entries()) {
    if (!taskSelected(task.tags, options)) {
      skipped.push({ index, name: task.name, reason: 'tags' });
      continue;
    }
    let items: unknown[] | null = null;
    if (task.loop !== undefined) {
      const rendered = renderAt(task.loop, scope, [...task.path, 'loop'], source, onHost, errors);
      if (rendered === FAILED) continue;
      if (!Array.isArray(rendered)) {
        errors.push(playbookError(onHost('loop must render to a list'), source.where([...task.path, 'loop'])));
        continue;
      }
      items = rendered;
    }
    for (const item of items ?? [undefined]) {
      const itemScope = items ? scope.with({ item }) : scope;
      if (task.when) {
        try {
          if (!evaluateCondition(task.when, itemScope)) {
            skipped.push({ index, name: task.name, reason: 'when' });
            continue;
          }
        } catch (error) {
          if (!(error instanceof WhenError || error instanceof TemplateError)) throw error;
          errors.push(playbookError(onHost(`when: ${error.message}`), source.where([...task.path, 'when'])));
          continue;
        }
      }
      const spec = renderSpec(playbook, task, itemScope, onHost, errors);
      const name = renderAt(task.name, itemScope, [...task.path, 'name'], source, onHost, errors);
      if (!spec || name === FAILED) continue;
      tasks.push({ index, name: String(name), spec, notify: task.notify, tags: task.tags, ...(items ? { item } : {}), where: task.where });
    }
  }

  const handlers: PlannedHandler[] = [];
  for (const handler of play.handlers) {
    const spec = renderSpec(playbook, handler, scope, onHost, errors);
    if (spec) handlers.push({ name: handler.name, spec, where: handler.where });
  }
  return { host, connection, vars, tasks, skipped, handlers };
}

const FAILED = Symbol('failed');

/** Renders a value, reporting a template error at the exact key path of the string that failed. */
function renderAt(value: unknown, scope: TemplateScope, path: Path, source: YamlSource, onHost: (m: string) => string, errors: SourceError[]): unknown {
  try {
    if (Array.isArray(value)) {
      const out = value.map((item, i) => renderAt(item, scope, [...path, i], source, onHost, errors));
      return out.includes(FAILED) ? FAILED : out;
    }
    if (value && typeof value === 'object') {
      const out: Record<string, unknown> = {};
      let failed = false;
      for (const [key, item] of Object.entries(value)) {
        const rendered = renderAt(item, scope, [...path, key], source, onHost, errors);
        if (rendered === FAILED) failed = true;
        Object.defineProperty(out, key, { value: rendered, enumerable: true, writable: true, configurable: true });
      }
      return failed ? FAILED : out;
    }
    return render(value, scope);
  } catch (error) {
    if (!(error instanceof TemplateError)) throw error;
    errors.push(playbookError(onHost(error.message), source.where(path)));
    return FAILED;
  }
}

function renderSpec(playbook: Playbook, item: TaskDefinition | HandlerDefinition, scope: TemplateScope, onHost: (m: string) => string, errors: SourceError[]): ResourceSpec | null {
  const source = playbook.source;
  const paramsPath = [...item.path, item.kind];
  let params = renderAt(item.params, scope, paramsPath, source, onHost, errors);
  if (params === FAILED) return null;
  const record = params as Record<string, unknown>;
  if (typeof record?.template === 'string') {
    const text = playbook.templates.get(record.template);
    if (text === undefined) {
      errors.push(playbookError(onHost(`the template "${record.template}" was not found next to the playbook`), source.where([...paramsPath, 'template'])));
      return null;
    }
    try {
      const { template: _template, ...rest } = record;
      params = { ...rest, content: render(text, scope) };
    } catch (error) {
      if (!(error instanceof TemplateError)) throw error;
      errors.push(playbookError(onHost(`in template ${record.template}: ${error.message}`), source.where([...paramsPath, 'template'])));
      return null;
    }
  }
  const schema = RESOURCE_KINDS[item.kind].params;
  const parsed = schema.safeParse(params);
  if (!parsed.success) {
    const found = issuesToErrors(parsed.error.issues, { ...source, value: wrapAt(paramsPath, params) }, schema, (message, where) => playbookError(onHost(message), where), paramsPath);
    errors.push(...found);
    return null;
  }
  return { kind: item.kind as ResourceKindName, params: parsed.data } as ResourceSpec;
}

/** The rendered params placed at their key path, so issue messages describe rendered values. */
function wrapAt(path: Path, value: unknown): unknown {
  let root: unknown = value;
  for (let i = path.length - 1; i >= 0; i--) {
    const segment = path[i]!;
    if (typeof segment === 'number') {
      const list: unknown[] = [];
      list[segment] = root;
      root = list;
    } else root = { [segment]: root };
  }
  return root;
}

function hostConnection(host: string, vars: EffectiveVars, scope: TemplateScope, inventoryFile: string, errors: SourceError[]): Connection {
  const connectionVars: Record<string, unknown> = {};
  const whereOf = (name: string): SourceWhere => {
    const origin = vars.origins[name];
    return { file: origin?.file ?? inventoryFile, line: origin?.line, column: origin?.column, key: name };
  };
  for (const name of [...Object.keys(connectionVarsSchema.shape), 'secrets']) {
    if (!Object.hasOwn(vars.vars, name)) continue;
    try {
      connectionVars[name] = scope.get(name);
    } catch (error) {
      if (!(error instanceof TemplateError)) throw error;
      errors.push(playbookError(`on host ${host}: ${error.message}`, whereOf(name)));
    }
  }
  for (const literal of findLiteralSecrets(connectionVars)) {
    const name = String(literal.path[0]);
    errors.push(playbookError(`on host ${host}: ${literal.path.join('.')} (from ${describeOrigin(vars.origins[name]!)}): ${literal.message}`, whereOf(name)));
  }
  delete connectionVars.secrets;
  const parsed = connectionVarsSchema.safeParse(connectionVars);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const name = String(issue.path[0]);
      errors.push(playbookError(`on host ${host}: ${name} (from ${describeOrigin(vars.origins[name]!)}) is invalid once rendered: ${issue.message}`, whereOf(name)));
    }
    return connectionFromVars(host, {});
  }
  return connectionFromVars(host, parsed.data);
}
