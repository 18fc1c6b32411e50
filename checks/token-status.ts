import type { Target } from '../lib/target/types.js';
import { loadConfig, type LoadedConfig } from '../lib/config/index.js';
import type { TokenRotationLookup } from '../lib/store/index.js';
import { opsStoreOf } from './locations.js';
import { gatewayEndpoint, type GatewayEndpoint } from './gateway-facts.js';
import { describeTokenRotation, readTokenRotations, tokenRotationView, type TokenRotationView } from './token-rotation.js';

/** The gateway token as `kafclaw status` reports it: source, fingerprint and age, without the gateway probe. */
export interface TokenStatus {
  configPath: string;
  tokenSet: boolean;
  /** As status prints it: `env KAFCLAW_GATEWAY_AUTH_TOKEN in /…/env`, `env NAME`, `file /…/config.json`. */
  tokenSource: string | null;
  tokenFingerprint: string | null;
  opsStore: string;
  tokenRotatedAt: string | null;
  tokenAgeDays: number | null;
  tokenRotation: TokenRotationView;
}

export interface TokenStatusOptions {
  env?: Record<string, string | undefined>;
  /** The operations store; default the configuration's (opsStoreOf). */
  opsStore?: string;
  now?: Date;
}

/** The configuration, its gateway endpoint, and what `kafclaw status` and `kafclaw token status` both report of the token. */
export interface TokenGather<T> {
  loaded: LoadedConfig;
  endpoint: GatewayEndpoint;
  token: TokenStatus;
  /** What `readStore` returned. */
  store: T;
}

/**
 * Loads the configuration and reads the operations store (never creating it) through `readStore`,
 * given the store's path and the token's fingerprint; its `rotations` make the token's rotation view.
 */
export async function gatherToken<T extends { rotations: TokenRotationLookup | null | Error }>(
  target: Target,
  options: TokenStatusOptions,
  readStore: (storePath: string, fingerprint: string | null) => Promise<T>,
): Promise<TokenGather<T>> {
  const loaded = await loadConfig({ env: options.env ?? process.env, readFile: (path) => target.readFile(path) });
  const endpoint = gatewayEndpoint(loaded);
  const fingerprint = endpoint.token ? endpoint.token.fingerprint() : null;
  const storePath = options.opsStore ?? opsStoreOf(loaded, target);
  const store = await readStore(storePath, fingerprint);
  const rotation = tokenRotationView(fingerprint, store.rotations, storePath, options.now ?? new Date());
  const token: TokenStatus = {
    configPath: loaded.path,
    tokenSet: fingerprint !== null,
    tokenSource: endpoint.token ? endpoint.tokenSource : null,
    tokenFingerprint: fingerprint,
    opsStore: storePath,
    tokenRotatedAt: rotation.state === 'rotated' ? rotation.rotatedAt : null,
    tokenAgeDays: rotation.state === 'rotated' ? rotation.ageDays : null,
    tokenRotation: rotation,
  };
  return { loaded, endpoint, token, store };
}

/** Reads the configuration and the token's rotations in the operations store (never creating it). */
export async function gatherTokenStatus(target: Target, options: TokenStatusOptions = {}): Promise<TokenStatus> {
  const { token } = await gatherToken(target, options, async (storePath, fingerprint) => {
    try {
      return { rotations: fingerprint ? await readTokenRotations(target, storePath, fingerprint, false) : null };
    } catch (error) {
      return { rotations: error as Error };
    }
  });
  return token;
}

/** Pure: the text of `kafclaw token status`. */
export function renderTokenStatus(status: TokenStatus): string {
  const lines = [
    `Config:       ${status.configPath}`,
    `Token:        ${status.tokenSet ? `set (from ${status.tokenSource})` : 'not set'}`,
    `Fingerprint:  ${status.tokenFingerprint ?? '-'}`,
    `Age:          ${describeTokenRotation(status.tokenRotation)}`,
  ];
  const state = status.tokenRotation.state;
  if (state === 'no-record' || state === 'no-store') lines.push('Next:         `kafclaw token rotate` replaces the token and starts its record');
  if (state === 'no-token') lines.push('Next:         `kafclaw token rotate` writes a token to the env file and records it');
  return lines.join('\n') + '\n';
}
