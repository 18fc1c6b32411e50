import { request } from 'node:http';
import type { Target } from '../lib/target/types.js';
import { describeConfig, loadConfig } from '../lib/config/index.js';
import { describeSource, gatewayEndpoint, isLoopbackHost } from './gateway-facts.js';

export interface GatewayStatus {
  configPath: string;
  configExists: boolean;
  gateway: {
    host: string;
    port: number;
    dashboardPort: number;
    hostSource: string;
    loopback: boolean;
    auth: 'token set' | 'no token';
    tokenSource: string | null;
    tokenFingerprint: string | null;
  };
  providers: string[];
  /** Enabled channels, and channels with an enabled account. */
  channels: Array<{ name: string; enabled: boolean; accounts: string[] }>;
  reachability: { url: string; reachable: boolean; detail: string };
  lastBackup: string | null;
  lastRestoreTest: string | null;
  tokenRotatedAt: string | null;
}

/** One unauthenticated GET of the public status route, bounded by a short timeout. */
function probeGateway(host: string, port: number, timeoutMs: number): Promise<{ reachable: boolean; detail: string }> {
  return new Promise((resolve) => {
    const req = request({ host, port, path: '/api/v1/status', method: 'GET', timeout: timeoutMs }, (res) => {
      res.resume();
      resolve({ reachable: true, detail: `HTTP ${res.statusCode}` });
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', (error) => resolve({ reachable: false, detail: (error as NodeJS.ErrnoException).code ?? error.message }));
    req.end();
  });
}

export interface StatusOptions {
  env?: Record<string, string | undefined>;
  timeoutMs?: number;
  lastBackup?: string | null;
  lastRestoreTest?: string | null;
  tokenRotatedAt?: string | null;
}

export async function gatherStatus(target: Target, options: StatusOptions = {}): Promise<GatewayStatus> {
  const loaded = await loadConfig({ env: options.env ?? process.env, readFile: (path) => target.readFile(path) });
  const endpoint = gatewayEndpoint(loaded);
  const description = describeConfig(loaded);
  const probeHost = isLoopbackHost(endpoint.host) || endpoint.host === '0.0.0.0' || endpoint.host === '' || endpoint.host === '::' ? '127.0.0.1' : endpoint.host;
  const url = `http://${probeHost}:${endpoint.dashboardPort}/api/v1/status`;
  const reach = probeHost === '127.0.0.1' ? await probeGateway(probeHost, endpoint.dashboardPort, options.timeoutMs ?? 800) : { reachable: false, detail: 'not probed: the gateway binds a non-loopback address' };
  return {
    configPath: loaded.path,
    configExists: loaded.exists,
    gateway: {
      host: endpoint.host,
      port: endpoint.port,
      dashboardPort: endpoint.dashboardPort,
      hostSource: describeSource(loaded, 'gateway.host'),
      loopback: isLoopbackHost(endpoint.host),
      auth: endpoint.token ? 'token set' : 'no token',
      tokenSource: endpoint.token ? endpoint.tokenSource : null,
      tokenFingerprint: endpoint.token ? endpoint.token.fingerprint() : null,
    },
    providers: description.providers.map((p) => p.id).sort(),
    channels: description.channels.map((c) => ({ name: c.id, enabled: c.enabled, accounts: c.accounts })),
    reachability: { url, ...reach },
    lastBackup: options.lastBackup ?? null,
    lastRestoreTest: options.lastRestoreTest ?? null,
    tokenRotatedAt: options.tokenRotatedAt ?? null,
  };
}

export function renderStatus(status: GatewayStatus): string {
  const g = status.gateway;
  const never = (value: string | null, what: string) => value ?? `none recorded (${what})`;
  return [
    `Config:        ${status.configPath}${status.configExists ? '' : ' (missing: defaults in use)'}`,
    `Gateway bind:  ${g.host}:${g.port} (API), ${g.host}:${g.dashboardPort} (dashboard) — ${g.loopback ? 'loopback only' : 'REMOTE'} (host from ${g.hostSource})`,
    `Gateway auth:  ${g.auth}${g.tokenSource ? ` (from ${g.tokenSource}, ${g.tokenFingerprint})` : ''}`,
    `Providers:     ${status.providers.length > 0 ? status.providers.join(', ') : 'none configured'}`,
    `Channels:      ${status.channels.map((c) => `${c.name}${c.enabled ? '' : ' (disabled)'}${c.accounts.length > 0 ? ` [accounts: ${c.accounts.join(', ')}]` : ''}`).join(', ') || 'none enabled'}`,
    `Reachability:  ${status.reachability.reachable ? 'up' : 'down'} (${status.reachability.url}: ${status.reachability.detail})`,
    `Last backup:   ${never(status.lastBackup, 'run `kafclaw backup`')}`,
    `Restore test:  ${never(status.lastRestoreTest, 'run `kafclaw restore-test`')}`,
    `Token rotated: ${never(status.tokenRotatedAt, 'no rotation record')}`,
  ].join('\n') + '\n';
}
