import { hash, timingSafeEqual } from 'node:crypto';
import type { GatewayToken } from '../settings.js';

interface Entry {
  digest: Buffer;
  expiresAt: number | null;
}

export type TokenCheck = 'valid' | 'expired' | 'unknown';

/** One-shot hashing: a quarter of the cost of createHash().update().digest() per request. */
function digest(value: string): Buffer {
  return hash('sha256', value, 'buffer');
}

/**
 * The accepted tokens, kept only as SHA-256 digests. A presented token is hashed and compared with
 * every entry in constant time (no early exit), so neither length nor prefix leaks through timing.
 */
export class TokenSet {
  readonly #entries: Entry[];

  constructor(tokens: readonly GatewayToken[]) {
    this.#entries = tokens.map((token) => ({
      digest: digest(token.secret.reveal()),
      expiresAt: token.expiresAt ? token.expiresAt.getTime() : null,
    }));
  }

  get size(): number {
    return this.#entries.length;
  }

  check(presented: string, now: number): TokenCheck {
    const candidate = digest(presented);
    let matched: Entry | null = null;
    for (const entry of this.#entries) {
      if (timingSafeEqual(candidate, entry.digest)) matched = entry;
    }
    if (!matched) return 'unknown';
    return matched.expiresAt === null || matched.expiresAt > now ? 'valid' : 'expired';
  }
}
