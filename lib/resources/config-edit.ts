import type { Target } from '../target/types.js';
import type { Change, Noop, Resource } from './types.js';
import type { FactSnapshot } from '../facts/snapshot.js';
import { fileContentProbe, type FileContent } from './file-content-probe.js';
import { editConfigFile, type ConfigEdit } from '../config/index.js';

function valueAt(tree: unknown, keyPath: readonly string[]): unknown {
  let current = tree;
  for (const key of keyPath) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

const show = (value: unknown): string | null => (value === undefined ? null : JSON.stringify(value));

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
        .map((edit) => ({ resource: id, field: edit.keyPath.join('.'), before: show(valueAt(tree, edit.keyPath)), after: show(edit.value) }));
      return changes.length > 0 ? changes : { resource: id, reason: 'every key already has its value' };
    },
    async apply() {
      await editConfigFile(path, edits, target);
    },
  };
}
