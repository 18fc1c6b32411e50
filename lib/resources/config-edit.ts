import type { Target } from '../target/types.js';
import type { Change, Noop, Resource } from './types.js';
import type { FactSnapshot } from '../facts/snapshot.js';
import { fileContentProbe, type FileContent } from './file-content-probe.js';
import { editConfigFile, type ConfigEdit } from '../config/index.js';
import { isEnvReference } from '../secrets/formats.js';

function valueAt(tree: unknown, keyPath: readonly string[]): unknown {
  let current = tree;
  for (const key of keyPath) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

const show = (value: unknown): string | null => (value === undefined ? null : JSON.stringify(value));

/** A literal an edit replaces with a `${VAR}` reference is a secret moving out of the file: never shown. */
const MOVED_SECRET = '(secret)';

function showBefore(before: unknown, after: unknown): string | null {
  const moved = typeof before === 'string' && before !== '' && !isEnvReference(before) && typeof after === 'string' && isEnvReference(after);
  return moved ? MOVED_SECRET : show(before);
}

/** Keys of a KafClaw config.json set (or removed) in place, every other key and its order kept. */
export function configEdit(target: Target, path: string, edits: ConfigEdit[]): Resource {
  const id = `config:${path}`;
  const key = `resource.${id}`;
  return {
    kind: 'config-edit',
    id,
    probes: () => [fileContentProbe(key, path)],
    diff(facts: FactSnapshot): Change[] | Noop {
      const content = facts.get<FileContent>(key);
      const tree = content.exists ? (JSON.parse(content.text) as unknown) : {};
      const changes = edits
        .filter((edit) => JSON.stringify(valueAt(tree, edit.keyPath)) !== JSON.stringify(edit.value))
        .map((edit) => ({ resource: id, field: edit.keyPath.join('.'), before: showBefore(valueAt(tree, edit.keyPath), edit.value), after: show(edit.value) }));
      return changes.length > 0 ? changes : { resource: id, reason: 'every key already has its value' };
    },
    async apply() {
      await editConfigFile(path, edits, target);
    },
  };
}
