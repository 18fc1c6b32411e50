import type { FactProbe } from '../types.js';
import { shellQuote } from '../../target/quote.js';

export interface UnitFacts {
  name: string;
  loaded: boolean;
  activeState: string;
  unitFileState: string;
  user: string;
  fragmentPath: string;
  /** The unit file and its drop-ins as `systemctl cat` prints them. */
  text: string;
  /** `Environment=` assignments across the unit and drop-ins, in order (later wins). */
  environment: Array<{ name: string; value: string }>;
  environmentFiles: string[];
}

/** Split one `Environment=` value into assignments, honouring double quotes as systemd does. */
export function parseEnvironmentLine(value: string): Array<{ name: string; value: string }> {
  const assignments: Array<{ name: string; value: string }> = [];
  const words = value.match(/"(?:[^"\\]|\\.)*"|'[^']*'|\S+/g) ?? [];
  for (const raw of words) {
    const word = /^(["']).*\1$/.test(raw) ? raw.slice(1, -1).replace(/\\(.)/g, '$1') : raw;
    const eq = word.indexOf('=');
    if (eq > 0) assignments.push({ name: word.slice(0, eq), value: word.slice(eq + 1) });
  }
  return assignments;
}

export function parseUnit(name: string, text: string): UnitFacts {
  const [showPart = '', catPart = ''] = text.split('\n@@cat\n');
  const show: Record<string, string> = {};
  for (const line of showPart.split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) show[line.slice(0, eq)] = line.slice(eq + 1);
  }
  const environment: Array<{ name: string; value: string }> = [];
  const environmentFiles: string[] = [];
  for (const line of catPart.split('\n')) {
    const match = /^\s*(Environment|EnvironmentFile)\s*=\s*(.*)$/.exec(line);
    if (!match) continue;
    if (match[1] === 'Environment') environment.push(...parseEnvironmentLine(match[2] ?? ''));
    else if (match[2]) environmentFiles.push(match[2].trim());
  }
  return {
    name,
    loaded: show.LoadState === 'loaded',
    activeState: show.ActiveState ?? 'unknown',
    unitFileState: show.UnitFileState ?? '',
    user: show.User ?? '',
    fragmentPath: show.FragmentPath ?? '',
    text: catPart,
    environment,
    environmentFiles,
  };
}

export const GATEWAY_UNIT = 'kafclaw-gateway.service';

export function unitProbe(name = GATEWAY_UNIT): FactProbe<UnitFacts | null> {
  const unit = shellQuote(name);
  return {
    key: `host.unit:${name}`,
    script: [
      'command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ] || exit 127',
      `systemctl show ${unit} -p LoadState,ActiveState,UnitFileState,User,FragmentPath 2>/dev/null`,
      'echo @@cat',
      `systemctl cat ${unit} 2>/dev/null; true`,
    ].join('\n'),
    /** null: no systemd running here, so there is no unit to judge. */
    parse: (text, code) => (code === 127 ? null : parseUnit(name, text)),
  };
}

export interface ProcessEntry {
  user: string;
  uid: number;
  pid: number;
  args: string;
}

export function parseProcesses(text: string): ProcessEntry[] {
  return text
    .split('\n')
    .map((line) => /^\s*(\S+)\s+(\d+)\s+(\d+)\s+(.*)$/.exec(line))
    .filter((match): match is RegExpExecArray => match !== null)
    .map((match) => ({ user: match[1] ?? '', uid: Number(match[2]), pid: Number(match[3]), args: match[4] ?? '' }));
}

export const processesProbe: FactProbe<ProcessEntry[]> = {
  key: 'host.processes',
  script: 'ps -eo user=,uid=,pid=,args= 2>/dev/null',
  parse: parseProcesses,
};
