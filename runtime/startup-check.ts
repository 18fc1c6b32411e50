import { isLoopbackHost } from '../lib/config/describe.js';
import { estimateEntropyBits, placeholderReason, REQUIRED_TOKEN_BITS } from '../lib/secrets/index.js';
import { proxyTrust } from './http/client-address.js';
import { tlsSettingsProblem } from './http/tls.js';
import type { GatewaySettings, GatewayToken } from './settings.js';

/** A refusal to start (or to reload): the message says what to set; the CLI exits with `exitCode`. */
export class GatewayStartupError extends Error {
  readonly exitCode = 2;
  override readonly name = 'GatewayStartupError';
}

const HOW_TO_SET =
  'set KAFCLAW_GATEWAY_AUTH_TOKEN (or gateway.authToken in config.json) to 32 random bytes in hex, ' +
  'e.g. `openssl rand -hex 32`, or let `kafclaw doctor --fix` generate one into ~/.config/kafclaw/env';

export { isLoopbackHost };

export function liveTokens(tokens: readonly GatewayToken[], now: Date): GatewayToken[] {
  return tokens.filter((token) => token.expiresAt === undefined || token.expiresAt.getTime() > now.getTime());
}

/** Why this token is too weak to guard a gateway, or null; never includes the value. */
export function tokenWeakness(token: GatewayToken): string | null {
  const value = token.secret.reveal();
  const placeholder = placeholderReason(value);
  if (placeholder) return `looks like a placeholder (${placeholder})`;
  const bits = Math.floor(estimateEntropyBits(value));
  if (bits < REQUIRED_TOKEN_BITS) return `carries about ${bits} bits, needs ${REQUIRED_TOKEN_BITS}`;
  return null;
}

/**
 * Every reason the gateway must not start with these settings (empty when it may). Pure.
 * Fail closed: beyond loopback a live token is required, and a weak token is refused on any host.
 */
export function startupProblems(settings: GatewaySettings, now: Date): string[] {
  const problems: string[] = [];
  const live = liveTokens(settings.tokens, now);
  if (!isLoopbackHost(settings.host) && live.length === 0) {
    problems.push(
      `gateway.host is ${settings.host}, beyond loopback, and no gateway token is set: ${HOW_TO_SET}, ` +
        'or set gateway.host to 127.0.0.1',
    );
  }
  for (const token of live) {
    const weakness = tokenWeakness(token);
    if (weakness) problems.push(`the gateway token from ${token.secret.source} ${weakness}: ${HOW_TO_SET}`);
  }
  for (const [key, port] of [['gateway.port', settings.port], ['gateway.dashboardPort', settings.dashboardPort]] as const) {
    if (!Number.isInteger(port) || port < 0 || port > 65535) problems.push(`${key} is ${port}: set a port between 1 and 65535`);
  }
  if (settings.port === settings.dashboardPort && settings.port !== 0) {
    problems.push(`gateway.port and gateway.dashboardPort are both ${settings.port}: give the dashboard its own port (default 18791)`);
  }
  const tls = tlsSettingsProblem(settings.tlsCert, settings.tlsKey);
  if (tls) problems.push(tls);
  try {
    proxyTrust(settings.trustedProxies ?? []);
  } catch (error) {
    problems.push((error as Error).message);
  }
  return problems;
}

export function assertStartable(settings: GatewaySettings, now: Date): void {
  const problems = startupProblems(settings, now);
  if (problems.length > 0) {
    throw new GatewayStartupError(`the gateway refuses to start:\n  - ${problems.join('\n  - ')}`);
  }
}
