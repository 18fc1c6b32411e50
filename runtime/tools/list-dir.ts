import { readdirSync, statSync } from 'node:fs';
import { confineToWorkspace } from '../policy/confine.js';
import { capUtf8, redactSecrets } from './redact.js';
import type { ToolContext, ToolResult } from './types.js';

/**
 * `list_dir {path}` (default `.`): one entry a line, sorted, directories ending in `/` and symlinks
 * in `@` (not followed), at most `listMaxEntries` entries, confined to the workspace like read_file.
 */
export function listDirTool(context: ToolContext, args: Record<string, unknown>): ToolResult {
  const started = Date.now();
  const failed = (error: string): ToolResult => ({ status: 'failed', output: '', truncated: false, error, durationMs: Date.now() - started });
  const path = args.path === undefined || args.path === '' ? '.' : args.path;
  if (typeof path !== 'string') return failed('list_dir needs a path (a string)');
  const confined = confineToWorkspace(context.workspace, path);
  if (!confined.ok) return failed(confined.reason);
  try {
    if (!statSync(confined.path).isDirectory()) return failed(`${path}: not a directory`);
    const entries = readdirSync(confined.path, { withFileTypes: true })
      .map((entry) => entry.name + (entry.isDirectory() ? '/' : entry.isSymbolicLink() ? '@' : ''))
      .sort();
    const shown = entries.slice(0, context.limits.listMaxEntries);
    const more = entries.length - shown.length;
    const text = shown.join('\n') + (more > 0 ? `\n(${more} more entries not listed)` : '');
    const capped = capUtf8(redactSecrets(text), context.limits.maxOutputBytes);
    return { status: 'ok', output: capped.text, truncated: capped.truncated || more > 0, durationMs: Date.now() - started };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return failed(code === 'ENOENT' ? `${path}: no such directory` : `${path}: cannot list (${code ?? 'error'})`);
  }
}
