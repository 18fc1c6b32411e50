import type { PlayPlan } from '../playbook/plan.js';

/** A serial entry as a host count: a number, or a percentage of all hosts (at least 1). */
function batchSize(entry: number | string, total: number): number {
  if (typeof entry === 'number') return entry;
  return Math.max(1, Math.floor((total * Number(entry.slice(0, -1))) / 100));
}

/**
 * Hosts split as Ansible's `serial` does: one batch without it; a list of sizes is used in order,
 * its last size repeated until every host has run.
 */
export function serialBatches<T>(hosts: readonly T[], serial: PlayPlan['serial']): T[][] {
  if (serial === undefined || hosts.length === 0) return hosts.length === 0 ? [] : [[...hosts]];
  const sizes = Array.isArray(serial) ? serial : [serial];
  const batches: T[][] = [];
  let at = 0;
  let i = 0;
  while (at < hosts.length) {
    const size = batchSize(sizes[Math.min(i, sizes.length - 1)]!, hosts.length);
    batches.push(hosts.slice(at, at + size));
    at += size;
    i++;
  }
  return batches;
}
