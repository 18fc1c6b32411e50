import { createHash } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import type { CheckResult, Severity } from '../../checks/types.js';
import { familyOf } from './summary.js';
import type { CatalogEntry, Report } from './types.js';

export const SARIF_SCHEMA_URI = 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/os/schemas/sarif-schema-2.1.0.json';

type Level = 'error' | 'warning' | 'note' | 'none';

function severityLevel(severity: Severity): Level {
  return severity === 'critical' || severity === 'high' ? 'error' : 'warning';
}

/** GitHub code scanning reads this property (a CVSS-like score as a string) to rank security findings. */
const SECURITY_SEVERITY: Record<Severity, string> = { critical: '9.5', high: '8.0', medium: '5.5', low: '3.0' };

function resultLevel(result: CheckResult): Level {
  if (result.status === 'error') return 'error';
  if (result.status === 'warn') return 'warning';
  return severityLevel(result.severity);
}

/** `gateway.bind-loopback` → `GatewayBindLoopback`: SARIF recommends an identifier-like rule name. */
function ruleName(id: string): string {
  return id
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((part) => part[0]!.toUpperCase() + part.slice(1))
    .join('');
}

function rule(entry: CatalogEntry): Record<string, unknown> {
  return {
    id: entry.id,
    name: ruleName(entry.id),
    shortDescription: { text: entry.title },
    fullDescription: { text: entry.rationale },
    ...(entry.fixSummary ? { help: { text: entry.fixSummary } } : {}),
    defaultConfiguration: { level: severityLevel(entry.severity) },
    properties: {
      severity: entry.severity,
      runbook: entry.runbook,
      'security-severity': SECURITY_SEVERITY[entry.severity],
      tags: ['security', familyOf(entry.id)],
    },
  };
}

/** Rules for the catalog, plus one for any result id the catalog lacks (e.g. waiver findings). */
function rulesFor(report: Report): CatalogEntry[] {
  const entries = new Map<string, CatalogEntry>();
  for (const entry of report.catalog) if (!entries.has(entry.id)) entries.set(entry.id, entry);
  for (const result of report.results) {
    if (entries.has(result.id)) continue;
    entries.set(result.id, {
      id: result.id,
      title: result.title,
      severity: result.severity,
      rationale: result.title,
      runbook: '',
      fixSummary: result.fix?.summary ?? '',
    });
  }
  return [...entries.values()];
}

function isPath(subject: string): boolean {
  return subject.startsWith('/') && !subject.includes('\0');
}

function locations(result: CheckResult, host: string | undefined): unknown[] {
  if (result.subject && isPath(result.subject)) {
    return [{ physicalLocation: { artifactLocation: { uri: pathToFileURL(result.subject).href } } }];
  }
  if (result.subject) {
    return [{ logicalLocations: [{ name: result.subject, fullyQualifiedName: host ? `${host}:${result.subject}` : result.subject }] }];
  }
  if (host) return [{ logicalLocations: [{ name: host, kind: 'host' }] }];
  return [];
}

function fingerprint(result: CheckResult, host: string | undefined): string {
  return createHash('sha256')
    .update([result.id, host ?? '', result.subject ?? ''].join('\u0000'))
    .digest('hex')
    .slice(0, 32);
}

function sarifResult(result: CheckResult, ruleIndex: number, reportHost: string | undefined): Record<string, unknown> {
  const host = result.host ?? reportHost;
  const out: Record<string, unknown> = {
    ruleId: result.id,
    ruleIndex,
    level: resultLevel(result),
    message: { text: result.message },
  };
  const where = locations(result, host);
  if (where.length > 0) out['locations'] = where;
  out['partialFingerprints'] = { 'kafclawFinding/v1': fingerprint(result, host) };
  if (result.waived) {
    const { reason, owner, expires } = result.waived;
    out['suppressions'] = [{ kind: 'external', status: 'accepted', justification: `${reason} (owner ${owner}, until ${expires})` }];
  }
  const properties: Record<string, unknown> = { status: result.status, severity: result.severity };
  if (host !== undefined) properties['host'] = host;
  if (result.subject !== undefined) properties['subject'] = result.subject;
  if (result.evidence !== undefined) properties['evidence'] = result.evidence;
  out['properties'] = properties;
  return out;
}

export function renderSarif(report: Report): string {
  const rules = rulesFor(report);
  const index = new Map(rules.map((entry, i) => [entry.id, i]));
  const results = report.results
    .filter((result) => result.status === 'fail' || result.status === 'warn' || result.status === 'error')
    .map((result) => sarifResult(result, index.get(result.id)!, report.host));
  const started = new Date(report.startedAt);
  const invocation: Record<string, unknown> = {
    executionSuccessful: !report.results.some((result) => result.status === 'error'),
  };
  if (!Number.isNaN(started.getTime())) {
    invocation['startTimeUtc'] = started.toISOString();
    invocation['endTimeUtc'] = new Date(started.getTime() + report.durationMs).toISOString();
  }
  const log = {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { ...report.tool, rules: rules.map(rule) } },
        invocations: [invocation],
        results,
        properties: { profile: report.profile, ...(report.host !== undefined ? { host: report.host } : {}) },
      },
    ],
  };
  return JSON.stringify(log, null, 2) + '\n';
}
