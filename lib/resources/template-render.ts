/** A template variable the template uses but the playbook does not define. */
export class TemplateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TemplateError';
  }
}

function lookup(vars: Readonly<Record<string, unknown>>, path: string): unknown {
  let current: unknown = vars;
  for (const part of path.split('.')) {
    if (current === null || typeof current !== 'object' || !Object.hasOwn(current, part)) return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

/**
 * `{{ name }}` and `{{ a.b }}` replaced by the variable's text (arrays joined with spaces).
 * Pure; an undefined variable or a non-scalar value is an error naming it and its line.
 */
export function renderTemplate(template: string, vars: Readonly<Record<string, unknown>>, source = 'template'): string {
  return template.replace(/\{\{\s*([A-Za-z_][\w.]*)\s*\}\}/g, (match, name: string, offset: number) => {
    const value = lookup(vars, name);
    const line = template.slice(0, offset).split('\n').length;
    if (value === undefined || value === null) throw new TemplateError(`${source}:${line}: variable "${name}" is not defined: define it in the playbook or inventory vars`);
    if (Array.isArray(value) && value.every((v) => typeof v !== 'object')) return value.join(' ');
    if (typeof value === 'object') throw new TemplateError(`${source}:${line}: variable "${name}" is not a string, number or list`);
    return String(value);
  });
}
