import { isSecretReference, literalSecretMessage } from './reference.js';

type Path = (string | number)[];

export interface LiteralSecret {
  /** Key path of the offending value, relative to the vars mapping given. */
  path: Path;
  message: string;
}

/** A value a template will produce later: checked again once rendered. */
const isTemplate = (value: unknown) => typeof value === 'string' && value.includes('{{');

function check(value: unknown, path: Path, found: LiteralSecret[]): void {
  if (value === undefined || isTemplate(value) || isSecretReference(value)) return;
  found.push({ path, message: literalSecretMessage(value) });
}

/**
 * The variables that must hold secret references, never literals:
 * `secrets.gateway_token`, every `secrets.provider_keys.NAME`, and `ansible_become_password`.
 * Returns each literal found in one vars mapping (inventory, play or extra vars).
 */
export function findLiteralSecrets(vars: unknown): LiteralSecret[] {
  const found: LiteralSecret[] = [];
  if (!vars || typeof vars !== 'object' || Array.isArray(vars)) return found;
  const record = vars as Record<string, unknown>;
  check(record.ansible_become_password, ['ansible_become_password'], found);
  const secrets = record.secrets;
  if (secrets === undefined || isTemplate(secrets)) return found;
  if (!secrets || typeof secrets !== 'object' || Array.isArray(secrets)) {
    found.push({ path: ['secrets'], message: 'secrets must be a mapping: {gateway_token: REFERENCE, provider_keys: {ENV_NAME: REFERENCE}}' });
    return found;
  }
  const { gateway_token: token, provider_keys: keys } = secrets as Record<string, unknown>;
  check(token, ['secrets', 'gateway_token'], found);
  if (keys === undefined || isTemplate(keys)) return found;
  if (!keys || typeof keys !== 'object' || Array.isArray(keys)) {
    found.push({ path: ['secrets', 'provider_keys'], message: 'provider_keys must be a mapping of env-var name to secret reference' });
    return found;
  }
  for (const [name, value] of Object.entries(keys)) check(value, ['secrets', 'provider_keys', name], found);
  return found;
}
