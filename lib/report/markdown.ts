import type { CheckResult, Status } from '../../checks/types.js';
import { STATUSES } from '../../checks/types.js';
import { printable } from './printable.js';
import { fixSummaryOf, summarize, waivedNote, withStatus } from './summary.js';
import type { CatalogEntry, Report } from './types.js';

const HEADINGS: Record<Status, string> = {
  fail: 'Failing',
  error: 'Could not decide (error)',
  warn: 'Warnings',
  pass: 'Passing',
  skip: 'Skipped',
};

/**
 * Text from a checked host rendered inert: HTML is written as entities, inline Markdown punctuation
 * is backslash-escaped, and line breaks become `<br>` so that one item stays one item (user text
 * never starts a line, so block syntax such as `#` or `-` needs no escape).
 */
export function mdEscape(text: string): string {
  return printable(text)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[\\`*_[\]|~]/g, '\\$&')
    .replace(/\r?\n/g, '<br>');
}

function item(result: CheckResult, catalog: ReadonlyMap<string, CatalogEntry>): string {
  const host = result.host ? ` on ${mdEscape(result.host)}` : '';
  const subject = result.subject ? ` ${mdEscape(result.subject)}` : '';
  const lines = [`- **${result.severity}** ${mdEscape(result.id)}${host}${subject}: ${mdEscape(result.message)}`];
  const waived = waivedNote(result);
  if (waived) lines.push(`  - _${mdEscape(waived)}_`);
  const fix = fixSummaryOf(result, catalog);
  if (fix && (result.status === 'fail' || result.status === 'warn') && !waived) lines.push(`  - Fix: ${mdEscape(fix)}`);
  return lines.join('\n');
}

export function renderMarkdown(report: Report): string {
  const s = summarize(report.results);
  const catalog = new Map(report.catalog.map((entry) => [entry.id, entry]));
  const where = report.host ? ` on ${mdEscape(report.host)}` : '';
  const out: string[] = [
    `# ${mdEscape(report.tool.name)} report: ${report.profile}${where}`,
    '',
    `${mdEscape(report.tool.name)} ${mdEscape(report.tool.version)}, started ${mdEscape(report.startedAt)}, took ${report.durationMs} ms.`,
    '',
    '| status | count |',
    '| --- | ---: |',
    ...(['fail', 'error', 'warn', 'pass', 'skip', 'waived'] as const).map((key) => `| ${key} | ${s[key]} |`),
  ];
  for (const status of STATUSES) {
    const group = withStatus(report.results, status);
    if (group.length === 0) continue;
    out.push('', `## ${HEADINGS[status]} (${group.length})`, '', ...group.map((result) => item(result, catalog)));
  }
  return out.join('\n') + '\n';
}
