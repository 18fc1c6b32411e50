import { checkExec } from '../policy/exec.js';
import { toolEnvironment } from './environment.js';
import { capUtf8, redactSecrets } from './redact.js';
import { runArgv } from './run-argv.js';
import type { ToolContext, ToolResult } from './types.js';

/**
 * `exec {argv, working_dir?}`: the exec policy's check again (allow-listed program, every path
 * inside the workspace), then the program run without a shell, in the checked directory, with
 * the allow-listed environment, killed at the timeout. Output is stdout, then `STDERR:` and
 * stderr, capped.
 */
export async function execTool(context: ToolContext, args: Record<string, unknown>): Promise<ToolResult> {
  const started = Date.now();
  const failed = (error: string): ToolResult => ({ status: 'failed', output: '', truncated: false, error, durationMs: Date.now() - started });
  const argv = args.argv;
  if (!Array.isArray(argv) || argv.length === 0 || !argv.every((a): a is string => typeof a === 'string')) {
    return failed('exec needs argv: a non-empty array of strings');
  }
  if (args.working_dir !== undefined && typeof args.working_dir !== 'string') return failed('working_dir must be a string');
  const checked = checkExec(context.workspace, argv, args.working_dir);
  if (!checked.ok) return failed(checked.reason);
  const limits = context.limits;
  const run = await runArgv(argv, { cwd: checked.cwd, env: toolEnvironment(context.env), timeoutMs: limits.execTimeoutMs, maxBytes: limits.maxOutputBytes });
  if (run.spawnError) return failed(run.spawnError);
  const stderr = run.stderr.toString('utf8');
  const combined = run.stdout.toString('utf8') + (stderr ? `${run.stdout.length > 0 ? '\n' : ''}STDERR:\n${stderr}` : '');
  const capped = capUtf8(redactSecrets(combined), limits.maxOutputBytes);
  const base = { output: capped.text, truncated: capped.truncated || run.truncated, exitCode: run.exitCode, durationMs: run.durationMs };
  if (run.timedOut) return { ...base, status: 'timed_out', error: `killed after ${limits.execTimeoutMs} ms` };
  if (run.exitCode === 0) return { ...base, status: 'ok' };
  const how = run.exitCode === null ? `ended by ${run.signal ?? 'a signal'}` : `exit code ${run.exitCode}`;
  return { ...base, status: 'failed', error: how };
}
