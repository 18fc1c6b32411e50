import { performance } from 'node:perf_hooks';
import type { Secret } from '../../lib/secrets/secret.js';
import { SshTarget } from '../../lib/target/ssh.js';
import { TargetUnreachableError } from '../../lib/target/types.js';
import { scrub } from '../../lib/secrets/scrub.js';
import type { Plan, PlayPlan } from '../playbook/plan.js';
import type { SecretResolver } from '../secrets/resolve.js';
import { secretReferencesIn } from '../resource-specs.js';
import type { ConnectFlags } from './connect.js';
import { sshOptionsFor } from './connect.js';
import type { RunEvent, RunSummary } from './events.js';
import { tally } from './events.js';
import { runHostPlay } from './host-run.js';
import type { DrillHooks } from '../drill/hooks.js';
import { serialBatches } from './batches.js';
import { limitConcurrency } from './concurrency.js';

export interface RunPlanOptions extends ConnectFlags {
  check?: boolean;
  /** Hosts at once; default every host, at most 50. */
  forks?: number;
  resolver: SecretResolver;
  onEvent?: (event: RunEvent) => void;
  /** For fetch_backup and restore_test tasks: the gateway boot check and the store to record in. */
  drill?: DrillHooks;
}

export const MAX_FORKS = 50;

/**
 * Every secret the plan references, resolved once on the controller before any host is touched
 * (a missing secret is an input error, exit 2, not a half-provisioned fleet).
 */
export async function resolvePlanSecrets(plan: Plan, resolver: SecretResolver): Promise<Map<string, Secret>> {
  const secrets = new Map<string, Secret>();
  for (const play of plan.plays) {
    for (const hostPlan of play.perHost.values()) {
      const references = [...hostPlan.tasks, ...hostPlan.handlers].flatMap((item) => secretReferencesIn(item.spec.params));
      if (hostPlan.connection.becomePassword) references.push(hostPlan.connection.becomePassword);
      for (const reference of references) if (!secrets.has(reference.text)) secrets.set(reference.text, await resolver.resolve(reference));
    }
  }
  return secrets;
}

/**
 * Runs a plan: plays in order; in each, hosts in serial batches, up to `forks` at once, one SSH
 * connection per host for the whole run. An unreachable host is reported with the step and left
 * out of later plays; a failed host too; the others go on, unless a batch failed whole or over
 * max_fail_percentage: then the run stops.
 */
export async function runPlan(plan: Plan, options: RunPlanOptions): Promise<RunSummary> {
  const events: RunEvent[] = [];
  const emit = (event: RunEvent) => {
    events.push(event);
    options.onEvent?.(event);
  };
  const secrets = await resolvePlanSecrets(plan, options.resolver);
  const targets = new Map<string, SshTarget>();
  const out = new Set<string>();
  try {
    for (const [i, play] of plan.plays.entries()) {
      const later = plan.plays.slice(i + 1).map((next) => next.name);
      if (!(await runPlay(play, later, { ...options, emit, secrets, targets, out }))) break;
    }
  } finally {
    await Promise.all([...targets.values()].map((target) => target.close().catch(() => undefined)));
  }
  return tally(events);
}

interface PlayContext extends RunPlanOptions {
  emit: (event: RunEvent) => void;
  secrets: Map<string, Secret>;
  targets: Map<string, SshTarget>;
  /** Hosts that failed or were unreachable earlier: left out of later plays. */
  out: Set<string>;
}

/**
 * One play, batch by batch. As Ansible does, the whole run stops (no later batch, no later play)
 * when a batch failed over max_fail_percentage, or failed whole. Returns whether the run goes on.
 */
async function runPlay(play: PlayPlan, laterPlays: readonly string[], context: PlayContext): Promise<boolean> {
  const hosts = play.hosts.filter((host) => play.perHost.has(host) && !context.out.has(host));
  context.emit({ type: 'play', play: play.name, hosts });
  const forks = Math.min(MAX_FORKS, Math.max(1, context.forks ?? hosts.length));
  const batches = serialBatches(hosts, play.serial);
  for (const [i, batch] of batches.entries()) {
    const outcomes = await limitConcurrency(batch, forks, (host) => runHost(play, host, context));
    const failed = outcomes.filter((outcome) => outcome !== 'ok').length;
    const limit = play.maxFailPercentage;
    const overLimit = limit !== undefined && batch.length > 0 && (failed / batch.length) * 100 > limit;
    const wholeBatch = batch.length > 0 && failed === batch.length;
    if (!overLimit && !wholeBatch) continue;
    const notStarted = batches.slice(i + 1).flat();
    if (overLimit || notStarted.length > 0 || laterPlays.length > 0) {
      const why = overLimit ? `${failed} of ${batch.length} hosts failed, over max_fail_percentage ${limit}` : `every host of the batch failed (${failed} of ${batch.length})`;
      const skipped = [
        ...(notStarted.length > 0 ? [`not started: ${notStarted.join(', ')}`] : []),
        ...(laterPlays.length > 0 ? [`plays not run: ${laterPlays.map((name) => `"${name}"`).join(', ')}`] : []),
      ];
      context.emit({ type: 'note', message: `play "${play.name}": ${why}; the run stops here${skipped.length > 0 ? ` (${skipped.join('; ')})` : ''}` });
    }
    return false;
  }
  return true;
}

async function runHost(play: PlayPlan, host: string, context: PlayContext): Promise<'ok' | 'failed' | 'unreachable'> {
  const plan = play.perHost.get(host)!;
  const started = performance.now();
  const becomePassword = plan.connection.becomePassword ? context.secrets.get(plan.connection.becomePassword.text) : undefined;
  const sshOptions = sshOptionsFor(host, plan.connection, context, becomePassword);
  let target = context.targets.get(host);
  if (!target) {
    target = new SshTarget(sshOptions);
    context.targets.set(host, target);
  }
  try {
    await target.connect();
  } catch (error) {
    const step = error instanceof TargetUnreachableError ? error.step : 'connect';
    context.emit({ type: 'unreachable', play: play.name, host, step, message: scrub((error as Error).message) });
    context.out.add(host);
    return 'unreachable';
  }
  if (target.acceptedHostKey) context.emit({ type: 'note', host, message: `recorded the host key ${target.acceptedHostKey} in ${sshOptions.knownHostsPath}` });
  context.emit({ type: 'host', play: play.name, host, login: target.user ?? sshOptions.user, bootstrap: target.usedBootstrapUser, connectMs: Math.round(target.connectMs ?? 0) });
  let outcome: 'ok' | 'failed' | 'unreachable';
  try {
    outcome = await runHostPlay(target, plan, { play: play.name, check: context.check === true, emit: context.emit, sshOptions, secrets: context.secrets, ...(context.drill ? { drill: context.drill } : {}) });
  } catch (error) {
    context.emit({ type: 'task', play: play.name, host, task: 'run', index: -1, status: 'failed', changes: [], check: context.check === true, message: scrub((error as Error).message) });
    outcome = 'failed';
  }
  if (outcome !== 'ok') context.out.add(host);
  context.emit({ type: 'host-done', play: play.name, host, ms: Math.round(performance.now() - started) });
  return outcome;
}
