import type { RunOptions, RunResult, Target } from '../target/types.js';

/** A command failed while a resource was being applied; the message names the resource and the step. */
export class ApplyError extends Error {
  constructor(resource: string, step: string, readonly detail: string) {
    super(`${resource}: ${step} failed: ${detail}`);
    this.name = 'ApplyError';
  }
}

function lastLines(text: string): string {
  return text.trim().split('\n').slice(-3).join('; ');
}

/** Run an argv; a non-zero exit becomes an ApplyError naming the resource and the step. */
export async function runChecked(
  target: Target,
  resource: string,
  step: string,
  argv: readonly string[],
  options: RunOptions = {},
): Promise<RunResult> {
  const result = await target.run(argv, options);
  if (result.exitCode !== 0) {
    const why = result.timedOut ? 'timed out' : lastLines(result.stderr) || lastLines(result.stdout) || `exit ${result.exitCode}`;
    throw new ApplyError(resource, step, why);
  }
  return result;
}
