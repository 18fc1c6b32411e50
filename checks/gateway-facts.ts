import { documentedEnvAliases, ENV_GROUPS, isLoopbackHost } from '../lib/config/index.js';
import { envName } from '../lib/config/env-bindings.js';
import { isEnvReference } from '../lib/secrets/index.js';
import { getPath } from './json-path.js';
import type { Secret } from '../lib/secrets/secret.js';
import type { ConfigFact } from './config-fact.js';

export interface GatewayEndpoint {
  host: string;
  port: number;
  dashboardPort: number;
  token: Secret | undefined;
  /** Where the effective token came from, e.g. `env KAFCLAW_GATEWAY_AUTH_TOKEN` or `file /…/config.json`. */
  tokenSource: string;
  tlsConfigured: boolean;
}

export { isLoopbackHost };

function describeSource(config: ConfigFact, key: string): string {
  const source = config.sourceOf(key);
  if (source.kind === 'env') return source.file ? `env ${source.name} in ${source.file}` : `env ${source.name}`;
  if (source.kind === 'file') return `file ${source.path}`;
  return 'default';
}

export function gatewayEndpoint(config: ConfigFact): GatewayEndpoint {
  const gateway = config.config.gateway;
  const token = gateway.authToken && !gateway.authToken.isEmpty() ? gateway.authToken : undefined;
  return {
    host: gateway.host,
    port: gateway.port,
    dashboardPort: gateway.dashboardPort || 18791,
    token,
    tokenSource: describeSource(config, 'gateway.authToken'),
    tlsConfigured: Boolean(gateway.tlsCert && gateway.tlsKey),
  };
}

export { describeSource };

/** How config.json itself holds the gateway token: not at all, as a `${VAR}` reference, or as a literal. */
export type ConfigFileToken = { kind: 'none' } | { kind: 'reference'; reference: string } | { kind: 'literal' };

/** Pure: the form of gateway.authToken in the configuration file (before substitution); an empty string is none. */
export function configFileToken(config: ConfigFact): ConfigFileToken {
  const value = getPath(config.fileConfig, 'gateway.authToken');
  if (typeof value !== 'string' || value === '') return { kind: 'none' };
  return isEnvReference(value) ? { kind: 'reference', reference: value } : { kind: 'literal' };
}

/** Every environment name KafClaw (or this project) reads the gateway token from: KAFCLAW_, MIKROBOT_, the bare AUTH_TOKEN, documented aliases. */
export const GATEWAY_TOKEN_ENV_NAMES: readonly string[] = [
  ...new Set([
    ...ENV_GROUPS.flatMap((group) =>
      group.fields.filter((field) => field.key === 'gateway.authToken').flatMap((field) => [envName('KAFCLAW', group, field), envName('MIKROBOT', group, field), ...(field.alt ? [field.alt] : [])]),
    ),
    ...documentedEnvAliases().filter((alias) => alias.key === 'gateway.authToken').map((alias) => alias.name),
  ]),
];
