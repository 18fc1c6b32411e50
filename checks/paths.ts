import { posix } from 'node:path';
import type { Check, CheckContext, Verdict } from './types.js';
import type { ConfigFact } from './config-fact.js';
import type { PathFacts } from '../lib/facts/probes/paths.js';
import type { RuntimeUser } from './secrets.js';
import { homeOf, stateDir } from './locations.js';

const config = (ctx: CheckContext) => ctx.facts.get<ConfigFact>('config');

export interface WorkPaths {
  workspace: string;
  workRepo: string;
}

export function workPaths(loaded: ConfigFact): WorkPaths {
  return { workspace: loaded.config.paths.workspace, workRepo: loaded.config.paths.workRepoPath };
}

/** Every ancestor of a path, nearest first, ending at `/`. */
export function ancestors(path: string): string[] {
  const out: string[] = [];
  let current = posix.dirname(path);
  while (true) {
    out.push(current);
    if (current === '/') return out;
    current = posix.dirname(current);
  }
}

/** The paths the workspace-isolation checks stat: both work paths and all their ancestors. */
export function isolationPaths(loaded: ConfigFact): string[] {
  const { workspace, workRepo } = workPaths(loaded);
  return [...new Set([workspace, workRepo, ...ancestors(workspace), ...ancestors(workRepo)].filter((p) => p.startsWith('/')))];
}

const isInside = (child: string, parent: string) => parent === '/' ? child !== '/' : child.startsWith(parent + '/');

/**
 * host-end-state §4: a work path must not be, contain, or sit inside these. For `/`, `/home` and a
 * home directory's root, sitting inside is expected (everything is inside `/`), so only "is" and
 * "contains" count there.
 */
export function sensitivePaths(loaded: ConfigFact): Array<{ path: string; insideAllowed: boolean }> {
  const home = homeOf(loaded);
  return [
    { path: '/', insideAllowed: true },
    { path: '/home', insideAllowed: true },
    { path: home, insideAllowed: true },
    { path: '/etc', insideAllowed: false },
    { path: '/root', insideAllowed: home === '/root' ? true : false },
    { path: posix.join(home, '.ssh'), insideAllowed: false },
    { path: posix.join(home, '.gnupg'), insideAllowed: false },
    { path: posix.join(home, '.aws'), insideAllowed: false },
    { path: stateDir(loaded), insideAllowed: false },
    { path: '/var/lib/kafclaw/.kafclaw', insideAllowed: false },
    { path: '/opt/kafclaw', insideAllowed: false },
  ];
}

/** Pure verdict on one resolved work path. */
export function isolationProblems(
  name: string,
  resolved: string,
  sensitive: ReturnType<typeof sensitivePaths>,
): string[] {
  const problems: string[] = [];
  for (const { path, insideAllowed } of sensitive) {
    if (resolved === path) problems.push(`${name} is ${path}`);
    else if (isInside(path, resolved)) problems.push(`${name} contains ${path}`);
    else if (!insideAllowed && isInside(resolved, path)) problems.push(`${name} sits inside ${path}`);
  }
  return problems;
}

export function writableBy(stat: PathFacts, user: RuntimeUser): boolean {
  const mode = stat.mode ?? 0;
  if ((mode & 0o002) !== 0 && (mode & 0o1000) === 0) return true;
  if (stat.uid === user.uid && user.uid !== 0 && (mode & 0o200) !== 0) return true;
  if (stat.gid === user.gid && user.gid !== 0 && (mode & 0o020) !== 0) return true;
  return false;
}

export const workspaceIsolated: Check = {
  id: 'paths.workspace-isolated',
  title: 'The workspace and work repo are isolated from sensitive host paths',
  severity: 'critical',
  profiles: ['doctor', 'go-live'],
  rationale: 'The agent reads and writes its workspace; if that reaches ~/.ssh, /etc or the state dir, so does every sender.',
  runbook: '§1.4',
  needs: ['config', 'paths.isolation', 'runtime.user'],
  fixKind: 'guided',
  fixSummary: 'Point paths.workspace and paths.workRepoPath at dedicated directories under a root-owned parent (e.g. /srv/kafclaw/workspace).',
  run(ctx) {
    const loaded = config(ctx);
    const stats = ctx.facts.get<Map<string, PathFacts>>('paths.isolation');
    const user = ctx.facts.get<RuntimeUser>('runtime.user');
    const sensitive = sensitivePaths(loaded);
    const verdicts: Verdict[] = [];
    for (const [name, path] of Object.entries({ workspace: workPaths(loaded).workspace, 'work repo': workPaths(loaded).workRepo })) {
      const stat = stats.get(path);
      const resolved = stat?.realpath ?? path;
      const problems = isolationProblems(name, resolved, sensitive);
      if (stat?.exists && stat.type !== 'symlink' && ((stat.mode ?? 0) & 0o002) !== 0) problems.push(`${name} is world-writable`);
      const writableParent = ancestors(resolved).find((parent) => {
        const parentStat = stats.get(parent);
        return parentStat?.exists === true && writableBy(parentStat, user);
      });
      if (writableParent) problems.push(`its parent ${writableParent} is writable by the gateway's user, which could swap the directory`);
      const evidence = { path, resolved };
      verdicts.push(
        problems.length > 0
          ? { status: 'fail', subject: path, message: `${name} ${path}${resolved !== path ? ` (→ ${resolved})` : ''}: ${problems.join('; ')}`, evidence }
          : { status: 'pass', subject: path, message: `${name} ${path} is isolated`, evidence },
      );
    }
    return verdicts;
  },
};

export const workspaceSeparate: Check = {
  id: 'paths.workspace-separate',
  title: 'The workspace and the work repo are separate directories',
  severity: 'medium',
  profiles: ['doctor', 'go-live'],
  rationale: 'KafClaw defaults both to ~/KafClaw-Workspace, so a commit in the work repo sweeps up the identity files.',
  runbook: '§1.4',
  needs: ['config', 'paths.isolation'],
  fixKind: 'guided',
  fixSummary: 'Set paths.workRepoPath to a directory beside, not inside, the workspace.',
  run(ctx) {
    const loaded = config(ctx);
    const stats = ctx.facts.get<Map<string, PathFacts>>('paths.isolation');
    const { workspace, workRepo } = workPaths(loaded);
    const a = stats.get(workspace)?.realpath ?? workspace;
    const b = stats.get(workRepo)?.realpath ?? workRepo;
    const evidence = { workspace: a, workRepo: b };
    if (a === b) return { status: 'fail', message: `the workspace and the work repo are the same directory (${a})`, evidence };
    if (isInside(a, b) || isInside(b, a)) return { status: 'fail', message: `one of the workspace (${a}) and the work repo (${b}) sits inside the other`, evidence };
    return { status: 'pass', message: 'the workspace and the work repo are separate', evidence };
  },
};

export const pathsChecks: readonly Check[] = [workspaceIsolated, workspaceSeparate];
