/**
 * Redaction by value: every secret value seen by the process is registered here, and every piece of
 * text that leaves the process (reports, errors, progress lines) passes through `scrub`.
 * Values shorter than MIN_SCRUB_LENGTH are not registered, so scrubbing never garbles ordinary text.
 */
export const MIN_SCRUB_LENGTH = 8;
const REPLACEMENT = '(secret)';

const values = new Set<string>();
let pattern: RegExp | null = null;

/** `${NAME}` alone is a reference to a secret, not one: scrubbing it would hide where a value comes from. */
const ENV_REFERENCE = /^\$\{[A-Za-z_][A-Za-z0-9_]*\}$/;

export function registerSecretValue(value: string): void {
  if (value.length < MIN_SCRUB_LENGTH || values.has(value) || ENV_REFERENCE.test(value.trim())) return;
  values.add(value);
  pattern = null;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function scrub(text: string): string {
  if (values.size === 0) return text;
  if (!pattern) {
    const sorted = [...values].sort((a, b) => b.length - a.length).map(escape);
    pattern = new RegExp(sorted.join('|'), 'g');
  }
  return text.replace(pattern, REPLACEMENT);
}

/** For tests only: forget every registered value. */
export function resetScrubber(): void {
  values.clear();
  pattern = null;
}
