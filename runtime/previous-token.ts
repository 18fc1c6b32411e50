import { ConfigError, MAX_GRACE_MS, PREVIOUS_TOKEN_ENV, PREVIOUS_TOKEN_EXPIRES_ENV } from '../lib/config/index.js';
import type { LoadedConfig } from '../lib/config/index.js';
import { Secret } from '../lib/secrets/index.js';
import type { GatewayToken } from './settings.js';

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})$/;

/**
 * The previous gateway token from the effective environment (env files included), with its expiry,
 * or null when none is set. A previous token without a readable expiry is refused, never accepted
 * for ever. Pure.
 */
export function previousGatewayToken(loaded: Pick<LoadedConfig, 'env' | 'envSources'>, now = Date.now()): GatewayToken | null {
  const value = loaded.env[PREVIOUS_TOKEN_ENV];
  if (value === undefined || value === '') return null;
  const expires = loaded.env[PREVIOUS_TOKEN_EXPIRES_ENV] ?? '';
  const at = ISO_TIME.test(expires) ? Date.parse(expires) : Number.NaN;
  const where = loaded.envSources[PREVIOUS_TOKEN_EXPIRES_ENV] ?? loaded.envSources[PREVIOUS_TOKEN_ENV] ?? 'process';
  const refuse = (problem: string) =>
    new ConfigError(`${PREVIOUS_TOKEN_ENV} is set but ${PREVIOUS_TOKEN_EXPIRES_ENV} ${problem}`, {
      path: where === 'process' ? '(process environment)' : where,
      key: PREVIOUS_TOKEN_EXPIRES_ENV,
    });
  if (Number.isNaN(at)) {
    throw refuse(
      `${expires ? 'is not an ISO 8601 time with an offset' : 'is missing'}: a previous token is accepted only until a stated time. ` +
        `Set ${PREVIOUS_TOKEN_EXPIRES_ENV}=2026-12-08T12:00:00Z (for example), or remove ${PREVIOUS_TOKEN_ENV}.`,
    );
  }
  if (at - now > MAX_GRACE_MS) {
    throw refuse(
      `is more than 30 days ahead (${expires}): longer than any grace \`kafclaw token rotate --grace\` gives. ` +
        `Set an earlier time, or remove ${PREVIOUS_TOKEN_ENV} and ${PREVIOUS_TOKEN_EXPIRES_ENV}.`,
    );
  }
  return { secret: new Secret(value, `env:${PREVIOUS_TOKEN_ENV}`), expiresAt: new Date(at) };
}
