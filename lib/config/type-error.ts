/** Turns the first zod issue into a ConfigError naming the key, the file and the line that holds it. */
import type * as z from 'zod/mini';
import { ConfigError } from './errors.js';
import { isCredentialKeyPath } from './credentials.js';
import { formatGoDuration, parseGoDuration } from './go-values.js';
import { locateKey } from './json-position.js';
import { formatKeyPath, getAtPath } from './key-path.js';
import { DURATION_KEY_PATHS } from './schema.js';

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return 'a string';
  if (typeof value === 'number') return Number.isInteger(value) ? 'an integer' : 'a fractional number';
  return `a ${typeof value}`;
}

const EXPECTED: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'an integer',
  boolean: 'true or false',
  array: 'an array',
  object: 'an object',
  record: 'an object',
};

function explain(issue: z.core.$ZodIssue, key: string, value: unknown): string {
  if (DURATION_KEY_PATHS.includes(key)) {
    let hint = 'write the duration as integer nanoseconds (60000000000 is 60s)';
    if (typeof value === 'string') {
      try {
        const nanos = parseGoDuration(value.trim());
        hint = `write ${nanos} for ${formatGoDuration(nanos)}`;
      } catch {
        // keep the general hint
      }
    }
    return `expected integer nanoseconds (a Go time.Duration), got ${describeValue(value)}; KafClaw refuses to load this file: ${hint}`;
  }
  if (isCredentialKeyPath(issue.path as (string | number)[])) {
    return `expected a string, got ${describeValue(value)}; set a string (better: "\${VAR}" with the value in the env file)`;
  }
  if (issue.code === 'invalid_type') {
    const expected = EXPECTED[issue.expected] ?? issue.expected;
    return `expected ${expected}, got ${describeValue(value)}; KafClaw refuses to load this file: change the value`;
  }
  // Range and unknown-key checks exist only on keys this toolkit adds or tightens; KafClaw would not refuse these.
  return `${issue.message}; the gateway refuses this file: change the value`;
}

export interface IssueContext {
  /** The validated data (after substitution), for describing the bad value. */
  data: unknown;
  /** The file whose value is at fault and its text, when known. */
  fileFor(segments: (string | number)[]): { path: string; text: string } | null;
  fallbackPath: string;
}

export function configErrorFromIssue(issue: z.core.$ZodIssue, context: IssueContext): ConfigError {
  const segments = issue.path.filter((part): part is string | number => typeof part !== 'symbol');
  const key = formatKeyPath(segments);
  const message = explain(issue, key, getAtPath(context.data, segments));
  const file = context.fileFor(segments);
  const position = file ? locateKey(file.text, segments) : null;
  return new ConfigError(message, {
    path: file?.path ?? context.fallbackPath,
    key,
    ...(position ? { line: position.line, column: position.column } : {}),
  });
}
