import { getAtPath } from '../../lib/config/key-path.js';
import { findLiteralSecrets } from '../secrets/slots.js';
import type { SourceError, SourceErrorFactory } from './source-error.js';
import type { VarLayer, VarSource } from './precedence.js';
import { findTemplateErrors } from './template.js';
import type { YamlSource } from './yaml-source.js';

type Path = (string | number)[];

const VAR_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * The variables mapping at `path` in a YAML source as a VarSource, with every problem found:
 * a name that is not an identifier, a literal where a secret reference belongs, bad template syntax.
 * A missing or null mapping is an empty one.
 */
export function varsFromMapping(
  source: YamlSource,
  path: Path,
  layer: VarLayer,
  makeError: SourceErrorFactory,
  group?: string,
): { vars: VarSource; errors: SourceError[] } {
  const errors: SourceError[] = [];
  const raw = path.length === 0 ? source.value : getAtPath(source.value, path);
  let vars: Record<string, unknown> = {};
  if (raw === undefined || raw === null) vars = {};
  else if (typeof raw !== 'object' || Array.isArray(raw)) errors.push(makeError('vars must be a mapping of variable names to values', source.where(path)));
  else vars = raw as Record<string, unknown>;

  for (const name of Object.keys(vars)) {
    if (!VAR_NAME.test(name)) errors.push(makeError(`"${name}" is not a valid variable name: use letters, digits and _, not starting with a digit`, source.where([...path, name], 'key')));
  }
  for (const literal of findLiteralSecrets(vars)) errors.push(makeError(literal.message, source.where([...path, ...literal.path])));
  for (const bad of findTemplateErrors(vars)) errors.push(makeError(bad.message, source.where([...path, ...bad.path])));

  const origin = (name: string) => {
    const where = source.where([...path, name], 'key');
    return { layer, file: where.file, line: where.line, column: where.column, ...(group ? { group } : {}) };
  };
  return { vars: { layer, vars, origin }, errors };
}
