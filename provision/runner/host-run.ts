import { performance } from 'node:perf_hooks';
import { gatherFacts } from '../../lib/facts/gather.js';
import { FactSnapshot } from '../../lib/facts/snapshot.js';
import type { FactProbe } from '../../lib/facts/types.js';
import type { Change, FollowUp, Noop, Resource, ResourceContext } from '../../lib/resources/index.js';
import { FOLLOW_UP_ARGV, isNoop } from '../../lib/resources/index.js';
import { scrub } from '../../lib/secrets/scrub.js';
import type { Secret } from '../../lib/secrets/secret.js';
import type { SshTarget, SshTargetOptions } from '../../lib/target/ssh.js';
import { TargetUnreachableError } from '../../lib/target/types.js';
import type { HostPlan, PlannedTask } from '../playbook/plan.js';
import { resourceFromSpec, withSecrets } from '../resource-specs.js';
import { freshLoginProblem, proveFreshLogin } from './connect.js';
import type { DrillHooks } from '../drill/hooks.js';
import type { RunEvent } from './events.js';
import { PENDING_FACT, clearPendingHandlers, pendingHandlersProbe, recordPendingHandlers } from './pending-handlers.js';

export interface HostRunOptions {
  play: string;
  check: boolean;
  emit: (event: RunEvent) => void;
  /** How this host is reached: fresh logins for the lockout proofs use the same settings. */
  sshOptions: SshTargetOptions;
  secrets: ReadonlyMap<string, Secret>;
  drill?: DrillHooks;
}

export type HostOutcome = 'ok' | 'failed' | 'unreachable';

type Diff = Change[] | Noop | { unknown: string };
const isUnknown = (diff: Diff): diff is { unknown: string } => !Array.isArray(diff) && 'unknown' in diff;

interface Step {
  name: string;
  index: number;
  notify: string[];
  resource: Resource;
  /** sshd settings that disable root login: needs a proven admin login first. */
  disablesRoot: boolean;
}

/** Stops the host: already reported. */
class HostStopped extends Error {
  constructor(readonly outcome: HostOutcome) {
    super(outcome);
  }
}

const message = (error: unknown) => scrub((error as Error)?.message ?? String(error));

/** The connection dropped under a resource (which may have wrapped the target's error in its own). */
function connectionLost(error: unknown): boolean {
  for (let e = error as (Error & { cause?: unknown }) | undefined, depth = 0; e && depth < 5; e = e.cause as typeof e, depth++) {
    if (e instanceof TargetUnreachableError) return true;
    if (/the connection (closed before the command finished|is gone)|: not connected\b/.test(e.message ?? '')) return true;
  }
  return false;
}

function factFailed(facts: FactSnapshot, key: string): boolean {
  try {
    facts.get(key);
    return false;
  } catch {
    return true;
  }
}

/**
 * Why sudo does not work for this login, or null when it does. Asked only after probes that need
 * root failed, so a working run pays nothing for it.
 */
async function sudoRefusal(target: SshTarget, login: string): Promise<TargetUnreachableError | null> {
  const result = await target.run(['true'], { sudo: true, timeoutMs: 30_000 });
  if (result.exitCode === 0) return null;
  const said = result.stderr.trim().split('\n').at(-1) || `exit ${result.exitCode}`;
  const hint = /password is required/.test(said)
    ? ': give the login passwordless sudo, or set ansible_become_password to a secret reference (env:NAME, file:PATH or command:CMD)'
    : '';
  return new TargetUnreachableError(target.name, 'sudo', `sudo does not work for "${login}" (${said})${hint}`);
}

function diffOf(resource: Resource, facts: FactSnapshot): Diff {
  try {
    return resource.diff(facts);
  } catch (error) {
    return { unknown: message(error) };
  }
}

function disablesRootLogin(task: { spec: { kind: string; params: unknown } }): boolean {
  if (task.spec.kind !== 'sshd_config') return false;
  const value = (task.spec.params as { settings?: Record<string, unknown> }).settings?.PermitRootLogin;
  return value === false || (typeof value === 'string' && value.toLowerCase() === 'no');
}

function adminNames(plan: HostPlan): string[] {
  const admins = plan.vars.vars.admins;
  if (!Array.isArray(admins)) return [];
  return admins.flatMap((admin) => (admin && typeof admin === 'object' && typeof (admin as { name?: unknown }).name === 'string' ? [(admin as { name: string }).name] : []));
}

/**
 * One play on one connected host: one batched facts probe for every task and handler, pure diffs,
 * then (unless check mode) the changes in task order. A resource is probed again just before it is
 * applied only when an earlier task of the play changed the host (its facts may be stale), so a
 * no-op run costs one facts round trip and a cold run one extra probe per changed task.
 */
