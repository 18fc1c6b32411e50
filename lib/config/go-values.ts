/**
 * Parsers with Go's semantics for env values, as KafClaw's envconfig reads them: strconv.ParseBool,
 * ParseInt (base 0), ParseFloat, time.ParseDuration, comma lists and `k:v` maps. Each returns the value
 * or throws an Error whose message names the problem (never the value).
 */

const TRUE = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);
const FALSE = new Set(['0', 'f', 'F', 'FALSE', 'false', 'False']);

export function parseGoBool(text: string): boolean {
  if (TRUE.has(text)) return true;
  if (FALSE.has(text)) return false;
  throw new Error('not a boolean (use true or false)');
}

export function parseGoInt(text: string): number {
  const match = /^([+-]?)(0[xX][0-9a-fA-F](?:_?[0-9a-fA-F])*|0[bB][01](?:_?[01])*|0[oO][0-7](?:_?[0-7])*|0(?:_?[0-7])*|[1-9](?:_?[0-9])*)$/.exec(text);
  if (!match) throw new Error('not an integer');
  const [, sign = '', digits = ''] = match;
  const clean = digits.replace(/_/g, '');
  let value: number;
  if (/^0[xXbBoO]/.test(clean)) value = Number(clean.toLowerCase());
  else if (clean.length > 1 && clean.startsWith('0')) value = parseInt(clean, 8);
  else value = Number(clean);
  if (!Number.isSafeInteger(value)) throw new Error('integer out of range');
  return sign === '-' ? -value : value;
}

export function parseGoFloat(text: string): number {
  if (/^[+-]?(inf|infinity)$/i.test(text)) return text.startsWith('-') ? -Infinity : Infinity;
  if (/^nan$/i.test(text)) return NaN;
  if (!/^[+-]?(?:\d(?:_?\d)*(?:\.(?:\d(?:_?\d)*)?)?|\.\d(?:_?\d)*)(?:[eE][+-]?\d+)?$/.test(text)) throw new Error('not a number');
  return Number(text.replace(/_/g, ''));
}

const UNIT_NANOS: Record<string, number> = { ns: 1, us: 1e3, 'µs': 1e3, 'μs': 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };

/** time.ParseDuration: `300ms`, `1h30m`, `-1.5h`, `0`; result in nanoseconds. */
export function parseGoDuration(text: string): number {
  let rest = text;
  let sign = 1;
  if (rest.startsWith('-') || rest.startsWith('+')) {
    sign = rest.startsWith('-') ? -1 : 1;
    rest = rest.slice(1);
  }
  if (rest === '0') return 0;
  if (rest === '') throw new Error('not a duration (use Go syntax such as 60s or 5m)');
  let total = 0;
  while (rest !== '') {
    const match = /^(\d*(?:\.\d*)?)(ns|us|µs|μs|ms|s|m|h)/.exec(rest);
    if (!match || match[1] === '' || match[1] === '.') throw new Error('not a duration (use Go syntax such as 60s or 5m)');
    total += Number(match[1]) * UNIT_NANOS[match[2]!]!;
    rest = rest.slice(match[0].length);
  }
  return sign * Math.round(total);
}

/** envconfig slices: split on commas, no trimming; an empty (or blank) value is an empty list. */
export function parseGoList(text: string): string[] {
  return text.trim() === '' ? [] : text.split(',');
}

/** envconfig maps: `k:v,k:v`; each item needs exactly one colon. */
export function parseGoMap(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (text.trim() === '') return out;
  for (const pair of text.split(',')) {
    const parts = pair.split(':');
    if (parts.length !== 2) throw new Error('invalid map item (use key:value,key:value)');
    Object.defineProperty(out, parts[0]!, { value: parts[1]!, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/** A duration in nanoseconds as Go prints it (`1m0s`, `1.5s`), for messages. */
export function formatGoDuration(nanos: number): string {
  if (nanos === 0) return '0s';
  const sign = nanos < 0 ? '-' : '';
  let rest = Math.abs(nanos);
  if (rest < 1e9) return `${sign}${rest >= 1e6 ? `${rest / 1e6}ms` : rest >= 1e3 ? `${rest / 1e3}µs` : `${rest}ns`}`;
  const hours = Math.floor(rest / 3600e9);
  rest -= hours * 3600e9;
  const minutes = Math.floor(rest / 60e9);
  rest -= minutes * 60e9;
  const seconds = `${Number((rest / 1e9).toFixed(9))}s`;
  if (hours > 0) return `${sign}${hours}h${minutes}m${seconds}`;
  if (minutes > 0) return `${sign}${minutes}m${seconds}`;
  return `${sign}${seconds}`;
}
