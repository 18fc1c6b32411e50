/**
 * KafClaw's migration of the old `agents.defaults.*` layout (facts §1.2 step 5): the values fill
 * paths/model where those are still at their defaults. KafClaw also rewrites the file; this does not.
 */
import { getAtPath, setAtPath } from './key-path.js';
import { isPlainObject } from './includes.js';
import type { JsonObject } from './includes.js';
import { DEFAULT_WORKSPACE } from './schema.js';

const LEGACY_MIGRATION: readonly [from: string, to: readonly [string, string], kind: 'string' | 'number'][] = [
  ['workspace', ['paths', 'workspace'], 'string'],
  ['workRepoPath', ['paths', 'workRepoPath'], 'string'],
  ['systemRepoPath', ['paths', 'systemRepoPath'], 'string'],
  ['model', ['model', 'name'], 'string'],
  ['maxTokens', ['model', 'maxTokens'], 'number'],
  ['temperature', ['model', 'temperature'], 'number'],
  ['maxToolIterations', ['model', 'maxToolIterations'], 'number'],
];

const LEGACY_DEFAULTS: Record<string, unknown> = {
  'paths.workspace': DEFAULT_WORKSPACE,
  'paths.workRepoPath': DEFAULT_WORKSPACE,
  'paths.systemRepoPath': '/Users/kamir/GITHUB.kamir/KafClaw/kafclaw',
  'model.name': 'anthropic/claude-sonnet-4-5',
  'model.maxTokens': 8192,
  'model.temperature': 0.7,
  'model.maxToolIterations': 20,
};

/** The old `agents.defaults.*` layout fills paths/model where those are still at their defaults. Returns target key → legacy key. */
export function migrateLegacy(input: JsonObject): Map<string, string> {
  const migrated = new Map<string, string>();
  const legacy = getAtPath(input, ['agents', 'defaults']);
  if (!isPlainObject(legacy)) return migrated;
  for (const [from, to, kind] of LEGACY_MIGRATION) {
    const value = legacy[from];
    if (typeof value !== kind || value === '' || value === 0) continue;
    const key = to.join('.');
    const current = getAtPath(input, to);
    if (current !== undefined && current !== LEGACY_DEFAULTS[key]) continue;
    setAtPath(input, [...to], value);
    migrated.set(key, `agents.defaults.${from}`);
  }
  return migrated;
}
