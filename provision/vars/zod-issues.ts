import type * as z from 'zod/mini';
import { getAtPath } from '../../lib/config/key-path.js';
import type { YamlSource } from './yaml-source.js';
import type { SourceError, SourceErrorFactory } from './source-error.js';

type Issue = z.core.$ZodIssue;
type Path = (string | number)[];

/** What a value is, in words, without ever showing the value (it could be a secret). */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null (an empty value)';
  if (Array.isArray(value)) return value.length === 0 ? 'an empty list' : 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') {
    if (/^-?\d+(\.\d+)?$/.test(value)) return 'a quoted string that looks like a number';
    if (/^(true|false)$/i.test(value)) return 'a quoted string that looks like a boolean';
    return 'a string';
  }
  return `a ${typeof value}`;
}

function expectedName(expected: string): string {
  const names: Record<string, string> = { object: 'a mapping', record: 'a mapping', array: 'a list', string: 'a string', number: 'a number', int: 'an integer', boolean: 'true or false', null: 'null' };
  return names[expected] ?? expected;
}

function typeHint(expected: string, actual: unknown): string {
  if (expected === 'number' && typeof actual === 'string' && /^-?\d+$/.test(actual)) return ': write the number without quotes (strings are not converted)';
  if (expected === 'boolean' && typeof actual === 'string' && /^(true|false)$/i.test(actual)) return ': write true or false without quotes (strings are not converted)';
  if (expected === 'boolean' && typeof actual === 'string' && /^(yes|no|on|off)$/i.test(actual)) return ': YAML 1.2 reads yes/no/on/off as strings; write true or false';
  if (expected === 'string' && typeof actual === 'number') return ': quote the value';
  return '';
}

/** Keys an object schema accepts at a path, best effort, for "unknown key" messages. */
export function allowedKeysAt(schema: z.core.$ZodType, path: Path): string[] | null {
  let node = schema as unknown as { _zod: { def: Record<string, unknown> } };
  const unwrap = () => {
    for (let guard = 0; guard < 20; guard++) {
      const def = node._zod.def;
      if (['optional', 'nullable', 'default', 'prefault', 'readonly', 'nonoptional', 'catch'].includes(def.type as string)) node = def.innerType as typeof node;
      else if (def.type === 'pipe') node = def.in as typeof node;
      else if (def.type === 'lazy') node = (def.getter as () => typeof node)();
      else if (def.type === 'union') {
        const objects = (def.options as (typeof node)[]).filter((option) => option._zod.def.type === 'object');
        if (objects.length !== 1) return false;
        node = objects[0]!;
      } else return true;
    }
    return false;
  };
  for (const segment of path) {
    if (!unwrap()) return null;
    const def = node._zod.def;
    if (def.type === 'object') {
      const next = (def.shape as Record<string, typeof node>)[String(segment)];
      if (!next) return null;
      node = next;
    } else if (def.type === 'array') node = def.element as typeof node;
    else if (def.type === 'record') node = def.valueType as typeof node;
    else return null;
  }
  if (!unwrap() || node._zod.def.type !== 'object') return null;
  return Object.keys(node._zod.def.shape as object);
}

/** The branch of a failed union that got furthest: the one whose issues sit deepest, then fewest. */
function bestUnionBranch(issue: Issue & { code: 'invalid_union' }): Issue[] | null {
  const branches = issue.errors.filter((branch) => branch.length > 0);
  if (branches.length === 0) return null;
  const depth = (branch: Issue[]) => Math.max(...branch.map((inner) => inner.path.length));
  return [...branches].sort((a, b) => depth(b) - depth(a) || a.length - b.length)[0]!;
}

/**
 * Turns zod issues into positioned errors. Each message says what was expected and what to do;
 * values are described by kind, never quoted.
 */
export function issuesToErrors(
  issues: readonly Issue[],
  source: YamlSource,
  schema: z.core.$ZodType,
  makeError: SourceErrorFactory,
  base: Path = [],
): SourceError[] {
  const errors: SourceError[] = [];
  for (const issue of issues) {
    const path = [...base, ...(issue.path as Path)];
    const actual = getAtPath(source.value, path);
    switch (issue.code) {
      case 'invalid_type': {
        if (actual === undefined) {
          const key = path[path.length - 1];
          errors.push(makeError(`missing required key "${String(key)}" (${expectedName(issue.expected)})`, { ...source.where(path.slice(0, -1)), key: source.where(path).key }));
        } else if (!issue.message.startsWith('Invalid input')) {
          errors.push(makeError(issue.message, source.where(path)));
        } else {
          errors.push(makeError(`expected ${expectedName(issue.expected)}, got ${describeValue(actual)}${typeHint(issue.expected, actual)}`, source.where(path)));
        }
        break;
      }
      case 'unrecognized_keys':
        for (const key of issue.keys) {
          const allowed = allowedKeysAt(schema, issue.path as Path);
          const hint = allowed ? `; allowed keys here: ${allowed.join(', ')}` : '';
          errors.push(makeError(`unknown key "${key}"${hint}`, source.where([...path, key], 'key')));
        }
        break;
      case 'too_small':
        if (issue.origin === 'array') errors.push(makeError(`the list is empty: it must hold at least ${issue.minimum} entr${Number(issue.minimum) === 1 ? 'y' : 'ies'}`, source.where(path)));
        else if (issue.origin === 'string') errors.push(makeError('must not be empty', source.where(path)));
        else errors.push(makeError(`must be at least ${issue.minimum}`, source.where(path)));
        break;
      case 'too_big':
        errors.push(makeError(`must be at most ${issue.maximum}`, source.where(path)));
        break;
      case 'invalid_value':
        errors.push(makeError(`expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}, got ${describeValue(actual)}`, source.where(path)));
        break;
      case 'invalid_union': {
        const branch = bestUnionBranch(issue as Issue & { code: 'invalid_union' });
        if (branch) errors.push(...issuesToErrors(branch, source, schema, makeError, path));
        else errors.push(makeError(issue.message, source.where(path)));
        break;
      }
      case 'invalid_key':
        for (const inner of issue.issues) {
          const where = source.where(path, 'key');
          errors.push(makeError(`key "${String(path[path.length - 1])}": ${inner.message}`, where));
        }
        break;
      case 'invalid_element':
        errors.push(...issuesToErrors(issue.issues, source, schema, makeError, path));
        break;
      case 'invalid_format':
        errors.push(makeError(issue.message.startsWith('Invalid') ? `not a valid ${issue.format}` : issue.message, source.where(path)));
        break;
      default:
        errors.push(makeError(issue.message, source.where(path)));
    }
  }
  return errors;
}
