import type { Change } from '../../lib/resources/index.js';
import { scrub } from '../../lib/secrets/scrub.js';
import type { RunEvent, RunSummary } from './events.js';

export interface TextOptions {
  /** Print before → after per change (always on in check mode). */
  diff: boolean;
}

const shown = (value: string | null) => (value === null ? '(none)' : value);

export function changeLines(changes: readonly Change[], indent = '    '): string[] {
  return changes.map((change) => scrub(`${indent}${change.field}: ${shown(change.before)} -> ${shown(change.after)}`));
}

/** One plain line (or a few, with diffs) per event; null for events not shown as text. */
export function eventText(event: RunEvent, options: TextOptions): string | null {
  const lines: string[] = [];
  switch (event.type) {
    case 'play':
      lines.push(`PLAY ${event.play} (${event.hosts.length} host${event.hosts.length === 1 ? '' : 's'})`);
      break;
    case 'host':
      lines.push(`${event.host}: connected as ${event.login}${event.bootstrap ? ' (bootstrap user)' : ''} in ${event.connectMs} ms`);
      break;
    case 'task':
    case 'handler': {
      const name = event.type === 'task' ? event.task : `handler ${event.handler}`;
      const status = event.check && event.status === 'changed' ? 'would change' : event.status;
      const extra = event.message ? `: ${event.message}` : event.status === 'skipped' && event.type === 'task' ? ` (${event.reason})` : event.check && event.type === 'task' && event.reason && event.status === 'changed' ? ` (${event.reason})` : '';
      lines.push(`${event.host}: ${status.padEnd(12)} ${name}${extra}`);
      if (event.status === 'changed' && (options.diff || event.check)) lines.push(...changeLines(event.changes));
      break;
    }
    case 'unreachable':
      lines.push(`${event.host}: UNREACHABLE at ${event.step}: ${event.message}`);
      break;
    case 'note':
      lines.push(`${event.host ? `${event.host}: ` : ''}${event.message}`);
      break;
    default:
      return null;
  }
  return scrub(lines.join('\n'));
}

/** The recap, one line per host. */
export function summaryText(summary: RunSummary, check: boolean): string {
  const names = Object.keys(summary.hosts);
  const width = Math.max(4, ...names.map((n) => n.length));
  const lines = [check ? 'SUMMARY (check mode: nothing was changed)' : 'SUMMARY'];
  for (const name of names) {
    const t = summary.hosts[name]!;
    lines.push(`  ${name.padEnd(width)}  ok=${t.ok}  ${check ? 'would-change' : 'changed'}=${t.changed}  failed=${t.failed}  unreachable=${t.unreachable ? 'yes' : 'no'}`);
  }
  return lines.join('\n');
}
