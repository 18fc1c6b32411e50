import type { CheckResult } from '../../checks/types.js';
import { familyOf, summarize, waivedNote } from './summary.js';
import type { Report } from './types.js';

/** Characters XML 1.0 forbids outright; they are written as visible `\uXXXX` text instead. */
// eslint-disable-next-line no-control-regex
const FORBIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

function visible(text: string): string {
  return text.replace(FORBIDDEN, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Text content; a carriage return is a character reference, as parsers turn a raw one into a newline. */
export function xmlText(text: string): string {
  return visible(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#13;');
}

/** Attribute values keep their newlines and tabs as character references (parsers normalise raw ones). */
export function xmlAttr(text: string): string {
  return xmlText(text)
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/\n/g, '&#10;')
    .replace(/\t/g, '&#9;');
}

function attrs(values: Record<string, string | number | undefined>): string {
  return Object.entries(values)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => ` ${key}="${xmlAttr(String(value))}"`)
    .join('');
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}

function details(result: CheckResult): string {
  const lines = [result.message];
  if (result.subject) lines.push(`subject: ${result.subject}`);
  if (result.host) lines.push(`host: ${result.host}`);
  if (result.fix) lines.push(`fix: ${result.fix.summary}`);
  if (result.evidence) lines.push(`evidence: ${JSON.stringify(result.evidence)}`);
  return lines.join('\n');
}

function testcase(result: CheckResult): string {
  const name = result.subject ? `${result.id} ${result.subject}` : result.id;
  const open = `    <testcase${attrs({ classname: familyOf(result.id), name, time: seconds(result.durationMs) })}`;
  const waived = waivedNote(result);
  let body: string;
  if (waived) {
    body = [
      `      <skipped${attrs({ message: `${result.status}: ${waived}` })}/>`,
      `      <system-out>${xmlText(`${result.status}: ${details(result)}`)}</system-out>`,
    ].join('\n');
  } else if (result.status === 'fail') {
    body = `      <failure${attrs({ message: result.message, type: result.severity })}>${xmlText(details(result))}</failure>`;
  } else if (result.status === 'error') {
    body = `      <error${attrs({ message: result.message, type: 'error' })}>${xmlText(details(result))}</error>`;
  } else if (result.status === 'skip') {
    body = `      <skipped${attrs({ message: result.message })}/>`;
  } else {
    body = `      <system-out>${xmlText(`${result.status}: ${details(result)}`)}</system-out>`;
  }
  return `${open}>\n${body}\n    </testcase>`;
}

function counts(results: readonly CheckResult[]): Record<string, number> {
  const s = summarize(results);
  return { tests: results.length, failures: s.fail, errors: s.error, skipped: s.skip + s.waived };
}

/** One testsuite per host (the report's host when results name none), named `profile host`. */
export function renderJunit(report: Report): string {
  const byHost = new Map<string, CheckResult[]>();
  for (const result of report.results) {
    const host = result.host ?? report.host ?? '';
    const group = byHost.get(host) ?? [];
    group.push(result);
    byHost.set(host, group);
  }
  if (byHost.size === 0) byHost.set(report.host ?? '', []);
  const suites = [...byHost].map(([host, results]) => {
    const time = seconds(results.reduce((sum, result) => sum + result.durationMs, 0));
    const head = attrs({
      name: host ? `${report.profile} ${host}` : report.profile,
      ...counts(results),
      time,
      timestamp: report.startedAt,
      hostname: host || undefined,
    });
    return [`  <testsuite${head}>`, ...results.map(testcase), '  </testsuite>'].join('\n');
  });
  const top = attrs({ name: `${report.tool.name} ${report.profile}`, ...counts(report.results), time: seconds(report.durationMs) });
  return ['<?xml version="1.0" encoding="UTF-8"?>', `<testsuites${top}>`, ...suites, '</testsuites>', ''].join('\n');
}
