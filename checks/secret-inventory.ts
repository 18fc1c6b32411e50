import { Secret } from '../lib/secrets/secret.js';
import type { ConfigFact } from './config-fact.js';

export interface NamedSecret {
  /** The key path, e.g. `providers.anthropic.apiKey`: safe to print. */
  label: string;
  secret: Secret;
}

function walk(value: unknown, path: string[], out: NamedSecret[]): void {
  if (value instanceof Secret) {
    if (!value.isEmpty()) out.push({ label: path.join('.'), secret: value });
    return;
  }
  if (Array.isArray(value)) value.forEach((item, index) => walk(item, [...path, String(index)], out));
  else if (value && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) walk(child, [...path, key], out);
  }
}

/** Every non-empty credential in the effective configuration. */
export function configSecrets(config: ConfigFact): NamedSecret[] {
  const out: NamedSecret[] = [];
  walk(config.config, [], out);
  return out;
}

/** Every credential except the gateway token. */
export function otherSecrets(config: ConfigFact): NamedSecret[] {
  return configSecrets(config).filter((s) => s.label !== 'gateway.authToken');
}
