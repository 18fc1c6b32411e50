import type { Check, CheckContext, CheckOptions, CheckResult } from './types.js';
import type { Target } from '../lib/target/types.js';
import { CHECKS } from './index.js';
import { runCheck, runChecks } from './engine.js';
import { collectFacts, type CollectOptions } from './collect.js';
import { DEFAULT_CHECK_OPTIONS } from './options.js';
import { selectChecks } from './select.js';
import { failingCheckIds, fixCheck, type FixOutcome } from './fix.js';
import { DryRunTarget } from './dry-run-target.js';
import { reloadSimulatedFacts } from './simulated-facts.js';
import { inBackupRun } from '../lib/config/backup.js';

export interface DoctorOptions extends CollectOptions {
  profile?: string;
  only?: string[];
  skip?: string[];
  fix?: boolean;
  dryRun?: boolean;
  checkOptions?: Partial<CheckOptions>;
  now?: Date;
  checks?: readonly Check[];
  /** Called with a line of progress (a check being fixed); never with secret material. */
  onProgress?: (line: string) => void;
}

export interface DoctorRun {
  host: string;
  profile: string;
  checks: Check[];
  results: CheckResult[];
  fixes: FixOutcome[];
  startedAt: string;
  durationMs: number;
}

async function context(target: Target, checks: readonly Check[], options: DoctorOptions): Promise<CheckContext> {
  const facts = await collectFacts(target, checks, options);
  return {
    target,
    host: target.name,
    facts,
    options: { ...DEFAULT_CHECK_OPTIONS, ...options.checkOptions },
    now: options.now ?? new Date(),
  };
}

/**
 * `kafclaw doctor` as a library call: gather facts once, run the profile's checks in parallel, and
 * with `fix` repair each failing check in turn (re-gathering facts after each change; a check that
 * passes after the fixes before it is left alone), then report the results as they stand after the
 * fixes. A dry run makes the same decisions against a DryRunTarget that keeps each fix's writes in
 * memory, so it lists what the real run would change, not every failing check's own plan; after each
 * simulated fix it reloads only the facts a simulation can change.
 */
export async function runDoctor(target: Target, options: DoctorOptions = {}): Promise<DoctorRun> {
  const started = Date.now();
  const profile = options.profile ?? 'doctor';
  const checks = selectChecks(options.checks ?? CHECKS, profile, options.only, options.skip);
  const simulation = options.fix && options.dryRun ? new DryRunTarget(target) : null;
  const factsTarget = simulation ?? target;
  let ctx = await context(factsTarget, checks, options);
  let results = await runChecks(checks, ctx);
  const fixes: FixOutcome[] = [];
  if (options.fix) {
    // The report names the configuration as the first gather found it, not as the fixes left it.
    const again: DoctorOptions = { ...options, onConfig: undefined };
    const regather = simulation
      ? async () => {
          await reloadSimulatedFacts(simulation, ctx.facts, again);
          return ctx;
        }
      : async () => (ctx = await context(target, checks, again));
    await inBackupRun(async () => {
      for (const [index, id] of failingCheckIds(results).entries()) {
        const check = checks.find((c) => c.id === id)!;
        if (index > 0) {
          const now = await runCheck(check, ctx);
          if (!now.some((r) => r.status === 'fail')) {
            fixes.push({ id, outcome: 'unchanged', changes: [], steps: [], reason: 'passes after the fixes before it' });
            continue;
          }
        }
        options.onProgress?.(`fixing ${id}`);
        fixes.push(await fixCheck(check, ctx, simulation ? { recheck: regather, simulation } : { recheck: regather }));
      }
    });
    if (!simulation && fixes.some((f) => f.outcome === 'repaired' || f.outcome === 'failed')) {
      ctx = await context(target, checks, again);
      results = await runChecks(checks, ctx);
    }
  }
  return { host: target.name, profile, checks, results, fixes, startedAt: new Date(started).toISOString(), durationMs: Date.now() - started };
}
