import type { GatewayLimits } from '../settings.js';

interface Record {
  failures: number;
  lastFailureAt: number;
  blockedUntil: number;
}

export type FailureLimits = Pick<
  GatewayLimits,
  'authFreeFailures' | 'authBackoffBaseMs' | 'authBackoffMaxMs' | 'authFailureWindowMs' | 'authTrackedAddresses'
>;

/**
 * Authentication failures per client address. After `authFreeFailures` failures each further one
 * locks the address out for base × 2^k (capped); a locked address gets 429 without its token being
 * looked at. Other addresses are untouched. Memory is bounded by `authTrackedAddresses`.
 */
export class FailureTracker {
  readonly #records = new Map<string, Record>();
  #limits: FailureLimits;

  constructor(limits: FailureLimits) {
    this.#limits = limits;
  }

  setLimits(limits: FailureLimits): void {
    this.#limits = limits;
  }

  /** Milliseconds the address must still wait, or 0 when it may try. */
  retryAfterMs(address: string, now: number): number {
    const record = this.#records.get(address);
    if (!record) return 0;
    return Math.max(0, record.blockedUntil - now);
  }

  /** Records one failure; returns the lockout it starts (0 while the address still has free attempts). */
  fail(address: string, now: number): number {
    const limits = this.#limits;
    let record = this.#records.get(address);
    if (!record || now - record.lastFailureAt > limits.authFailureWindowMs) {
      record = { failures: 0, lastFailureAt: now, blockedUntil: 0 };
    }
    this.#records.delete(address);
    record.failures += 1;
    record.lastFailureAt = now;
    const over = record.failures - limits.authFreeFailures;
    const lockout = over > 0 ? Math.min(limits.authBackoffMaxMs, limits.authBackoffBaseMs * 2 ** Math.min(over - 1, 30)) : 0;
    record.blockedUntil = now + lockout;
    this.#records.set(address, record);
    while (this.#records.size > limits.authTrackedAddresses) {
      const oldest = this.#records.keys().next().value as string;
      this.#records.delete(oldest);
    }
    return lockout;
  }

  succeed(address: string): void {
    this.#records.delete(address);
  }

  failures(address: string): number {
    return this.#records.get(address)?.failures ?? 0;
  }

  get trackedAddresses(): number {
    return this.#records.size;
  }
}
