import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { getAtPath } from '../../lib/config/key-path.js';
import type { SourceError, SourceWhere } from '../vars/source-error.js';
import { throwAll } from '../vars/source-error.js';
import type { VarSource } from '../vars/precedence.js';
import { varsFromMapping } from '../vars/vars-mapping.js';
import { findTemplateErrors, isTemplate } from '../vars/template.js';
import { parseYamlSource } from '../vars/yaml-source.js';
import type { YamlSource } from '../vars/yaml-source.js';
import { issuesToErrors } from '../vars/zod-issues.js';
import { playbookError } from './errors.js';
import type { ResourceKindName } from './kinds/index.js';
import { RESOURCE_KIND_NAMES } from './kinds/index.js';
import type { PlayInput, TaskInput } from './schema.js';
import { playbookSchema } from './schema.js';
import type { Condition } from './when.js';
import { parseWhen, WhenError } from './when.js';

type Path = (string | number)[];

export interface TaskDefinition {
  /** As written; may hold templates (`{{ item.name }}`). */
  name: string;
  kind: ResourceKindName;
  /** Parameters as written (not the loose parse's output), rendered per host by the planner. */
  params: unknown;
  notify: string[];
  tags: string[];
  when: Condition | null;
  /** A list, or a template that renders to one. */
  loop: unknown;
  /** Key path of the task in the playbook file. */
  path: Path;
  where: SourceWhere;
}

export interface HandlerDefinition {
  name: string;
  kind: ResourceKindName;
  params: unknown;
  path: Path;
  where: SourceWhere;
}

export interface PlayDefinition {
  name: string;
  hosts: string;
  path: Path;
  where: SourceWhere;
  defaults: VarSource;
  /** `vars`, then each of `vars_files`. */
  vars: VarSource[];
  requiredVars: Array<{ name: string; where: SourceWhere }>;
  serial: number | string | Array<number | string> | undefined;
  maxFailPercentage: number | undefined;
  tasks: TaskDefinition[];
  handlers: HandlerDefinition[];
}

export interface Playbook {
  file: string;
  dir: string;
  source: YamlSource;
  plays: PlayDefinition[];
  /** Files named by `template:` parameters, read at load time (path relative to the playbook). */
  templates: Map<string, string>;
}

const asList = (value: string | string[] | undefined) => (value === undefined ? [] : typeof value === 'string' ? [value] : value);
const kindOf = (value: Record<string, unknown>) => RESOURCE_KIND_NAMES.find((name) => value[name] !== undefined)!;

/**
 * Reads and validates a playbook and everything it names (vars files, templates) without touching
 * any host. Throws a PlaybookError carrying every problem found.
 */
export async function loadPlaybook(path: string): Promise<Playbook> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw playbookError(`cannot read the playbook (${(error as NodeJS.ErrnoException).code}); check the path`, { file: path });
  }
  return parsePlaybook(text, path);
}

/** As loadPlaybook, from text; `file` names the playbook and anchors relative paths. */
export async function parsePlaybook(text: string, file: string): Promise<Playbook> {
  const source = parseYamlSource(text, file, playbookError);
  if (!Array.isArray(source.value)) {
    throwAll([playbookError('a playbook is a YAML list of plays: start each play with "- name: …"', { file, line: 1, column: 1 })]);
  }
  const parsed = playbookSchema.safeParse(source.value);
  if (!parsed.success) throwAll(issuesToErrors(parsed.error.issues, source, playbookSchema, playbookError));

  const dir = dirname(resolve(file));
  const errors: SourceError[] = [];
  const templates = new Map<string, string>();
  const plays: PlayDefinition[] = [];
  for (const [index, play] of parsed.data!.entries()) {
    plays.push(await buildPlay(source, play, [index], dir, templates, errors));
  }
  throwAll(errors);
  return { file, dir, source, plays, templates };
}

