import type { Target } from '../target/types.js';
import type { FactProbe } from '../facts/types.js';
import type { FactSnapshot } from '../facts/snapshot.js';

/** One difference between the desired and the actual state; secrets appear as `(secret)` or a hash. */
export interface Change {
  resource: string;
  field: string;
  before: string | null;
  after: string | null;
}

/** Why nothing needs to change. */
export interface Noop {
  resource: string;
  reason: string;
}

/**
 * A desired-state primitive. It declares the facts it needs (gathered with every other resource's
 * in one batch), `diff` is pure over them, and check mode stops after `diff`, so `apply` never
 * needs to know about check mode.
 */
export interface Resource {
  readonly kind: string;
  /** Printable identity, e.g. `file:/etc/kafclaw/gateway.env`. */
  readonly id: string;
  probes(): FactProbe[];
  diff(facts: FactSnapshot): Change[] | Noop;
  apply(target: Target, changes: Change[], facts: FactSnapshot): Promise<void>;
}

export function isNoop(value: Change[] | Noop): value is Noop {
  return !Array.isArray(value);
}
