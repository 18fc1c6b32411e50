import { existsSync, readdirSync, readFileSync, rmdirSync, statfsSync } from 'node:fs';
import { join } from 'node:path';

const CGROUP2_MAGIC = 0x63677270;

/**
 * The cgroup directories this process sits in that a booted container's systemd writes to: the
 * unified (v2) one and the v1 `name=systemd` one, whichever exist here.
 */
function ownCgroups(): string[] {
  const dirs: string[] = [];
  for (const line of readFileSync('/proc/self/cgroup', 'utf8').split('\n')) {
    const [, controllers, path] = line.split(':');
    if (path === undefined) continue;
    if (controllers === '') {
      const unified = statfsSync('/sys/fs/cgroup').type === CGROUP2_MAGIC ? '/sys/fs/cgroup' : '/sys/fs/cgroup/unified';
      if (existsSync(join(unified, 'cgroup.procs'))) dirs.push(join(unified, path));
    } else if (controllers === 'name=systemd' && existsSync('/sys/fs/cgroup/systemd/cgroup.procs')) {
      dirs.push(join('/sys/fs/cgroup/systemd', path));
    }
  }
  return dirs;
}

/**
 * A cgroup of its own per lab host, in each hierarchy the container's systemd uses. Without it every
 * systemd-nspawn (started with --keep-unit and no host systemd to give it a scope) shares this
 * process's cgroup, and the systemds of hosts booting side by side build their units' cgroups in the
 * same place: units then fail at boot with status 219/CGROUP.
 */
export function hostCgroupDirs(hostName: string): string[] {
  return ownCgroups().map((dir) => join(dir, `kafclaw-lab-${hostName}`));
}

/**
 * Shell prefix that moves the shell into the host's cgroups and then execs the command:
 * `sh -c SCRIPT sh DIR… -- COMMAND…`. A hierarchy that refuses is left as it was.
 */
export const ENTER_CGROUPS_SCRIPT = `while [ "$1" != -- ]; do
  mkdir -p "$1" 2>/dev/null && echo $$ > "$1/cgroup.procs" 2>/dev/null
  shift
done
shift
exec "$@"`;

/** Removes a host's cgroups once nothing runs in them: the deepest first (the container's systemd made children). */
export function removeHostCgroups(dirs: readonly string[]): void {
  for (const dir of dirs) removeTree(dir);
}

function removeTree(dir: string): void {
  if (!existsSync(dir)) return;
  for (const entry of readdirSync(dir, { withFileTypes: true })) if (entry.isDirectory()) removeTree(join(dir, entry.name));
  try {
    rmdirSync(dir);
  } catch {
    // still in use, or not ours to remove: the next sweep tries again
  }
}
