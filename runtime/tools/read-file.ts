import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { confineToWorkspace } from '../policy/confine.js';
import { capUtf8, redactSecrets } from './redact.js';
import type { ToolContext, ToolResult } from './types.js';

const failed = (error: string, started: number): ToolResult => ({ status: 'failed', output: '', truncated: false, error, durationMs: Date.now() - started });

/**
 * `read_file {path}`: a regular file inside the workspace (after `..` and symlinks are resolved),
 * at most `readMaxBytes` of it. Opened without following a last-component symlink and without
 * blocking, so a FIFO or a link swapped in after the check is refused instead of followed.
 */
export function readFileTool(context: ToolContext, args: Record<string, unknown>): ToolResult {
  const started = Date.now();
  if (typeof args.path !== 'string') return failed('read_file needs a path (a string)', started);
  const confined = confineToWorkspace(context.workspace, args.path);
  if (!confined.ok) return failed(confined.reason, started);
  let fd: number;
  try {
    fd = openSync(confined.path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return failed(code === 'ENOENT' ? `${args.path}: no such file` : `${args.path}: cannot open (${code ?? 'error'})`, started);
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) return failed(`${args.path}: not a regular file`, started);
    const want = Math.min(stat.size, context.limits.readMaxBytes);
    const buffer = Buffer.alloc(want);
    let read = 0;
    while (read < want) {
      const n = readSync(fd, buffer, read, want - read, read);
      if (n === 0) break;
      read += n;
    }
    const bytes = buffer.subarray(0, read);
    if (bytes.includes(0)) {
      return { status: 'ok', output: `(binary file, ${stat.size} bytes; not shown)`, truncated: false, durationMs: Date.now() - started };
    }
    const capped = capUtf8(redactSecrets(bytes.toString('utf8')), context.limits.maxOutputBytes);
    return { status: 'ok', output: capped.text, truncated: capped.truncated || stat.size > read, durationMs: Date.now() - started };
  } catch (error) {
    return failed(`${args.path}: read failed (${(error as NodeJS.ErrnoException).code ?? 'error'})`, started);
  } finally {
    closeSync(fd);
  }
}
