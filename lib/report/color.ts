/**
 * Colour is on exactly when the stream is a terminal and NO_COLOR is unset or empty
 * (https://no-color.org: any non-empty value disables colour).
 */
export function shouldColor(stream: { isTTY?: boolean }, env: Readonly<Record<string, string | undefined>>): boolean {
  return stream.isTTY === true && !env['NO_COLOR'];
}

const CODES = {
  red: 31,
  green: 32,
  yellow: 33,
  magenta: 35,
  dim: 2,
  bold: 1,
} as const;

export type ColorName = keyof typeof CODES;

export function paint(text: string, color: ColorName, enabled: boolean): string {
  if (!enabled) return text;
  return `\u001b[${CODES[color]}m${text}\u001b[0m`;
}
