import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Run the built `kafclaw` (npm test builds first), as a user would, with exactly the given environment. */
export function kafclaw(args: string[], env: Record<string, string>): CliResult {
  const result = spawnSync(process.execPath, ['dist/bin/kafclaw.js', ...args], {
    cwd: root,
    env: { ...env, NO_COLOR: '1' },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}
