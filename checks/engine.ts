import type { Check, CheckContext, CheckResult, Verdict } from './types.js';

export class CheckTimeoutError extends Error {
  constructor(id: string, ms: number) {
    super(`${id} did not finish within ${ms} ms`);
    this.name = 'CheckTimeoutError';
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number, id: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new CheckTimeoutError(id, ms)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function toResults(check: Check, verdicts: Verdict[], ctx: CheckContext, durationMs: number): CheckResult[] {
  return verdicts.map((verdict) => {
    const result: CheckResult = {
      id: check.id,
      title: check.title,
      status: verdict.status,
      severity: check.severity,
      message: verdict.message,
      host: ctx.host,
      durationMs,
    };
    if (verdict.subject !== undefined) result.subject = verdict.subject;
    if (verdict.evidence !== undefined) result.evidence = verdict.evidence;
    if (verdict.status === 'fail' || verdict.status === 'warn' || verdict.status === 'error') {
      result.fix = { kind: check.fixKind, summary: check.fixSummary };
    }
    return result;
  });
}

/** Run one check: a timeout or an exception is an `error` result, never a pass. */
export async function runCheck(check: Check, ctx: CheckContext): Promise<CheckResult[]> {
  const started = performance.now();
  try {
    const output = await withTimeout(Promise.resolve().then(() => check.run(ctx)), ctx.options.checkTimeoutMs, check.id);
    const verdicts = Array.isArray(output) ? output : [output];
    if (verdicts.length === 0) throw new Error(`${check.id} returned no verdict`);
    return toResults(check, verdicts, ctx, Math.round(performance.now() - started));
  } catch (error) {
    const verdict: Verdict = { status: 'error', message: `could not decide: ${(error as Error).message}` };
    return toResults(check, [verdict], ctx, Math.round(performance.now() - started));
  }
}

/** Run checks in parallel over one shared facts snapshot; results keep the order of `checks`. */
export async function runChecks(checks: readonly Check[], ctx: CheckContext): Promise<CheckResult[]> {
  const results = await Promise.all(checks.map((check) => runCheck(check, ctx)));
  return results.flat();
}
