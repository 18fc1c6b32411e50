import type { Target } from '../target/types.js';
import type { Change, Noop, Resource } from './types.js';
import type { FactSnapshot } from '../facts/snapshot.js';
import { fileContentProbe, type FileContent } from './file-content-probe.js';
import { editConfigFile, isCredentialKeyPath, type ConfigEdit } from '../config/index.js';
import { isEnvReference, matchCredentialFormat } from '../secrets/formats.js';

function valueAt(tree: unknown, keyPath: readonly string[]): unknown {
  let current = tree;
  for (const key of keyPath) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

const show = (value: unknown): string | null => (value === undefined ? null : JSON.stringify(value));

/** A credential an edit moves out, replaces or deletes is never shown; its backup still holds it. */
const SECRET = '(secret)';

/**
 * Whether a value (or anything below it) is a credential: a literal (not `${VAR}`) at a credential
 * key path (lib/config), one in a known credential format, or one the edit replaces by a `${VAR}`.
 */
function holdsSecret(keyPath: readonly string[], value: unknown, after?: unknown): boolean {
  if (typeof value === 'string') {
    if (value === '' || isEnvReference(value)) return false;
    return isCredentialKeyPath(keyPath) || matchCredentialFormat(value) !== null || (typeof after === 'string' && isEnvReference(after));
  }
  if (value !== null && typeof value === 'object') return Object.entries(value).some(([key, child]) => holdsSecret([...keyPath, key], child));
  return value !== undefined && value !== null && isCredentialKeyPath(keyPath);
}

const showBefore = (keyPath: readonly string[], before: unknown, after: unknown): string | null => (holdsSecret(keyPath, before, after) ? SECRET : show(before));

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
        .map((edit) => ({ resource: id, field: edit.keyPath.join('.'), before: showBefore(edit.keyPath, valueAt(tree, edit.keyPath), edit.value), after: show(edit.value) }));
      return changes.length > 0 ? changes : { resource: id, reason: 'every key already has its value' };
    },
    async apply() {
      await editConfigFile(path, edits, target);
    },
  };
}
