import { FailureTracker } from './auth/failures.js';
import { TokenSet } from './auth/token-set.js';
import type { GatewaySettings } from './settings.js';
import { assertStartable, GatewayStartupError } from './startup-check.js';

export interface ReloadResult {
  /** Setting keys that changed but take effect only after a restart (listeners, state directory, server limits). */
  needsRestart: string[];
}

/** Fixed when the listeners start; the TLS files are read once, so the running listener keeps its certificate. */
const RESTART_KEYS = ['host', 'port', 'dashboardPort', 'stateDir', 'workspace', 'logLevel', 'tlsCert', 'tlsKey'] as const;
/** Limits fixed when the HTTP servers are created. */
const SERVER_LIMITS = [
  'bodyLimitBytes', 'maxHeaderBytes', 'headersTimeoutMs', 'requestTimeoutMs', 'keepAliveTimeoutMs', 'connectionTimeoutMs',
] as const;

/**
 * The part of the gateway that SIGHUP replaces: tokens, channel and tool policy, channel tokens,
 * trusted proxies, auth limits, CORS.
 * Both listeners share one instance, so a lockout on one port holds on the other.
 */
export class GatewayState {
  #settings: GatewaySettings;
  #tokens: TokenSet;
  readonly failures: FailureTracker;
  readonly startedAt: number;

  constructor(settings: GatewaySettings, now: number = Date.now()) {
    this.#settings = settings;
    this.#tokens = new TokenSet(settings.tokens);
    this.failures = new FailureTracker(settings.limits);
    this.startedAt = now;
  }

  get settings(): GatewaySettings {
    return this.#settings;
  }

  get tokens(): TokenSet {
    return this.#tokens;
  }

  /**
   * Swaps in new tokens and policy without touching connections. Refuses (throws
   * GatewayStartupError, keeping the old state) when the new settings would not be allowed to start.
   */
  reload(next: GatewaySettings, now: Date = new Date()): ReloadResult {
    const current = this.#settings;
    const needsRestart: string[] = RESTART_KEYS.filter((key) => next[key] !== current[key]);
    for (const key of SERVER_LIMITS) if (next.limits[key] !== current.limits[key]) needsRestart.push(`limits.${key}`);
    const limits = { ...next.limits };
    for (const key of SERVER_LIMITS) limits[key] = current.limits[key];
    const effective: GatewaySettings = { ...next, limits };
    for (const key of RESTART_KEYS) {
      const kept = effective as unknown as Record<string, unknown>;
      if (current[key] === undefined) delete kept[key];
      else kept[key] = current[key];
    }
    try {
      assertStartable(effective, now);
    } catch (error) {
      if (error instanceof GatewayStartupError) {
        throw new GatewayStartupError(error.message.replace('refuses to start', 'refuses to reload (still running with the previous settings)'));
      }
      throw error;
    }
    this.#tokens = new TokenSet(effective.tokens);
    this.failures.setLimits(effective.limits);
    this.#settings = effective;
    return { needsRestart };
  }
}
