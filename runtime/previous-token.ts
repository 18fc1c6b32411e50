import { ConfigError } from '../lib/config/index.js';
import type { LoadedConfig } from '../lib/config/index.js';
import { Secret } from '../lib/secrets/index.js';
import type { GatewayToken } from './settings.js';

/** The token a `kafclaw token rotate --grace` replaced; accepted beside the new one until its expiry. */
export const PREVIOUS_TOKEN_ENV = 'KAFCLAW_GATEWAY_PREVIOUS_AUTH_TOKEN';
/**
 * When the previous token stops working: an ISO 8601 time with its offset (2026-12-08T12:00:00Z). Its
 * name has no TOKEN in it: values of such names are treated as secrets and kept out of every output.
 */
export const PREVIOUS_TOKEN_EXPIRES_ENV = 'KAFCLAW_GATEWAY_PREVIOUS_AUTH_EXPIRES';

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})$/;

/**
 * The previous gateway token from the effective environment (env files included), with its expiry,
 * or null when none is set. A previous token without a readable expiry is refused, never accepted
 * for ever. Pure.
 */
export function previousGatewayToken(loaded: Pick<LoadedConfig, 'env' | 'envSources'>): GatewayToken | null {
  const value = loaded.env[PREVIOUS_TOKEN_ENV];
  if (value === undefined || value === '') return null;
  const expires = loaded.env[PREVIOUS_TOKEN_EXPIRES_ENV] ?? '';
  const at = ISO_TIME.test(expires) ? Date.parse(expires) : Number.NaN;
  if (Number.isNaN(at)) {
    const where = loaded.envSources[PREVIOUS_TOKEN_ENV] ?? 'process';
    throw new ConfigError(
      `${PREVIOUS_TOKEN_ENV} is set but ${PREVIOUS_TOKEN_EXPIRES_ENV} ${expires ? 'is not an ISO 8601 time with an offset' : 'is missing'}: ` +
        `a previous token is accepted only until a stated time. Set ${PREVIOUS_TOKEN_EXPIRES_ENV}=2026-12-08T12:00:00Z (for example), or remove ${PREVIOUS_TOKEN_ENV}.`,
      { path: where === 'process' ? '(process environment)' : where, key: PREVIOUS_TOKEN_EXPIRES_ENV },
    );
  }
  return { secret: new Secret(value, `env:${PREVIOUS_TOKEN_ENV}`), expiresAt: new Date(at) };
}
