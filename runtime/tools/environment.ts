import { delimiter, isAbsolute } from 'node:path';

/** Variables a program needs to find itself and its locale; nothing else of the gateway's environment is passed. */
const PASSED = ['PATH', 'HOME', 'USER', 'LOGNAME', 'LANG', 'LANGUAGE', 'LC_ALL', 'LC_CTYPE', 'LC_MESSAGES', 'TZ', 'TMPDIR'];

/**
 * The environment for exec: an allow-list, so provider keys, the gateway token and whatever else
 * the service was started with never reach a tool. PATH keeps only absolute entries, so a program
 * named like a command in the workspace is never picked up. Git is told never to prompt.
 */
export function toolEnvironment(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of PASSED) {
    const value = env[name];
    if (typeof value === 'string' && value !== '') out[name] = value;
  }
  const path = (out.PATH ?? '/usr/local/bin:/usr/bin:/bin').split(delimiter).filter((entry) => entry !== '' && isAbsolute(entry));
  out.PATH = path.length > 0 ? path.join(delimiter) : '/usr/bin:/bin';
  out.GIT_TERMINAL_PROMPT = '0';
  return out;
}
