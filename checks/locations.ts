import { homedir } from 'node:os';
import { posix } from 'node:path';
import type { Target } from '../lib/target/types.js';
import { opsStorePath } from '../lib/backup/locations.js';
import type { ConfigFact } from './config-fact.js';

export const TOKEN_ENV = 'KAFCLAW_GATEWAY_AUTH_TOKEN';

/** The home KafClaw resolves state and env files against ($HOME, not KAFCLAW_HOME). */
export function homeOf(config: ConfigFact): string {
  return config.env.HOME ?? '/root';
}

/** `~/.kafclaw`: timeline.db, sessions, whatsapp.db. */
export function stateDir(config: ConfigFact): string {
  return posix.join(homeOf(config), '.kafclaw');
}

export function timelineDb(config: ConfigFact): string {
  return posix.join(stateDir(config), 'timeline.db');
}

/** The env file KafClaw's own `doctor --fix` writes, and where our fixes put secrets. */
export function kafclawEnvFile(config: ConfigFact): string {
  return config.env.KAFCLAW_ENV_FILE || posix.join(homeOf(config), '.config', 'kafclaw', 'env');
}

/** Every env file KafClaw reads (reference §1.3), in its order. */
export function envFileCandidates(config: ConfigFact): string[] {
  const home = homeOf(config);
  const files = [posix.join(home, '.config', 'kafclaw', 'env'), posix.join(home, '.kafclaw', 'env'), posix.join(home, '.kafclaw', '.env')];
  return config.env.KAFCLAW_ENV_FILE ? [config.env.KAFCLAW_ENV_FILE, ...files] : files;
}

/**
 * The home of the gateway's user as an environment gives it: its HOME; without one, this process's
 * user's home on this machine (where `kafclaw backup` records), /root on a remote host.
 */
export function serviceHomeIn(env: Record<string, string | undefined>, target: Pick<Target, 'kind'>): string {
  return env.HOME || (target.kind === 'local' ? homedir() : '/root');
}

/** The operations store (ops.db) of this configuration on this host: `~/.kafclaw/ops.db` of the gateway's user. */
export function opsStoreOf(config: ConfigFact, target: Pick<Target, 'kind'>): string {
  return opsStorePath(serviceHomeIn(config.env, target));
}
