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
  /**
   * Host-wide follow-ups that this resource's changes make due (a changed unit file makes a
   * `daemon-reload` due). The runner runs each due follow-up once, before the first later
   * resource that `awaits` it, or at the end of the phase.
   */
  followUps?(changes: readonly Change[]): FollowUp[];
  /** Follow-ups that must have run before this resource is applied (a service awaits `daemon-reload`). */
  readonly awaits?: readonly FollowUp[];
  /** False for resources that change something on every run by design (a restart handler). */
  readonly idempotent?: boolean;
}

/** A host-wide action several resources may make due, run once by the runner. */
export type FollowUp = 'daemon-reload';

export function isNoop(value: Change[] | Noop): value is Noop {
  return !Array.isArray(value);
}
