// Real applies for resource tests: probe, diff, apply, probe again; the second diff must be a no-op.
import * as assert from 'uvu/assert';
import { gatherFacts } from '../../../lib/facts/gather.js';
import { FactSnapshot } from '../../../lib/facts/snapshot.js';
import type { Target } from '../../../lib/target/types.js';
import { applyPlan, isNoop, planResources } from '../../../lib/resources/index.js';
import type { AppliedPlan, Change, Noop, Resource } from '../../../lib/resources/index.js';

export async function diffOn(target: Target, resources: readonly Resource[]): Promise<{ facts: FactSnapshot; diffs: Array<Change[] | Noop> }> {
  const facts = await gatherFacts(target, resources.flatMap((r) => r.probes()), new FactSnapshot(), { sudo: target.kind === 'ssh' });
  return { facts, diffs: resources.map((r) => r.diff(facts)) };
}

/** Apply the resources in order, then prove idempotence: every diff afterwards is a no-op. Returns the first changes. */
export async function converge(target: Target, resources: readonly Resource[]): Promise<{ changes: Change[]; applied: AppliedPlan; after: Noop[] }> {
  const facts = await gatherFacts(target, resources.flatMap((r) => r.probes()), new FactSnapshot(), { sudo: target.kind === 'ssh' });
  const plan = planResources(resources, facts);
  const changes = plan.flatMap(({ diff }) => (isNoop(diff) ? [] : diff));
  const applied = await applyPlan(target, plan, facts);
  const again = await diffOn(target, resources);
  again.diffs.forEach((diff, index) => assert.ok(isNoop(diff), `${resources[index]!.id} is not idempotent: ${JSON.stringify(diff)}`));
  return { changes, applied, after: again.diffs as Noop[] };
}

/** The promise must reject with a message matching the pattern; returns the message. */
export async function rejectsWith(promise: Promise<unknown>, pattern: RegExp): Promise<string> {
  try {
    await promise;
  } catch (error) {
    const message = (error as Error).message;
    assert.match(message, pattern);
    return message;
  }
  assert.unreachable(`expected a rejection matching ${pattern}`);
  return '';
}
