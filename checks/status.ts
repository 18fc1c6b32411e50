import { request } from 'node:http';
import type { Target } from '../lib/target/types.js';
import { describeConfig } from '../lib/config/index.js';
import type { TokenRotationLookup } from '../lib/store/index.js';
import { describeSource, isLoopbackHost } from './gateway-facts.js';
import { readOpsStore } from './ops-store.js';
import { describeTokenRotation, GATEWAY_TOKEN_KIND, type TokenRotationView } from './token-rotation.js';
import { gatherToken, type TokenStatusOptions } from './token-status.js';

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
  /** `reachable` is null when the gateway was not probed (`detail` says why). */
  reachability: { url: string; probed: boolean; reachable: boolean | null; detail: string };
  opsStore: string;
  lastBackup: string | null;
  lastRestoreTest: string | null;
  /** The last rotation of the current token, and its age in whole days. */
  tokenRotatedAt: string | null;
  tokenAgeDays: number | null;
  tokenRotation: TokenRotationView;
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

export interface StatusOptions extends TokenStatusOptions {
  timeoutMs?: number;
}

interface StoreStatus {
  lastBackup: string | null;
  lastRestoreTest: string | null;
  rotations: TokenRotationLookup | null | Error;
}

/** The last verified backup, the last restore test and the token's rotations; nothing is created when the store does not exist. */
async function readStoreStatus(target: Target, path: string, fingerprint: string | null): Promise<StoreStatus> {
  try {
    const read = await readOpsStore(target, path, false, (store, lib) => {
      const backup = lib.newestVerifiedBackup(store);
      const test = lib.newestRestoreTest(store);
      return {
        lastBackup: backup ? `${backup.createdAt} ${backup.path} (verified${backup.encrypted ? ', encrypted' : ''})` : null,
        lastRestoreTest: test
          ? `${test.startedAt} ${test.ok ? 'passed' : `FAILED (${test.failedSteps.join(', ')})`} on ${test.target}, backup ${test.backupName ?? test.backupPath}`
          : null,
        rotations: fingerprint ? lib.tokenRotationsOf(store, GATEWAY_TOKEN_KIND, fingerprint) : null,
      };
    });
    return read ?? { lastBackup: null, lastRestoreTest: null, rotations: null };
  } catch (error) {
    const unknown = `unknown (${(error as Error).message})`;
    return { lastBackup: unknown, lastRestoreTest: unknown, rotations: error as Error };
  }
}

export async function gatherStatus(target: Target, options: StatusOptions = {}): Promise<GatewayStatus> {
  const { loaded, endpoint, token, store } = await gatherToken(target, options, (storePath, fingerprint) => readStoreStatus(target, storePath, fingerprint));
  const description = describeConfig(loaded);
  const probeHost = isLoopbackHost(endpoint.host) || endpoint.host === '0.0.0.0' || endpoint.host === '' || endpoint.host === '::' ? '127.0.0.1' : endpoint.host;
  const url = `http://${probeHost}:${endpoint.dashboardPort}/api/v1/status`;
  const reach =
    probeHost === '127.0.0.1'
      ? { probed: true, ...(await probeGateway(probeHost, endpoint.dashboardPort, options.timeoutMs ?? 800)) }
      : { probed: false, reachable: null, detail: `the gateway binds ${endpoint.host}, not loopback, and status sends nothing beyond loopback` };
  return {
    configPath: token.configPath,
    configExists: loaded.exists,
    gateway: {
      host: endpoint.host,
      port: endpoint.port,
      dashboardPort: endpoint.dashboardPort,
      hostSource: describeSource(loaded, 'gateway.host'),
      loopback: isLoopbackHost(endpoint.host),
      auth: token.tokenSet ? 'token set' : 'no token',
      tokenSource: token.tokenSource,
      tokenFingerprint: token.tokenFingerprint,
    },
    providers: description.providers.map((p) => p.id).sort(),
    channels: description.channels.map((c) => ({ name: c.id, enabled: c.enabled, accounts: c.accounts })),
    reachability: { url, ...reach },
    opsStore: token.opsStore,
    lastBackup: store.lastBackup,
    lastRestoreTest: store.lastRestoreTest,
    tokenRotatedAt: token.tokenRotatedAt,
    tokenAgeDays: token.tokenAgeDays,
    tokenRotation: token.tokenRotation,
  };
}

function reachability(reach: GatewayStatus['reachability']): string {
  if (!reach.probed) return `not probed (${reach.detail})`;
  return `${reach.reachable ? 'up' : 'down'} (${reach.url}: ${reach.detail})`;
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
    `Reachability:  ${reachability(status.reachability)}`,
    `Last backup:   ${never(status.lastBackup, 'run `kafclaw backup`')}`,
    `Restore test:  ${never(status.lastRestoreTest, 'run `kafclaw restore-test`')}`,
    `Token age:     ${describeTokenRotation(status.tokenRotation)}`,
  ].join('\n') + '\n';
}
