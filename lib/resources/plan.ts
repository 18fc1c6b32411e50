import type { FactSnapshot } from '../facts/snapshot.js';
import type { Target } from '../target/types.js';
import type { RunOptions } from '../target/types.js';
import type { Change, FollowUp, Noop, Resource } from './types.js';
import { isNoop } from './types.js';
import { runChecked } from './run-checked.js';

export interface PlannedResource {
  resource: Resource;
  diff: Change[] | Noop;
}

/** Pure: every resource's diff over one fact snapshot, in order. This is all check mode does. */
export function planResources(resources: readonly Resource[], facts: FactSnapshot): PlannedResource[] {
  return resources.map((resource) => ({ resource, diff: resource.diff(facts) }));
}

/** The argv that carries out a follow-up on the host. */
export const FOLLOW_UP_ARGV: Readonly<Record<FollowUp, readonly string[]>> = {
  'daemon-reload': ['systemctl', 'daemon-reload'],
};

export interface AppliedPlan {
  /** Follow-ups run, in order (each at most once). */
  followUps: FollowUp[];
}

/**
 * The reference order for applying a plan: resources in order; a follow-up made due by one
 * resource runs once, just before the first later resource that awaits it, else at the end.
 * A failing resource stops the plan (the error names it); due follow-ups still run first.
 */
export async function applyPlan(target: Target, plan: readonly PlannedResource[], facts: FactSnapshot, options: RunOptions = { sudo: true }): Promise<AppliedPlan> {
  const due = new Set<FollowUp>();
  const ran: FollowUp[] = [];
  const runDue = async (which: readonly FollowUp[]) => {
    for (const followUp of which) {
      if (!due.has(followUp)) continue;
      due.delete(followUp);
      await runChecked(target, followUp, followUp, FOLLOW_UP_ARGV[followUp], { ...options, timeoutMs: 120_000 });
      ran.push(followUp);
    }
  };
  try {
    for (const { resource, diff } of plan) {
      if (isNoop(diff)) continue;
      await runDue(resource.awaits ?? []);
      await resource.apply(target, diff, facts);
      for (const followUp of resource.followUps?.(diff) ?? []) due.add(followUp);
    }
  } finally {
    await runDue([...due]);
  }
  return { followUps: ran };
}
