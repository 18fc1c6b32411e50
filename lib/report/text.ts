import type { CheckResult, Status } from '../../checks/types.js';
import { STATUSES } from '../../checks/types.js';
import { paint, type ColorName } from './color.js';
import { printable } from './printable.js';
import { fixSummaryOf, summarize, waivedNote, withStatus } from './summary.js';
import type { CatalogEntry, RenderOptions, Report } from './types.js';

const STATUS_COLOR: Record<Status, ColorName> = {
  fail: 'red',
  error: 'magenta',
  warn: 'yellow',
  pass: 'green',
  skip: 'dim',
};

function indentContinuation(text: string, indent: string): string {
  return text.replace(/\n/g, `\n${indent}`);
}

function line(result: CheckResult, report: Report, catalog: Map<string, CatalogEntry>, color: boolean): string[] {
  const label = paint(result.status.toUpperCase().padEnd(5), STATUS_COLOR[result.status], color);
  const host = result.host && result.host !== report.host ? ` [${printable(result.host)}]` : '';
  // A message that already names its subject reads better without the subject printed twice.
  const subject = result.subject && !result.message.includes(result.subject) ? ` ${printable(result.subject)}` : '';
  const message = indentContinuation(printable(result.message), '      ');
  const lines = [`${label} ${result.severity} ${printable(result.id)}${host}${subject}: ${message}`];
  const waived = waivedNote(result);
  if (waived) lines.push(`      ${paint(printable(waived), 'dim', color)}`);
  if (result.status === 'fail' && !result.waived) {
    const fix = fixSummaryOf(result, catalog);
    if (fix) lines.push(`      fix: ${indentContinuation(printable(fix), '           ')}`);
  }
  return lines;
}

/** Which configuration was audited: a missing file means KafClaw's defaults were, and the header says so. */
function configLines(report: Report): string[] {
  const configs = report.configs ?? [];
  return configs.map((c) => {
    const on = configs.length > 1 ? ` on ${c.host}` : '';
    return printable(`config${on}: ${c.path}${c.exists ? '' : ' (does not exist: KafClaw\'s defaults were audited)'}`);
  });
}

export function renderText(report: Report, opts: RenderOptions = {}): string {
  const color = opts.color === true;
  const catalog = new Map(report.catalog.map((entry) => [entry.id, entry]));
  const where = report.host ? ` on ${report.host}` : '';
  const out: string[] = [
    printable(`${report.tool.name} ${report.tool.version}: profile ${report.profile}${where}, started ${report.startedAt}`),
    ...configLines(report),
  ];
  for (const status of STATUSES) {
    const group = withStatus(report.results, status);
    if (group.length === 0) continue;
    out.push('');
    for (const result of group) out.push(...line(result, report, catalog, color));
  }
  const s = summarize(report.results);
  const counts = `${s.fail} fail, ${s.error} error, ${s.warn} warn, ${s.pass} pass, ${s.skip} skip, ${s.waived} waived`;
  out.push('', `Summary: ${counts} (${report.results.length} results in ${report.durationMs} ms)`);
  return out.join('\n') + '\n';
}
