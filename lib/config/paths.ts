import { posix } from 'node:path';

export type EnvMap = Readonly<Record<string, string | undefined>>;

/** KafClaw's `~` rule: a leading `~` is replaced by `home` (so `~x` becomes `<home>/x`), then the path is cleaned. */
export function expandHome(path: string, home: string | undefined): string {
  if (!path.startsWith('~') || !home) return path;
  return posix.join(home, path.slice(1));
}

function nonBlank(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

/** The directory holding `.kafclaw/`: `KAFCLAW_HOME` → `MIKROBOT_HOME` → the user's home. */
export function resolveConfigHome(env: EnvMap, userHome: string | undefined): string | undefined {
  const explicit = nonBlank(env.KAFCLAW_HOME) ?? nonBlank(env.MIKROBOT_HOME);
  if (explicit) return expandHome(explicit, userHome);
  return userHome;
}

/**
 * The config file KafClaw reads: `KAFCLAW_CONFIG` → `MIKROBOT_CONFIG` (a leading `~` expands against
 * the config home) → `<home>/.kafclaw/config.json`. Relative paths resolve against `cwd`.
 */
export function resolveConfigPath(env: EnvMap, userHome: string | undefined, cwd: string): string | undefined {
  const configHome = resolveConfigHome(env, userHome);
  const explicit = nonBlank(env.KAFCLAW_CONFIG) ?? nonBlank(env.MIKROBOT_CONFIG);
  if (explicit) {
    if (explicit.startsWith('~')) return configHome ? expandHome(explicit, configHome) : undefined;
    return posix.resolve(cwd, explicit);
  }
  return configHome ? posix.join(configHome, '.kafclaw', 'config.json') : undefined;
}
