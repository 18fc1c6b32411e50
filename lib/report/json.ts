import type { CheckResult } from '../../checks/types.js';
import { summarize } from './summary.js';
import type { Report } from './types.js';

export const JSON_SCHEMA_VERSION = 1;

/** A result with its fields in a fixed order; optional fields only where they apply. */
function resultJson(result: CheckResult): Record<string, unknown> {
  const out: Record<string, unknown> = {
    id: result.id,
    status: result.status,
    severity: result.severity,
    title: result.title,
    message: result.message,
  };
  if (result.host !== undefined) out['host'] = result.host;
  if (result.subject !== undefined) out['subject'] = result.subject;
  if (result.evidence !== undefined) out['evidence'] = result.evidence;
  if (result.fix !== undefined) out['fix'] = result.fix;
  if (result.waived !== undefined) out['waived'] = result.waived;
  out['durationMs'] = result.durationMs;
  return out;
}

/** Additive to schema 1: `config` for a one-host run, `configs` (with `host`) for several; neither when no check read a config. */
function configJson(report: Report): Record<string, unknown> {
  const configs = report.configs ?? [];
  if (configs.length === 1) return { config: { path: configs[0]!.path, exists: configs[0]!.exists } };
  if (configs.length > 1) return { configs: configs.map(({ host, path, exists }) => ({ host, path, exists })) };
  return {};
}

export function renderJson(report: Report): string {
  const document = {
    schemaVersion: JSON_SCHEMA_VERSION,
    tool: report.tool,
    host: report.host ?? null,
    profile: report.profile,
    startedAt: report.startedAt,
    durationMs: report.durationMs,
    ...configJson(report),
    summary: summarize(report.results),
    checks: report.results.map(resultJson),
  };
  return JSON.stringify(document, null, 2) + '\n';
}
