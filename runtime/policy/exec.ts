import { confineToWorkspace } from './confine.js';

/** Programs the exec tool may start (KafClaw's strict allow-list), run directly: no shell. */
export const EXEC_PROGRAMS: ReadonlySet<string> = new Set(['git', 'ls', 'cat', 'pwd', 'rg', 'grep', 'sed', 'head', 'tail', 'wc', 'echo']);

export type ExecCheck = { ok: true; cwd: string } | { ok: false; reason: string };

/**
 * Whether an exec request stays in the workspace: an allowed program, a working directory inside
 * the workspace, and every argument (bare, or after `=` in `--opt=path`) resolving inside it,
 * symlinks and `..` included. The argv is never handed to a shell. This confines paths; it is not
 * a sandbox (git and sed have their own ways out), which the service unit has to provide.
 */
export function checkExec(workspace: string, argv: readonly string[], workingDir?: string): ExecCheck {
  const [program, ...args] = argv;
  if (!program) return { ok: false, reason: 'empty command' };
  if (!EXEC_PROGRAMS.has(program)) return { ok: false, reason: `program "${program}" is not in the exec allow-list` };
  const cwd = confineToWorkspace(workspace, workingDir ?? '.');
  if (!cwd.ok) return { ok: false, reason: `working directory: ${cwd.reason}` };
  for (const arg of args) {
    let value = arg;
    if (arg.startsWith('-')) {
      if (arg.includes('=')) value = arg.slice(arg.indexOf('=') + 1);
      else if (/[/~]|\.\./.test(arg)) return { ok: false, reason: `option ${JSON.stringify(arg)} carries a path; pass it as --option=path or a separate argument` };
      else continue;
    }
    if (value.startsWith('~')) return { ok: false, reason: 'home-relative paths are not allowed' };
    // Every other argument is treated as a path: a pattern or a name that does not exist resolves inside.
    const confined = confineToWorkspace(workspace, value, cwd.path);
    if (!confined.ok) return { ok: false, reason: `argument ${JSON.stringify(value)}: ${confined.reason}` };
  }
  return { ok: true, cwd: cwd.path };
}
