import type { KeySegments } from './key-path.js';
import { assignOwn, formatKeyPath } from './key-path.js';
import type { EnvMap } from './paths.js';

const REFERENCE = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/** `${NAME}` in one string, replaced only when NAME is set (even to ""); otherwise the literal stays. */
export function substituteString(value: string, env: EnvMap, used?: string[]): string {
  return value.replace(REFERENCE, (match, name: string) => {
    const replacement = env[name];
    if (replacement === undefined) return match;
    used?.push(name);
    return replacement;
  });
}

export interface Substituted<T> {
  value: T;
  /** Dotted key path → the env names substituted into that string. */
  references: Map<string, string[]>;
}

/** Substitutes inside every string value (never keys) of JSON data; returns a copy. */
export function substituteEnv<T>(data: T, env: EnvMap): Substituted<T> {
  const references = new Map<string, string[]>();
  const walk = (node: unknown, path: (string | number)[]): unknown => {
    if (typeof node === 'string') {
      const used: string[] = [];
      const out = substituteString(node, env, used);
      if (used.length > 0) references.set(formatKeyPath(path as KeySegments), used);
      return out;
    }
    if (Array.isArray(node)) return node.map((item, index) => walk(item, [...path, index]));
    if (node !== null && typeof node === 'object') {
      const out: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(node)) assignOwn(out, key, walk(value, [...path, key]));
      return out;
    }
    return node;
  };
  return { value: walk(data, []) as T, references };
}
