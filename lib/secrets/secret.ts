import { createHash } from 'node:crypto';
import { inspect } from 'node:util';
import { registerSecretValue } from './scrub.js';

const REDACTED = '(secret)';

/**
 * A value that must never be printed, logged, serialised or diffed in the clear.
 * Every way of turning it into text yields `(secret)`; `reveal()` is the one door to the value,
 * used only where it is written to its final place (an env file, a request header comparison).
 */
export class Secret {
  readonly #value: string;
  /** Where the value came from, e.g. `env:KAFCLAW_GATEWAY_AUTH_TOKEN`; safe to print. */
  readonly source: string;

  constructor(value: string, source = 'literal') {
    this.#value = value;
    this.source = source;
    registerSecretValue(value);
  }

  reveal(): string {
    return this.#value;
  }

  get length(): number {
    return this.#value.length;
  }

  isEmpty(): boolean {
    return this.#value.length === 0;
  }

  equals(other: Secret | string): boolean {
    const theirs = typeof other === 'string' ? other : other.reveal();
    return theirs === this.#value;
  }

  /** A short, stable fingerprint for diffs and evidence: not reversible, safe to show. */
  fingerprint(): string {
    return 'sha256:' + createHash('sha256').update(this.#value).digest('hex').slice(0, 12);
  }

  toString(): string {
    return REDACTED;
  }

  toJSON(): string {
    return REDACTED;
  }

  [inspect.custom](): string {
    return REDACTED;
  }

  [Symbol.toPrimitive](): string {
    return REDACTED;
  }
}

export function isSecret(value: unknown): value is Secret {
  return value instanceof Secret;
}
