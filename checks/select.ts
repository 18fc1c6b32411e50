import type { Check, Profile } from './types.js';

export const PROFILES: readonly Profile[] = ['doctor', 'host', 'monitor', 'go-live'];

export class SelectionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SelectionError';
  }
}

/** The checks of a profile, narrowed by --only and --skip; unknown ids are an input error. */
export function selectChecks(all: readonly Check[], profile: string, only: readonly string[] = [], skip: readonly string[] = []): Check[] {
  if (!PROFILES.includes(profile as Profile)) throw new SelectionError(`unknown profile "${profile}": use one of ${PROFILES.join(', ')}`);
  const known = new Set(all.map((check) => check.id));
  for (const id of [...only, ...skip]) {
    if (!known.has(id)) throw new SelectionError(`unknown check id "${id}": \`kafclaw doctor --list\` shows the ids`);
  }
  const inProfile = all.filter((check) => check.profiles.includes(profile as Profile));
  const picked = only.length > 0 ? all.filter((check) => only.includes(check.id)) : inProfile;
  return picked.filter((check) => !skip.includes(check.id));
}
