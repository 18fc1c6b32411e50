import type { Target } from '../lib/target/types.js';
import { loadConfig } from '../lib/config/index.js';
import { opsStoreOf } from './locations.js';
import { gatewayEndpoint } from './gateway-facts.js';
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

/** Reads the configuration and the operations store (never creating it). */
export async function gatherTokenStatus(target: Target, options: TokenStatusOptions = {}): Promise<TokenStatus> {
  const env = options.env ?? process.env;
  const loaded = await loadConfig({ env, readFile: (path) => target.readFile(path) });
  const endpoint = gatewayEndpoint(loaded);
  const fingerprint = endpoint.token ? endpoint.token.fingerprint() : null;
  const storePath = options.opsStore ?? opsStoreOf(loaded, target);
  let lookup: Awaited<ReturnType<typeof readTokenRotations>> | Error = null;
  try {
    if (fingerprint) lookup = await readTokenRotations(target, storePath, fingerprint, false);
  } catch (error) {
    lookup = error as Error;
  }
  const rotation = tokenRotationView(fingerprint, lookup, storePath, options.now ?? new Date());
  return {
    configPath: loaded.path,
    tokenSet: fingerprint !== null,
    tokenSource: endpoint.token ? endpoint.tokenSource : null,
    tokenFingerprint: fingerprint,
    opsStore: storePath,
    tokenRotatedAt: rotation.state === 'rotated' ? rotation.rotatedAt : null,
    tokenAgeDays: rotation.state === 'rotated' ? rotation.ageDays : null,
    tokenRotation: rotation,
  };
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
