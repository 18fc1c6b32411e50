/** Read a dotted key path (`gateway.authToken`) out of parsed JSON; undefined when any step is missing. */
export function getPath(value: unknown, path: string | readonly string[]): unknown {
  const keys = typeof path === 'string' ? path.split('.') : path;
  let current: unknown = value;
  for (const key of keys) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}
