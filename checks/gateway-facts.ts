import { isLoopbackHost } from '../lib/config/index.js';
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
