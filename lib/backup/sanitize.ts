import { isCredentialKeyPath } from '../config/credentials.js';
import { isEnvReference, matchCredentialFormat } from '../secrets/index.js';

/** The credential paths are lib/config's (facts §1.4); re-exported for library users of the backup API. */
export { CREDENTIAL_KEY_PATHS } from '../config/credentials.js';

/** Key names treated as credentials wherever they appear (catches keys the list above does not know). */
const CREDENTIAL_KEY_NAME = /(?:token|password|passwd|secret|apikey|api_key|privatekey|encryptkey)$/i;

export interface SanitizeReport {
  /** Paths whose value was a `${VAR}` reference and was kept as such. */
  kept: string[];
  /** Paths whose value was removed: a credential in the clear, or a string in a credential format. */
  removed: string[];
}

export interface SanitizedConfig {
  config: unknown;
  report: SanitizeReport;
}

function isCredentialPath(path: readonly (string | number)[]): boolean {
  const last = path[path.length - 1];
  if (typeof last === 'string' && CREDENTIAL_KEY_NAME.test(last)) return true;
  return isCredentialKeyPath(path);
}

export function formatPath(path: readonly (string | number)[]): string {
  return path.map((step, i) => (typeof step === 'number' ? `[${step}]` : i === 0 ? step : `.${step}`)).join('');
}

/**
 * A copy of a parsed config.json that holds no credential in the clear: at a credential path a
 * `${VAR}` reference is kept and any other non-empty value is removed; anywhere else a string in a
 * known credential format is removed. Keys (not values) are reported. Pure.
 */
export function sanitizeConfig(config: unknown): SanitizedConfig {
  const report: SanitizeReport = { kept: [], removed: [] };
  const REMOVE = Symbol('remove');

  function walk(value: unknown, path: (string | number)[]): unknown {
    if (Array.isArray(value)) {
      return value.map((item, i) => {
        const out = walk(item, [...path, i]);
        return out === REMOVE ? null : out;
      });
    }
    if (value !== null && typeof value === 'object') {
      const out: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(value)) {
        const next = walk(item, [...path, key]);
        if (next !== REMOVE) out[key] = next;
      }
      return out;
    }
    if (path.length > 0 && isCredentialPath(path) && (typeof value === 'string' || typeof value === 'number')) {
      const text = String(value);
      if (text === '') return value;
      if (typeof value === 'string' && isEnvReference(value)) {
        report.kept.push(formatPath(path));
        return value;
      }
      report.removed.push(formatPath(path));
      return REMOVE;
    }
    if (typeof value === 'string' && matchCredentialFormat(value)) {
      report.removed.push(formatPath(path));
      return REMOVE;
    }
    return value;
  }

  const sanitized = walk(config, []);
  return { config: sanitized === REMOVE ? null : sanitized, report };
}

