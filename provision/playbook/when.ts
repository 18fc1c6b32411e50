import type { TemplateScope } from '../vars/template.js';

/**
 * Conditions for `when:`, a small expression language (no code):
 *
 *   gateway_remote                 a variable that must be a boolean (a string "false" is an error,
 *                                  not silently true)
 *   not x    x and y    x or y    ( … )
 *   a == b   a != b                a and b: variables (dotted paths) or literals ('text', 42, true, null)
 *   x is defined   x is not defined
 *
 * A list of conditions holds when every one holds. A YAML `true`/`false` is taken as is.
 */
export class WhenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WhenError';
  }
}

type Operand = { kind: 'var'; path: string[] } | { kind: 'literal'; value: unknown };
export type Condition =
  | { kind: 'const'; value: boolean }
  | { kind: 'truthy'; operand: Operand }
  | { kind: 'not'; inner: Condition }
  | { kind: 'and' | 'or'; left: Condition; right: Condition }
  | { kind: 'compare'; op: '==' | '!='; left: Operand; right: Operand }
  | { kind: 'defined'; path: string[]; negate: boolean };

const TOKEN = /\s*(\(|\)|==|!=|'[^']*'|"[^"]*"|-?\d+(?![\w.])|[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)*)/y;

function tokenize(text: string): string[] {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  let index = 0;
  while (index < text.length) {
    if (/^\s*$/.test(text.slice(index))) break;
    TOKEN.lastIndex = index;
    const found = TOKEN.exec(text);
    if (!found) throw new WhenError(`cannot read "${text.slice(index).trim()}" in "${text}"`);
    tokens.push(found[1]!);
    index = TOKEN.lastIndex;
  }
  return tokens;
}

const KEYWORDS = new Set(['and', 'or', 'not', 'is', 'defined']);

/** Parses one condition; throws WhenError on bad syntax. */
export function parseCondition(text: string): Condition {
  const tokens = tokenize(text);
  let at = 0;
  const peek = () => tokens[at];
  const next = () => tokens[at++];
  const fail = (message: string): never => {
    throw new WhenError(`${message} in "${text}"`);
  };

  const operand = (): Operand => {
    const token = next();
    if (token === undefined) return fail('expected a variable or a value at the end');
    if (/^['"]/.test(token)) return { kind: 'literal', value: token.slice(1, -1) };
    if (/^-?\d+$/.test(token)) return { kind: 'literal', value: Number(token) };
    if (token === 'true' || token === 'True') return { kind: 'literal', value: true };
    if (token === 'false' || token === 'False') return { kind: 'literal', value: false };
    if (token === 'null' || token === 'none' || token === 'None') return { kind: 'literal', value: null };
    if (KEYWORDS.has(token) || !/^[A-Za-z_]/.test(token)) return fail(`unexpected "${token}"`);
    return { kind: 'var', path: token.split('.') };
  };

  const primary = (): Condition => {
    if (peek() === 'not') {
      next();
      return { kind: 'not', inner: primary() };
    }
    if (peek() === '(') {
      next();
      const inner = or();
      if (next() !== ')') fail('missing ")"');
      return inner;
    }
    const left = operand();
    const op = peek();
    if (op === '==' || op === '!=') {
      next();
      return { kind: 'compare', op, left, right: operand() };
    }
    if (op === 'is') {
      next();
      const negate = peek() === 'not';
      if (negate) next();
      if (next() !== 'defined') fail('only "is defined" and "is not defined" exist');
      if (left.kind !== 'var') fail('"is defined" needs a variable');
      return { kind: 'defined', path: (left as { path: string[] }).path, negate };
    }
    return { kind: 'truthy', operand: left };
  };

  const and = (): Condition => {
    let left = primary();
    while (peek() === 'and') {
      next();
      left = { kind: 'and', left, right: primary() };
    }
    return left;
  };
  const or = (): Condition => {
    let left = and();
    while (peek() === 'or') {
      next();
      left = { kind: 'or', left, right: and() };
    }
    return left;
  };

  if (tokens.length === 0) fail('empty condition');
  const condition = or();
  if (at < tokens.length) fail(`unexpected "${tokens[at]}"`);
  return condition;
}

/** `when:` as written (a string, a boolean or a list of strings) to one condition. */
export function parseWhen(value: string | boolean | readonly string[]): Condition {
  if (typeof value === 'boolean') return { kind: 'const', value };
  const list = typeof value === 'string' ? [value] : value;
  return list.map(parseCondition).reduce((left, right) => ({ kind: 'and', left, right }));
}

function lookup(scope: TemplateScope, path: string[]): unknown {
  let value = scope.get(path[0]!);
  for (const key of path.slice(1)) {
    if (value === null || typeof value !== 'object' || !Object.hasOwn(value, key)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

function value(scope: TemplateScope, operand: Operand): unknown {
  if (operand.kind === 'literal') return operand.value;
  const found = lookup(scope, operand.path);
  if (found === undefined) throw new WhenError(`"${operand.path.join('.')}" is not defined; set it or test it with "is defined"`);
  return found;
}

/** Evaluates a condition against a host's variables. */
export function evaluateCondition(condition: Condition, scope: TemplateScope): boolean {
  switch (condition.kind) {
    case 'const':
      return condition.value;
    case 'truthy': {
      const found = value(scope, condition.operand);
      if (typeof found !== 'boolean') {
        const name = condition.operand.kind === 'var' ? condition.operand.path.join('.') : 'the value';
        throw new WhenError(`"${name}" must be true or false to be used as a condition, but it is ${Array.isArray(found) ? 'a list' : found === null ? 'null' : `a ${typeof found}`}`);
      }
      return found;
    }
    case 'not':
      return !evaluateCondition(condition.inner, scope);
    case 'and':
      return evaluateCondition(condition.left, scope) && evaluateCondition(condition.right, scope);
    case 'or':
      return evaluateCondition(condition.left, scope) || evaluateCondition(condition.right, scope);
    case 'compare': {
      const equal = JSON.stringify(value(scope, condition.left)) === JSON.stringify(value(scope, condition.right));
      return condition.op === '==' ? equal : !equal;
    }
    case 'defined': {
      const found = lookup(scope, condition.path);
      const defined = found !== undefined;
      return condition.negate ? !defined : defined;
    }
  }
}
