/** UTC `YYYY-MM-DD HH:MM:SS.SSS`: what SQLite's date functions parse, and sorts with CURRENT_TIMESTAMP. */
export function sqliteTimestamp(date: Date): string {
  return date.toISOString().replace('T', ' ').replace('Z', '');
}
