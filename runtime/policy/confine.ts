import { realpathSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';

export type Confined = { ok: true; path: string } | { ok: false; reason: string };

/** The real path of `path`, or of its deepest existing ancestor joined with the rest (for files not yet written). */
function realOrAncestor(path: string): string {
  const missing: string[] = [];
  let current = path;
  for (;;) {
    try {
      return join(realpathSync(current), ...missing.reverse());
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw error;
      const parent = dirname(current);
      if (parent === current) return path;
      missing.push(basename(current));
      current = parent;
    }
  }
}

export function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}

/**
 * Where `requested` (relative to `base`, itself inside the workspace, or absolute) really points,
 * provided that is inside the workspace after `..` and every symlink are resolved. Compares path
 * components, not string prefixes, so `…/workspace-evil` is outside `…/workspace`.
 */
export function confineToWorkspace(workspace: string, requested: string, base: string = workspace): Confined {
  if (requested.includes('\0')) return { ok: false, reason: 'path contains a NUL byte' };
  if (requested.length === 0) return { ok: false, reason: 'empty path' };
  let root: string;
  try {
    root = realpathSync(workspace);
  } catch {
    return { ok: false, reason: `the workspace ${workspace} does not exist` };
  }
  const target = realOrAncestor(resolve(base, requested));
  if (!isInside(root, target)) return { ok: false, reason: 'path resolves outside the workspace' };
  return { ok: true, path: target };
}
