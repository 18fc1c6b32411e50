/** `0640`-style text for a permission mode, as diffs show it. */
export function formatMode(mode: number): string {
  return '0' + mode.toString(8).padStart(3, '0');
}
