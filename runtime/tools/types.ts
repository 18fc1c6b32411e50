import type { ToolLimits } from '../settings.js';

/** How a run ended: `ok`, `failed` (refused, not found, non-zero exit), or `timed_out` (killed). */
export type ToolStatus = 'ok' | 'failed' | 'timed_out';

export interface ToolResult {
  status: ToolStatus;
  /** What the tool produced, at most `maxOutputBytes`; already passed through `redactSecrets`. */
  output: string;
  /** Output was cut at the cap. */
  truncated: boolean;
  /** What went wrong, in words safe to show (no secret values). */
  error?: string;
  exitCode?: number | null;
  durationMs: number;
}

export interface ToolContext {
  workspace: string;
  limits: ToolLimits;
  /** The environment the gateway runs in; exec passes down only what `toolEnvironment` keeps of it. */
  env: NodeJS.ProcessEnv;
}
