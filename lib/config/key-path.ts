/** A key path as segments: object keys are strings, array indices numbers. */
export type KeySegments = readonly (string | number)[];

/** `['channels', 'slack', 'accounts', 0, 'id']` → `channels.slack.accounts[0].id`. */
export function formatKeyPath(segments: KeySegments): string {
  let out = '';
  for (const segment of segments) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out === '' ? segment : `.${segment}`;
  }
  return out;
}

/** Accepts `a.b[0].c` and `a.b.0.c`; numeric segments become indices. */
export function parseKeyPath(path: string): (string | number)[] {
  const segments: (string | number)[] = [];
  for (const part of path.split('.')) {
    const match = /^([^[\]]*)((?:\[\d+\])*)$/.exec(part);
    if (!match) {
      segments.push(part);
      continue;
    }
    const [, name = '', indices = ''] = match;
    if (name !== '') segments.push(/^\d+$/.test(name) ? Number(name) : name);
    for (const index of indices.matchAll(/\[(\d+)\]/g)) segments.push(Number(index[1]));
  }
  return segments;
}

/** Value at a key path in plain JSON data, or undefined. */
export function getAtPath(root: unknown, segments: KeySegments): unknown {
  let node = root;
  for (const segment of segments) {
    if (node === null || typeof node !== 'object' || !Object.hasOwn(node, segment)) return undefined;
    if (Array.isArray(node) && !/^\d+$/.test(String(segment))) return undefined;
    node = (node as Record<string | number, unknown>)[segment];
  }
  return node;
}

/** Sets a value, creating plain objects on the way. */
export function setAtPath(root: Record<string, unknown>, segments: readonly string[], value: unknown): void {
  let node: Record<string, unknown> = root;
  for (const segment of segments.slice(0, -1)) {
    const next = Object.hasOwn(node, segment) ? node[segment] : undefined;
    if (next === null || typeof next !== 'object' || Array.isArray(next)) assignOwn(node, segment, {});
    node = node[segment] as Record<string, unknown>;
  }
  const last = segments[segments.length - 1];
  if (last !== undefined) assignOwn(node, last, value);
}

/** `object[key] = value` that stays an own property even for `__proto__` (JSON.parse can produce that key). */
export function assignOwn(object: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
}
