import { scrub } from '../lib/secrets/scrub.js';
import { EXIT, UsageError } from './exit-codes.js';

/** Map what went wrong to one scrubbed line on stderr and the exit code of cli.md. Never a stack trace. */
export function reportFailure(error: unknown): number {
  const err = error as Error & { exitCode?: number; code?: string };
  const name = err?.name ?? '';
  let code: number = EXIT.findings;
  if (error instanceof UsageError || ['ConfigError', 'WaiverFileError', 'SelectionError', 'PlaybookError', 'InventoryError', 'LabNeedsRootError', 'GatewayStartupError'].includes(name)) code = EXIT.usage;
  else if (name === 'TargetUnreachableError') code = EXIT.unreachable;
  else if (typeof err?.exitCode === 'number') code = err.exitCode;
  const described = err as { describe?: () => string };
  const message = typeof described?.describe === 'function' ? described.describe() : err?.message ?? String(error);
  process.stderr.write(`kafclaw: ${scrub(message)}\n`);
  if (process.env.KAFCLAW_DEBUG === '1' && err?.stack) process.stderr.write(scrub(err.stack) + '\n');
  return code;
}
