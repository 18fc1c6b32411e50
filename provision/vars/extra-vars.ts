import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import { findLiteralSecrets } from '../secrets/slots.js';
import { SourceError, throwAll } from './source-error.js';
import type { VarSource } from './precedence.js';
import { varsFromMapping } from './vars-mapping.js';
import { parseYamlSource } from './yaml-source.js';

/** A bad `-e` argument or extra-vars file: exit 2. */
export class ExtraVarsError extends SourceError {
  constructor(message: string, where: ConstructorParameters<typeof SourceError>[1]) {
    super(message, where);
    this.name = 'ExtraVarsError';
  }
}

const makeError = (message: string, where: ConstructorParameters<typeof SourceError>[1]) => new ExtraVarsError(message, where);

/**
 * One `-e` argument as a variable source:
 * - `@FILE`       a YAML mapping of variables (relative to `cwd`)
 * - `KEY=VALUE`   one variable; VALUE is read as a YAML flow value, so `true`, `22` and `[a, b]`
 *                 keep their types; quote it (`KEY='"22"'`) for a string
 * - `{…}`         a YAML/JSON flow mapping of variables
 */
export async function parseExtraVar(argument: string, index: number, cwd = process.cwd()): Promise<VarSource> {
  const label = `-e #${index + 1}`;
  if (argument.startsWith('@')) {
    const path = resolve(cwd, argument.slice(1));
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      throw makeError(`cannot read the extra-vars file (${(error as NodeJS.ErrnoException).code}); check the path after -e @`, { file: path });
    }
    const source = parseYamlSource(text, path, makeError);
    if (source.value === null || typeof source.value !== 'object' || Array.isArray(source.value)) {
      throw makeError('an extra-vars file must be a mapping of variable names to values', { file: path, line: 1, column: 1 });
    }
    const { vars, errors } = varsFromMapping(source, [], 'extra', makeError);
    throwAll(errors);
    return vars;
  }
  if (argument.trimStart().startsWith('{')) {
    const source = parseYamlSource(argument, label, makeError);
    if (source.value === null || typeof source.value !== 'object' || Array.isArray(source.value)) throw makeError('expected a mapping', { file: label });
    const { vars: parsed, errors } = varsFromMapping(source, [], 'extra', makeError);
    throwAll(errors);
    return parsed;
  }
  const match = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(argument);
  if (!match) throw makeError('expected KEY=VALUE, @FILE or a {…} mapping', { file: label });
  const [, key, text] = match as unknown as [string, string, string];
  let value: unknown;
  try {
    value = text === '' ? '' : parse(text, { uniqueKeys: true });
  } catch {
    value = text;
  }
  const vars = { [key]: value };
  const literal = findLiteralSecrets(vars)[0];
  if (literal) throw makeError(literal.message, { file: label, key: literal.path.join('.') });
  return { layer: 'extra', vars, origin: () => ({ layer: 'extra', file: label }) };
}

/** Every `-e` argument, in order. */
export async function parseExtraVars(argumentsList: readonly string[], cwd = process.cwd()): Promise<VarSource[]> {
  const sources: VarSource[] = [];
  for (const [index, argument] of argumentsList.entries()) sources.push(await parseExtraVar(argument, index, cwd));
  return sources;
}
