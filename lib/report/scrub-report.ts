import { scrub } from '../secrets/index.js';
import type { Report } from './types.js';

type Plain = string | number | boolean | null | undefined | Plain[] | { [key: string]: Plain };

function scrubValue(value: unknown): Plain {
  if (typeof value === 'string') return scrub(value);
  if (value === null || value === undefined || typeof value === 'number' || typeof value === 'boolean') return value;
  if (Array.isArray(value)) return value.map(scrubValue);
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto === Object.prototype || proto === null) {
    const out: { [key: string]: Plain } = {};
    for (const [key, inner] of Object.entries(value)) out[scrub(key)] = scrubValue(inner);
    return out;
  }
  // A Secret or any other object: its printable form, which for a Secret is `(secret)`.
  return scrub(String(value));
}

/**
 * A copy of the report with every registered secret value replaced in every string (keys too).
 * Done before rendering because escaping (JSON, XML, Markdown) could otherwise split a value so that
 * scrubbing the rendered text no longer finds it.
 */
export function scrubReport(report: Report): Report {
  return scrubValue(report) as unknown as Report;
}
