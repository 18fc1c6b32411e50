import type { Target } from '../target/types.js';

/**
 * A fact: a shell fragment that prints what the host knows, and a pure parser of that output.
 * Fragments of every fact a plan needs are joined into one script, run once per host per phase.
 */
export interface FactProbe<T = unknown> {
  key: string;
  /** POSIX sh fragment; its stdout (and exit code) go to `parse`. Runs with stderr folded into stdout. */
  script: string;
  /** Needs root to read (sshd -T, nft, sudoers): the script is run with sudo when the login is not root. */
  root?: boolean;
  parse(stdout: string, exitCode: number): T;
  /**
   * Gather the fact through the target's own file reads instead of `script`, on a target that serves
   * reads from memory (a DryRunTarget: a simulated fix sees the writes of the fixes simulated before
   * it). Everywhere else `script` rides in the batched probe script, one round trip for all.
   */
  read?(target: Target, sudo: boolean): Promise<T>;
}

/** A target whose `readFile` answers what a probe script run on the host cannot see (simulated writes). */
export interface MemoryReadTarget extends Target {
  readonly servesReadsFromMemory: true;
}

export function servesReadsFromMemory(target: Target): target is MemoryReadTarget {
  return (target as Partial<MemoryReadTarget>).servesReadsFromMemory === true;
}
