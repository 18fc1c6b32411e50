import { ConfigError } from './errors.js';
import { findJsonSyntaxIssue, positionAt } from './json-position.js';

/** Parses config JSON; a syntax error becomes a ConfigError with the line and column of the fault. */
export function parseConfigJson(text: string, path: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const issue = findJsonSyntaxIssue(text);
    const offset = issue?.offset ?? nodeOffset(error) ?? text.length;
    const { line, column } = positionAt(text, offset);
    const what = issue?.message ?? 'invalid JSON';
    throw new ConfigError(`invalid JSON: ${what}; fix the file (JSON allows no comments or trailing commas)`, { path, line, column });
  }
}

function nodeOffset(error: unknown): number | undefined {
  const match = error instanceof Error ? / at position (\d+)/.exec(error.message) : null;
  return match ? Number(match[1]) : undefined;
}
