import { LineCounter, parseDocument, isMap, isSeq, isScalar, isPair, visit } from 'yaml';
import type { Node } from 'yaml';
import type { KeySegments } from '../../lib/config/key-path.js';
import { formatKeyPath } from '../../lib/config/key-path.js';
import type { SourceError, SourceErrorFactory, SourceWhere } from './source-error.js';
import { throwAll } from './source-error.js';

/** A parsed YAML input file that can say where any key path sits in its text. */
export interface YamlSource {
  file: string;
  value: unknown;
  /**
   * Where a key path is. `at: 'key'` points at the last key itself (for unknown or misplaced keys),
   * `at: 'value'` at its value (for wrong values). A path that does not exist falls back to its
   * nearest existing ancestor, but `key` always names the full path.
   */
  where(path: KeySegments, at?: 'key' | 'value'): SourceWhere;
}

const MAX_ALIASES = 100;

/**
 * Parses YAML 1.2 (core schema) strictly: duplicate keys, unknown tags and syntax errors are all
 * errors, reported together with their positions.
 */
export function parseYamlSource(text: string, file: string, makeError: SourceErrorFactory): YamlSource {
  const lines = new LineCounter();
  // `merge: true` keeps operators' `<<: *defaults` inventories working as Ansible reads them.
  const doc = parseDocument(text, { lineCounter: lines, keepSourceTokens: true, uniqueKeys: true, prettyErrors: false, merge: true });
  const position = (offset: number) => {
    const { line, col } = lines.linePos(offset);
    return { line, column: col };
  };

  const errors: SourceError[] = [];
  // The parser places a duplicate-key error at the previous value; find the second key ourselves.
  visit(doc, {
    Map(_, map) {
      const seen = new Set<string>();
      for (const pair of map.items) {
        if (!isScalar(pair.key) || pair.key.value === '<<') continue;
        const name = String(pair.key.value);
        if (seen.has(name) && pair.key.range) {
          errors.push(makeError(`duplicate key "${name}": the same key appears twice in one mapping; keep one of them`, { file, ...position(pair.key.range[0]) }));
        }
        seen.add(name);
      }
    },
  });
  for (const problem of [...doc.errors, ...doc.warnings]) {
    if (problem.code === 'DUPLICATE_KEY') continue;
    const at = position(problem.pos[0]);
    const message =
      problem.code === 'TAG_RESOLVE_FAILED'
          ? `${problem.message.replace(/\s+at line.*$/s, '')}: custom YAML tags are not supported; write a plain value`
          : `YAML syntax error: ${problem.message.split('\n')[0]}`;
    errors.push(makeError(message, { file, ...at }));
  }
  throwAll(errors);

  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIASES });
  } catch (error) {
    throwAll([makeError(`cannot read the YAML: ${(error as Error).message}`, { file })]);
  }

  function where(path: KeySegments, at: 'key' | 'value' = 'value'): SourceWhere {
    const key = path.length > 0 ? formatKeyPath(path) : undefined;
    let node: unknown = doc.contents;
    let best: { offset: number } | null = node && (node as Node).range ? { offset: (node as Node).range![0] } : null;
    for (let i = 0; i < path.length; i++) {
      const segment = path[i]!;
      const last = i === path.length - 1;
      if (isMap(node)) {
        const pair = node.items.find((item) => isPair(item) && isScalar(item.key) && String(item.key.value) === String(segment));
        if (!pair) break;
        const keyNode = pair.key as Node;
        const valueNode = pair.value as Node | null;
        if (last && at === 'key') {
          best = { offset: keyNode.range![0] };
          break;
        }
        best = { offset: (valueNode?.range ?? keyNode.range)![0] };
        node = valueNode;
      } else if (isSeq(node) && typeof segment === 'number') {
        const item = node.items[segment] as Node | undefined;
        if (!item?.range) break;
        best = { offset: item.range[0] };
        node = item;
      } else {
        break;
      }
    }
    return best ? { file, key, ...position(best.offset) } : { file, key };
  }

  return { file, value, where };
}