async function buildPlay(source: YamlSource, play: PlayInput, path: Path, dir: string, templates: Map<string, string>, errors: SourceError[]): Promise<PlayDefinition> {
  const defaults = varsFromMapping(source, [...path, 'defaults'], 'default', playbookError);
  const vars = varsFromMapping(source, [...path, 'vars'], 'play', playbookError);
  errors.push(...defaults.errors, ...vars.errors);
  const varSources = [vars.vars];

  for (const [i, name] of (play.vars_files ?? []).entries()) {
    const filePath = resolve(dir, name);
    let text: string;
    try {
      text = await readFile(filePath, 'utf8');
    } catch (error) {
      errors.push(playbookError(`cannot read the vars file ${filePath} (${(error as NodeJS.ErrnoException).code}); paths are relative to the playbook`, source.where([...path, 'vars_files', i])));
      continue;
    }
    try {
      const fileSource = parseYamlSource(text, filePath, playbookError);
      if (fileSource.value !== null && (typeof fileSource.value !== 'object' || Array.isArray(fileSource.value))) {
        errors.push(playbookError('a vars file must be a mapping of variable names to values', { file: filePath, line: 1, column: 1 }));
        continue;
      }
      const loaded = varsFromMapping(fileSource, [], 'play', playbookError);
      errors.push(...loaded.errors);
      varSources.push(loaded.vars);
    } catch (error) {
      errors.push(...((error as SourceError).all ?? [error as SourceError]));
    }
  }

  const handlers: HandlerDefinition[] = [];
  for (const [i, handler] of (play.handlers ?? []).entries()) {
    const handlerPath = [...path, 'handlers', i];
    const kind = kindOf(handler as Record<string, unknown>);
    if (handlers.some((other) => other.name === handler.name)) {
      errors.push(playbookError(`a handler named "${handler.name}" already exists in this play; handler names must be unique`, source.where([...handlerPath, 'name'])));
    }
    for (const bad of findTemplateErrors(handler, handlerPath)) errors.push(playbookError(bad.message, source.where(bad.path)));
    await preloadTemplate(source, handler as Record<string, unknown>, kind, handlerPath, dir, templates, errors);
    handlers.push({ name: handler.name, kind, params: getAtPath(source.value, [...handlerPath, kind]), path: handlerPath, where: source.where(handlerPath) });
  }

  const tasks: TaskDefinition[] = [];
  for (const [i, task] of play.tasks.entries()) {
    const taskPath = [...path, 'tasks', i];
    tasks.push(await buildTask(source, task, taskPath, handlers, dir, templates, errors));
  }

  return {
    name: play.name,
    hosts: play.hosts,
    path,
    where: source.where(path),
    defaults: defaults.vars,
    vars: varSources,
    requiredVars: (play.required_vars ?? []).map((name, i) => ({ name, where: source.where([...path, 'required_vars', i]) })),
    serial: play.serial,
    maxFailPercentage: play.max_fail_percentage,
    tasks,
    handlers,
  };
}

async function buildTask(source: YamlSource, task: TaskInput, path: Path, handlers: HandlerDefinition[], dir: string, templates: Map<string, string>, errors: SourceError[]): Promise<TaskDefinition> {
  const record = task as Record<string, unknown>;
  const kind = kindOf(record);
  for (const bad of findTemplateErrors(record, path)) errors.push(playbookError(bad.message, source.where(bad.path)));

  let when: Condition | null = null;
  if (task.when !== undefined) {
    try {
      when = parseWhen(task.when);
    } catch (error) {
      if (!(error instanceof WhenError)) throw error;
      errors.push(playbookError(`when: ${error.message}`, source.where([...path, 'when'])));
    }
  }

  const notify = asList(task.notify);
  for (const [i, name] of notify.entries()) {
    if (!handlers.some((handler) => handler.name === name)) {
      const at = typeof task.notify === 'string' ? [...path, 'notify'] : [...path, 'notify', i];
      const known = handlers.map((handler) => `"${handler.name}"`).join(', ') || 'none';
      errors.push(playbookError(`notify names "${name}", but this play has no handler of that name (handlers: ${known})`, source.where(at)));
    }
  }
  await preloadTemplate(source, record, kind, path, dir, templates, errors);
  return { name: task.name, kind, params: getAtPath(source.value, [...path, kind]), notify, tags: asList(task.tags), when, loop: task.loop, path, where: source.where(path) };
}

/** Reads a `template:` file now, so a missing one is an input error before any host is touched. */
async function preloadTemplate(source: YamlSource, item: Record<string, unknown>, kind: ResourceKindName, path: Path, dir: string, templates: Map<string, string>, errors: SourceError[]): Promise<void> {
  const name = getAtPath(item[kind], ['template']);
  if (typeof name !== 'string' || isTemplate(name) || templates.has(name)) return;
  try {
    const text = await readFile(resolve(dir, name), 'utf8');
    for (const bad of findTemplateErrors(text)) errors.push(playbookError(`in template ${name}: ${bad.message}`, source.where([...path, kind, 'template'])));
    templates.set(name, text);
  } catch (error) {
    errors.push(playbookError(`cannot read the template ${resolve(dir, name)} (${(error as NodeJS.ErrnoException).code}); paths are relative to the playbook`, source.where([...path, kind, 'template'])));
  }
}
