/**
 * The template language of playbooks: deliberately tiny, no code.
 *
 *   {{ name }}                    a variable
 *   {{ name.field[0] }}           a field or list element of a variable
 *   {{ name | default(VALUE) }}   VALUE when the variable (or any step of its path) is undefined or null
 *   {{ list | map(attribute='k') }}  the field `k` of every element of a list
 *   {{ 'text' }}, {{ 42 }}, {{ true }}, {{ [] }}, {{ {} }}   literals (write `{{ '{{' }}` for a literal `{{`)
 *
 * A string that is exactly one `{{ … }}` takes the value's own type (a list stays a list, a number
 * a number); anywhere else the value is inserted as text and must be a string, number or boolean.
 * Variables holding templates are rendered when used; a cycle is an error. An undefined variable
 * without `default` is an error.
 */

export class TemplateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TemplateError';
  }
}

type Step = string | number;
type Primary = { kind: 'path'; root: string; steps: Step[] } | { kind: 'literal'; value: unknown };
type Filter = { kind: 'default'; fallback: Primary } | { kind: 'map'; attribute: string };
interface Expression {
  primary: Primary;
  filters: Filter[];
  text: string;
}
type Part = string | Expression;

const EXPRESSION = /\{\{(.*?)\}\}/gs;

class Cursor {
  index = 0;
  constructor(readonly text: string) {}
  space(): void {
    while (/\s/.test(this.text[this.index] ?? '')) this.index++;
  }
  peek(): string {
    this.space();
    return this.text[this.index] ?? '';
  }
  eat(token: string): boolean {
    this.space();
    if (this.text.startsWith(token, this.index)) {
      this.index += token.length;
      return true;
    }
    return false;
  }
  expect(token: string): void {
    if (!this.eat(token)) this.fail(`expected "${token}"`);
  }
  match(re: RegExp): string | null {
    this.space();
    const found = re.exec(this.text.slice(this.index));
    if (!found || found.index !== 0) return null;
    this.index += found[0].length;
    return found[0];
  }
  fail(message: string): never {
    throw new TemplateError(`in "{{${this.text}}}": ${message}`);
  }
  done(): boolean {
    this.space();
    return this.index >= this.text.length;
  }
}

function parseLiteralString(cursor: Cursor): string | null {
  const quoted = cursor.match(/'[^']*'|"[^"]*"/);
  return quoted === null ? null : quoted.slice(1, -1);
}

function parsePrimary(cursor: Cursor): Primary {
  const text = parseLiteralString(cursor);
  if (text !== null) return { kind: 'literal', value: text };
  const number = cursor.match(/-?\d+(?![\w.])/);
  if (number !== null) return { kind: 'literal', value: Number(number) };
  if (cursor.eat('[')) {
    cursor.expect(']');
    return { kind: 'literal', value: [] };
  }
  if (cursor.eat('{')) {
    cursor.expect('}');
    return { kind: 'literal', value: {} };
  }
  const root = cursor.match(/[A-Za-z_][A-Za-z0-9_]*/);
  if (root === null) cursor.fail('expected a variable name or a literal');
  if (root === 'true' || root === 'false') return { kind: 'literal', value: root === 'true' };
  if (root === 'null' || root === 'none' || root === 'None') return { kind: 'literal', value: null };
  const steps: Step[] = [];
  for (;;) {
    if (cursor.text[cursor.index] === '.') {
      cursor.index++;
      const name = cursor.match(/[A-Za-z0-9_-]+/);
      if (name === null) cursor.fail('expected a field name after "."');
      steps.push(/^\d+$/.test(name) ? Number(name) : name);
    } else if (cursor.text[cursor.index] === '[') {
      cursor.index++;
      const index = cursor.match(/\d+/);
      const key = index === null ? parseLiteralString(cursor) : null;
      if (index === null && key === null) cursor.fail('expected a number or a quoted key inside [ ]');
      cursor.expect(']');
      steps.push(index !== null ? Number(index) : key!);
    } else break;
  }
  return { kind: 'path', root, steps };
}

function parseExpression(text: string): Expression {
  const cursor: Cursor = new Cursor(text);
  const primary = parsePrimary(cursor);
  const filters: Filter[] = [];
  while (cursor.eat('|')) {
    const name = cursor.match(/[A-Za-z_]+/);
    if (name === 'default' || name === 'd') {
      cursor.expect('(');
      filters.push({ kind: 'default', fallback: parsePrimary(cursor) });
      cursor.expect(')');
    } else if (name === 'map') {
      cursor.expect('(');
      if (!cursor.match(/attribute\s*=/)) cursor.fail("map takes attribute='NAME'");
      const attribute = parseLiteralString(cursor);
      if (attribute === null) cursor.fail("map takes attribute='NAME'");
      cursor.expect(')');
      filters.push({ kind: 'map', attribute });
    } else {
      cursor.fail(`unknown filter "${name ?? cursor.text.slice(cursor.index)}": only default(VALUE) and map(attribute='NAME') exist`);
    }
  }
  if (!cursor.done()) cursor.fail(`unexpected "${cursor.text.slice(cursor.index).trim()}"`);
  return { primary, filters, text };
}

/** Splits a string into text and expressions; throws TemplateError on bad syntax. */
export function parseTemplate(text: string): Part[] {
  const parts: Part[] = [];
  let last = 0;
  for (const found of text.matchAll(EXPRESSION)) {
    if (found.index > last) parts.push(text.slice(last, found.index));
    parts.push(parseExpression(found[1]!));
    last = found.index + found[0].length;
  }
  if (last < text.length) parts.push(text.slice(last));
  const rest = parts.filter((part): part is string => typeof part === 'string').join('');
  if (rest.includes('{{')) throw new TemplateError(`unclosed "{{" in "${text}"`);
  return parts;
}

