import { readFileSync } from 'node:fs';

let cached: string | undefined;

/** This package's version, read from package.json beside the compiled code. */
export function toolVersion(): string {
  if (cached) return cached;
  for (const relative of ['../package.json', '../../package.json']) {
    try {
      cached = (JSON.parse(readFileSync(new URL(relative, import.meta.url), 'utf8')) as { version: string }).version;
      return cached;
    } catch {
      // try the next location: the source tree runs one level higher than dist/
    }
  }
  return '0.0.0';
}
