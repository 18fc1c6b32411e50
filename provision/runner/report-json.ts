import { scrub } from '../../lib/secrets/scrub.js';
import type { RunEvent, RunSummary } from './events.js';

/** One JSON object a line (cli.md); the last line is the summary. */
export function eventJson(event: RunEvent): string {
  return scrub(JSON.stringify(event));
}

export function summaryJson(summary: RunSummary): string {
  return JSON.stringify(summary);
}