export function isTemplate(value: unknown): value is string {
  return typeof value === 'string' && value.includes('{{');
}

/** Every template syntax error under a value, with its key path. */
export function findTemplateErrors(value: unknown, path: Step[] = []): Array<{ path: Step[]; message: string }> {
  if (typeof value === 'string') {
    if (!isTemplate(value)) return [];
    try {
      parseTemplate(value);
      return [];
    } catch (error) {
      return [{ path, message: (error as Error).message }];
    }
  }
  if (Array.isArray(value)) return value.flatMap((item, i) => findTemplateErrors(item, [...path, i]));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => findTemplateErrors(v, [...path, k]));
  return [];
}

/** Variables visible to templates; values that are templates themselves are rendered when used. */
export class TemplateScope {
  readonly #vars: Record<string, unknown>;
  readonly #rendering: string[] = [];

  constructor(vars: Record<string, unknown>) {
    this.#vars = vars;
  }

  /** A scope that sees `extra` over these variables (for `item` in loops). */
  with(extra: Record<string, unknown>): TemplateScope {
    return new TemplateScope({ ...this.#vars, ...extra });
  }

  /** The rendered value of a variable, or undefined when it is not defined. */
  get(name: string): unknown {
    if (!Object.hasOwn(this.#vars, name)) return undefined;
    if (this.#rendering.includes(name)) throw new TemplateError(`variable "${name}" refers to itself (${[...this.#rendering, name].join(' → ')})`);
    this.#rendering.push(name);
    try {
      return render(this.#vars[name], this);
    } finally {
      this.#rendering.pop();
    }
  }

  has(name: string): boolean {
    return Object.hasOwn(this.#vars, name);
  }
}

function step(value: unknown, key: Step): unknown {
  if (value === null || typeof value !== 'object') return undefined;
  if (Array.isArray(value)) return typeof key === 'number' ? value[key] : undefined;
  return Object.hasOwn(value, key) ? (value as Record<string, unknown>)[key] : undefined;
}

function evaluatePrimary(primary: Primary, scope: TemplateScope): unknown {
  if (primary.kind === 'literal') return primary.value;
  let value = scope.get(primary.root);
  for (const key of primary.steps) value = step(value, key);
  return value;
}

function describePath(primary: Primary): string {
  if (primary.kind === 'literal') return 'literal';
  return primary.root + primary.steps.map((s) => (typeof s === 'number' ? `[${s}]` : `.${s}`)).join('');
}

/** `groups.NAME…` naming a group the inventory does not have (`groups` is the inventory's own, not a variable to set). */
function missingGroupOf(primary: Primary, scope: TemplateScope): string | null {
  if (primary.kind !== 'path' || primary.root !== 'groups' || typeof primary.steps[0] !== 'string') return null;
  const groups = scope.get('groups');
  if (groups === null || typeof groups !== 'object' || Object.hasOwn(groups, primary.steps[0])) return null;
  const known = Object.keys(groups).filter((name) => name !== 'all' && name !== 'ungrouped');
  return `"${describePath(primary)}": the inventory has no group "${primary.steps[0]}" (its groups: ${known.join(', ') || 'none'}); add the group, or set the variable that uses it (with -e NAME=VALUE)`;
}

function evaluate(expression: Expression, scope: TemplateScope): unknown {
  let value = evaluatePrimary(expression.primary, scope);
  for (const filter of expression.filters) {
    if (filter.kind === 'default') {
      if (value === undefined || value === null) value = evaluatePrimary(filter.fallback, scope);
    } else {
      if (!Array.isArray(value)) throw new TemplateError(`"${describePath(expression.primary)}" is not a list, so map(attribute='${filter.attribute}') cannot apply`);
      value = value.map((item, i) => {
        const field = step(item, filter.attribute);
        if (field === undefined) throw new TemplateError(`element ${i} of "${describePath(expression.primary)}" has no "${filter.attribute}"`);
        return field;
      });
    }
  }
  if (value === undefined) {
    const primary = expression.primary;
    const name = primary.kind === 'path' ? primary.root : '';
    const missingGroup = missingGroupOf(primary, scope);
    if (missingGroup !== null) throw new TemplateError(missingGroup);
    const what = primary.kind === 'path' && primary.steps.length > 0 && scope.has(name) ? `"${describePath(primary)}" is not defined` : `undefined variable "${name}"`;
    throw new TemplateError(`${what}; set it in the inventory, the play vars or with -e ${name}=VALUE, or add | default(VALUE)`);
  }
  return value;
}

/** Renders every template inside a value (strings, lists, mappings); other values pass through. */
export function render(value: unknown, scope: TemplateScope): unknown {
  if (typeof value === 'string') {
    if (!isTemplate(value)) return value;
    const parts = parseTemplate(value);
    if (parts.length === 1 && typeof parts[0] !== 'string') return evaluate(parts[0]!, scope);
    return parts
      .map((part) => {
        if (typeof part === 'string') return part;
        const result = evaluate(part, scope);
        if (result === null || typeof result === 'object') {
          throw new TemplateError(`"{{${part.text}}}" is ${Array.isArray(result) ? 'a list' : result === null ? 'null' : 'a mapping'} and cannot be inserted into text; make it the whole value`);
        }
        return String(result);
      })
      .join('');
  }
  if (Array.isArray(value)) return value.map((item) => render(item, scope));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) Object.defineProperty(out, key, { value: render(item, scope), enumerable: true, writable: true, configurable: true });
    return out;
  }
  return value;
}