export async function runHostPlay(target: SshTarget, plan: HostPlan, options: HostRunOptions): Promise<HostOutcome> {
  const { play, check, emit } = options;
  const host = plan.host;
  const login = target.user ?? options.sshOptions.user;
  // sudo is a no-op for a root session (the target knows), and a dropped connection may come back
  // as the configured user instead of the bootstrap root: ask for root whenever that can happen.
  const sudo = login !== 'root' || options.sshOptions.user !== 'root';
  const freshLogin = () => proveFreshLogin(options.sshOptions);
  const admin = options.sshOptions.user;
  const admins = adminNames(plan);
  const adminLoginProblem = () => freshLoginProblem({ ...options.sshOptions, user: admin, bootstrapUser: undefined }, ['sudo', '-n', 'true']);

  const fail = (task: string, index: number, error: unknown, handler = false): never => {
    if (connectionLost(error)) {
      const step = error instanceof TargetUnreachableError ? error.step : 'run';
      emit({ type: 'unreachable', play, host, step: `${handler ? 'handler' : 'task'} "${task}": ${step}`, message: message(error) });
      throw new HostStopped('unreachable');
    }
    if (handler) emit({ type: 'handler', play, host, handler: task, status: 'failed', changes: [], check, message: message(error), pendingFromEarlierRun: false });
    else emit({ type: 'task', play, host, task, index, status: 'failed', changes: [], check, message: message(error) });
    throw new HostStopped('failed');
  };

  const build = (item: PlannedTask | HostPlan['handlers'][number], index: number, handler: boolean): Resource => {
    const context: ResourceContext = { sudo, proveLogin: freshLogin };
    if (item.spec.kind === 'sshd_config' && login === 'root' && admin !== 'root' && disablesRootLogin(item)) context.proveLogin = async () => (await adminLoginProblem()) === null;
    try {
      return resourceFromSpec({ kind: item.spec.kind, params: withSecrets(item.spec.params, options.secrets) }, context, options.drill);
    } catch (error) {
      return fail(item.name, index, error, handler);
    }
  };

  try {
    const steps: Step[] = plan.tasks.map((task) => ({ name: task.name, index: task.index, notify: task.notify, resource: build(task, task.index, false), disablesRoot: disablesRootLogin(task) }));
    const handlers = plan.handlers.map((handler) => ({ name: handler.name, resource: build(handler, -1, true) }));
    for (const skipped of plan.skipped) emit({ type: 'task', play, host, task: skipped.name, index: skipped.index, status: 'skipped', changes: [], check, reason: skipped.reason });

    const probes = new Map<string, FactProbe>();
    // Handlers are probed only when one is about to run (rarely), so a no-op run does not pay for them.
    for (const step of steps) for (const probe of step.resource.probes()) probes.set(probe.key, probe);
    probes.set(PENDING_FACT, pendingHandlersProbe());
    const started = performance.now();
    let facts: FactSnapshot;
    try {
      facts = await gatherFacts(target, [...probes.values()], new FactSnapshot(), { sudo });
    } catch (error) {
      return fail('gather facts', -1, error);
    }
    const rootProbeFailed = [...probes.values()].some((probe) => probe.root && factFailed(facts, probe.key));
    if (sudo && login !== 'root' && rootProbeFailed) {
      const refusal = await sudoRefusal(target, login).catch((error: unknown) => error as Error);
      if (refusal) return fail('gather facts', -1, refusal);
    }
    emit({ type: 'facts', play, host, probes: probes.size, ms: Math.round(performance.now() - started) });
    const pendingBefore = facts.has(PENDING_FACT) ? (() => { try { return facts.get<string[]>(PENDING_FACT); } catch { return []; } })() : [];
    const handlerNames = new Set(handlers.map((h) => h.name));
    const diffs = steps.map((step) => diffOf(step.resource, facts));
    const wouldChange = (diff: Diff) => isUnknown(diff) || !isNoop(diff);

    if (check) {
      const notified = new Set(pendingBefore.filter((name) => handlerNames.has(name)));
      steps.forEach((step, i) => {
        const diff = diffs[i]!;
        if (isUnknown(diff)) emit({ type: 'task', play, host, task: step.name, index: step.index, status: 'changed', changes: [], check, reason: `decided once earlier tasks ran (${diff.unknown})` });
        else if (isNoop(diff)) emit({ type: 'task', play, host, task: step.name, index: step.index, status: 'ok', changes: [], check, reason: diff.reason });
        else emit({ type: 'task', play, host, task: step.name, index: step.index, status: 'changed', changes: diff, check });
        if (wouldChange(diff)) for (const name of step.notify) notified.add(name);
      });
      for (const handler of handlers) {
        if (!notified.has(handler.name)) continue;
        emit({ type: 'handler', play, host, handler: handler.name, status: 'changed', changes: [], check, pendingFromEarlierRun: pendingBefore.includes(handler.name) });
      }
      return 'ok';
    }

    // Every handler a task may notify is recorded on the host before the first change is made.
    const mayNotify = [...new Set(steps.flatMap((step, i) => (wouldChange(diffs[i]!) ? step.notify : [])))].filter((name) => handlerNames.has(name) && !pendingBefore.includes(name));
    if (mayNotify.length > 0) {
      try {
        await recordPendingHandlers(target, mayNotify, sudo);
      } catch (error) {
        return fail('record pending handlers', -1, error);
      }
    }

    const due = new Set<FollowUp>();
    const runDue = async (which: readonly FollowUp[]) => {
      for (const followUp of which) {
        if (!due.has(followUp)) continue;
        due.delete(followUp);
        const result = await target.run(FOLLOW_UP_ARGV[followUp], { sudo, timeoutMs: 120_000 });
        if (result.exitCode !== 0) throw new Error(`${followUp} failed: ${result.stderr.trim() || `exit ${result.exitCode}`}`);
        emit({ type: 'note', host, message: `${followUp} (a unit changed)` });
      }
    };
    let dirty = false;
    /** The diff as the host stands now: re-probed when an earlier change may have moved it. */
    const current = async (resource: Resource, initial: Diff): Promise<Diff> => {
      if (!dirty || !wouldChange(initial)) return initial;
      const fresh = await gatherFacts(target, resource.probes(), new FactSnapshot(), { sudo });
      return diffOf(resource, fresh);
    };
    const applyOne = async (resource: Resource, diff: Change[]): Promise<void> => {
      await runDue(resource.awaits ?? []);
      await resource.apply(target, diff, facts);
      for (const followUp of resource.followUps?.(diff) ?? []) due.add(followUp);
      dirty = true;
    };

    const notified = new Set<string>();
    for (const [i, step] of steps.entries()) {
      let diff: Diff;
      try {
        diff = await current(step.resource, diffs[i]!);
        if (isUnknown(diff)) throw new Error(diff.unknown);
      } catch (error) {
        return fail(step.name, step.index, error);
      }
      if (isNoop(diff)) {
        emit({ type: 'task', play, host, task: step.name, index: step.index, status: 'ok', changes: [], check, reason: diff.reason });
        continue;
      }
      try {
        if (step.disablesRoot && login === 'root') {
          if (admin === 'root') throw new Error('this sshd drop-in disables root login, but the inventory logs in as root: set ansible_user to one of admins (and bootstrap_user: root for the first run)');
          if (admins.length > 0 && !admins.includes(admin)) throw new Error(`this sshd drop-in disables root login, but ansible_user "${admin}" is not one of admins (${admins.join(', ')}): the next run could not log in`);
          const problem = await adminLoginProblem();
          if (problem !== null) {
            throw new Error(`root login was left enabled: a fresh login as "${admin}" with sudo did not work (${problem}), so disabling root could lock you out (check that ${admin}'s key is in admins)`);
          }
        }
        await applyOne(step.resource, diff);
      } catch (error) {
        return fail(step.name, step.index, error);
      }
      for (const name of step.notify) notified.add(name);
      emit({ type: 'task', play, host, task: step.name, index: step.index, status: 'changed', changes: diff, check });
    }
    try {
      await runDue([...due]);
    } catch (error) {
      return fail('daemon-reload', -1, error);
    }

    for (const handler of handlers) {
      const earlier = pendingBefore.includes(handler.name);
      if (!notified.has(handler.name) && !earlier) continue;
      try {
        const fresh = await gatherFacts(target, handler.resource.probes(), new FactSnapshot(), { sudo });
        const diff = diffOf(handler.resource, fresh);
        if (isUnknown(diff)) throw new Error(diff.unknown);
        if (isNoop(diff)) {
          emit({ type: 'handler', play, host, handler: handler.name, status: 'ok', changes: [], check, pendingFromEarlierRun: earlier });
          continue;
        }
        await applyOne(handler.resource, diff);
        await runDue([...due]);
        emit({ type: 'handler', play, host, handler: handler.name, status: 'changed', changes: diff, check, pendingFromEarlierRun: earlier });
      } catch (error) {
        return fail(handler.name, -1, error, true);
      }
    }
    const cleared = [...new Set([...mayNotify, ...pendingBefore.filter((name) => handlerNames.has(name))])];
    try {
      await clearPendingHandlers(target, cleared, sudo);
    } catch (error) {
      return fail('clear pending handlers', -1, error);
    }
    return 'ok';
  } catch (error) {
    if (error instanceof HostStopped) return error.outcome;
    throw error;
  }
}
