import { timingSafeEqual } from 'node:crypto';
import type { GatewayToken } from '../settings.js';
import { TOKEN68 } from './bearer.js';

interface Entry {
  /** The token's bytes, zero-padded to the set's width. */
  padded: Buffer;
  length: number;
  expiresAt: number | null;
}

export type TokenCheck = 'valid' | 'expired' | 'unknown';

const NOT_ASCII = Symbol('not ASCII');

/** Comparison width granularity: widths are a multiple of this, so the exact longest length does not show. */
const WIDTH_STEP = 64;

/**
 * The accepted tokens, each kept as its bytes zero-padded to one fixed width (the longest accepted
 * token, rounded up). A presented token is compared with every entry over that whole width with no
 * early exit, the lengths too: character by character for ASCII values, as UTF-8 bytes through
 * timingSafeEqual otherwise. So the time depends on neither the presented value nor which entry, if
 * any, matches: no length or prefix leaks. This replaces hashing each presented token, which cost
 * more than the rest of the check together.
 */
export class TokenSet {
  readonly #entries: Entry[];
  /** Every accepted token is token68, the only form a bearer header can carry (so a bearer reader may compare first). */
  readonly token68: boolean;
  readonly #width: number;
  /** Holds the presented token for the length of one synchronous check, then is zeroed. */
  readonly #scratch: Buffer;

  constructor(tokens: readonly GatewayToken[]) {
    this.token68 = tokens.every((token) => TOKEN68.test(token.secret.reveal()));
    const values = tokens.map((token) => Buffer.from(token.secret.reveal(), 'utf8'));
    const longest = values.reduce((max, value) => Math.max(max, value.length), 0);
    this.#width = Math.max(1, Math.ceil(longest / WIDTH_STEP)) * WIDTH_STEP;
    this.#scratch = Buffer.alloc(this.#width);
    this.#entries = values.map((value, i) => {
      const padded = Buffer.alloc(this.#width);
      value.copy(padded);
      value.fill(0);
      const expiresAt = tokens[i]!.expiresAt;
      return { padded, length: value.length, expiresAt: expiresAt ? expiresAt.getTime() : null };
    });
  }

  get size(): number {
    return this.#entries.length;
  }

  /** Checks `presented.slice(from)`, read in place. */
  check(presented: string, now: number, from = 0): TokenCheck {
    let matched = this.#matchCharacters(presented, from);
    if (matched === NOT_ASCII) matched = this.#matchBytes(presented.slice(from));
    if (!matched) return 'unknown';
    return matched.expiresAt === null || matched.expiresAt > now ? 'valid' : 'expired';
  }

  /**
   * The comparison for ASCII values (every bearer token: token68 is ASCII), whose character codes are
   * their UTF-8 bytes: in place, OR-ing the differences over the whole width with no early exit. The
   * byte path below costs three binding calls a request for the same answer. NOT_ASCII when a
   * character is 128 or above (known to the sender, so the detour tells nothing).
   */
  #matchCharacters(presented: string, from: number): Entry | null | typeof NOT_ASCII {
    const width = this.#width;
    const length = presented.length - from;
    const inWidth = length < width ? length : width;
    let matched: Entry | null = null;
    let high = 0;
    for (let e = 0; e < this.#entries.length; e++) {
      const entry = this.#entries[e]!;
      const padded = entry.padded;
      let difference = length ^ entry.length;
      let i = 0;
      for (; i < inWidth; i++) {
        const code = presented.charCodeAt(from + i);
        high |= code;
        difference |= code ^ padded[i]!;
      }
      for (; i < width; i++) difference |= padded[i]!;
      if (difference === 0) matched = entry;
    }
    return high < 128 ? matched : NOT_ASCII;
  }

  #matchBytes(presented: string): Entry | null {
    const scratch = this.#scratch;
    const length = Buffer.byteLength(presented, 'utf8');
    // A longer value is cut to the width: it cannot match, as its length differs from every entry's.
    scratch.write(presented, 0, 'utf8');
    let matched: Entry | null = null;
    for (const entry of this.#entries) {
      const same = timingSafeEqual(scratch, entry.padded);
      if (same && length === entry.length) matched = entry;
    }
    scratch.fill(0);
    return matched;
  }
}
