import type { Secret } from '../lib/secrets/secret.js';
import type { ResourceContext, Resource } from '../lib/resources/index.js';
import { createResource } from '../lib/resources/index.js';
import type { ResourceSpec } from './playbook/kinds/index.js';
import type { SecretReference } from './secrets/reference.js';
import type { DrillHooks } from './drill/hooks.js';
import { fetchBackupResource } from './drill/fetch-backup.js';
import { restoreTestResource } from './drill/restore-test.js';

/** A ResourceSpec whose secret references were replaced by the secrets they point to. */
export type ResolvedSpec = { kind: ResourceSpec['kind']; params: unknown };

/** A playbook kind the resource library has no constructor for yet. */
export class UnsupportedKindError extends Error {
  constructor(kind: string) {
    super(`the resource kind "${kind}" is not implemented yet: remove the task or run it with --skip-tags`);
    this.name = 'UnsupportedKindError';
  }
}

export function isSecretReferenceValue(value: unknown): value is SecretReference {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return false;
  const record = value as Record<string, unknown>;
  if (typeof record.text !== 'string') return false;
  if (record.kind === 'env') return typeof record.name === 'string';
  if (record.kind === 'file') return typeof record.path === 'string';
  return record.kind === 'command' && typeof record.command === 'string';
}

/** Every secret reference inside a spec's params (env_file values), depth first. */
export function secretReferencesIn(value: unknown, found: SecretReference[] = []): SecretReference[] {
  if (isSecretReferenceValue(value)) found.push(value);
  else if (Array.isArray(value)) for (const item of value) secretReferencesIn(item, found);
  else if (value && typeof value === 'object') for (const item of Object.values(value)) secretReferencesIn(item, found);
  return found;
}

/** The params with each reference replaced by its Secret (looked up by reference text). */
export function withSecrets(value: unknown, secrets: ReadonlyMap<string, Secret>): unknown {
  if (isSecretReferenceValue(value)) {
    const secret = secrets.get(value.text);
    if (!secret) throw new Error(`secret ${value.text} was not resolved`);
    return secret;
  }
  if (Array.isArray(value)) return value.map((item) => withSecrets(item, secrets));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, withSecrets(item, secrets)]));
  return value;
}

/**
 * The lib/resources resource for one playbook task. The playbook schemas and the resource params
 * share their field names (snake_case, modes already numbers), so the mapping is by kind.
 */
export function resourceFromSpec(spec: ResolvedSpec, context: ResourceContext, drill: DrillHooks = {}): Resource {
  switch (spec.kind) {
    case 'release':
      throw new UnsupportedKindError(spec.kind);
    case 'fetch_backup':
      return fetchBackupResource(spec.params as never, context);
    case 'restore_test':
      return restoreTestResource(spec.params as never, drill);
    default:
      return createResource(spec.kind, spec.params as never, context);
  }
}
