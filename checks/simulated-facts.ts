import type { Target } from '../lib/target/types.js';
import type { FactSnapshot } from '../lib/facts/snapshot.js';
import { gatewayEnvironment, loadConfigFacts, type CollectOptions } from './collect.js';
import { SIMULATED_FACTS } from './dry-run-target.js';

/**
 * After a simulated fix, load again the only facts it can change (SIMULATED_FACTS: the configuration
 * and the gateway's environment, read through the DryRunTarget's memory) onto the snapshot, the way
 * collectFacts loads them. Every other fact comes from a probe script, which shows the host as it is:
 * gathering it again would repeat the first collection (host probes, the leak scan's grep) after every
 * simulated fix. The report keeps naming the configuration of the first collection.
 */
export async function reloadSimulatedFacts(target: Target, snapshot: FactSnapshot, options: CollectOptions = {}): Promise<void> {
  const needs = new Set([...SIMULATED_FACTS].filter((key) => snapshot.has(key)));
  if (needs.size === 0) return;
  const { environment, serviceOwn } = await gatewayEnvironment(target, snapshot, options);
  await loadConfigFacts(target, needs, snapshot, environment, options.sudo ?? false, serviceOwn);
}
