import { ENV_GROUPS, LEGACY_AGENTS_GROUPS, documentedEnvAliases, envName } from './env-bindings.js';
import type { EnvGroup, EnvValueType } from './env-bindings.js';
import { parseGoBool, parseGoDuration, parseGoFloat, parseGoInt, parseGoList, parseGoMap } from './go-values.js';
import type { EnvMap } from './paths.js';

export type EnvValue = string | boolean | number | string[] | Record<string, string>;

export interface EnvAssignment {
  value: EnvValue;
  /** The variable that supplied the value. */
  name: string;
  /** Set when `name` is a bare fallback, looked up in `bareEnv`. */
  bare?: true;
}

/** A variable KafClaw would fail to parse; its group stops there (later fields of the group are not read). */
export interface EnvIssue {
  name: string;
  key: string;
  message: string;
}

export interface EnvOverlay {
  /** Dotted config key → the value and variable that win. */
  assignments: Map<string, EnvAssignment>;
  issues: EnvIssue[];
}

export interface EnvOverlayOptions {
  /**
   * Where the bare fallbacks (`HOST`, `PORT`, …) are looked up when the prefixed name is unset. KafClaw
   * looks in its whole environment; pass the part known to be the gateway's. Omitted: bare names are ignored.
   */
  bareEnv?: EnvMap;
}

export function parseEnvValue(type: EnvValueType, text: string): EnvValue {
  switch (type) {
    case 'string':
      return text;
    case 'bool':
      return parseGoBool(text);
    case 'int':
      return parseGoInt(text);
    case 'float':
      return parseGoFloat(text);
    case 'duration':
      return parseGoDuration(text);
    case 'list':
      return parseGoList(text);
    case 'map':
      return parseGoMap(text);
  }
}

/** A bare name both families fall back to fails twice in KafClaw: one issue here. */
function addIssue(overlay: EnvOverlay, issue: EnvIssue): void {
  if (!overlay.issues.some((i) => i.name === issue.name && i.key === issue.key && i.message === issue.message)) overlay.issues.push(issue);
}

function runGroup(overlay: EnvOverlay, env: EnvMap, family: 'KAFCLAW' | 'MIKROBOT', group: EnvGroup, bareEnv: EnvMap | undefined): void {
  for (const field of group.fields) {
    let name = envName(family, group, field);
    let text = env[name];
    let bare = false;
    if (text === undefined && bareEnv && field.alt) {
      name = field.alt;
      text = bareEnv[name];
      bare = true;
    }
    if (text === undefined) continue;
    try {
      const value = parseEnvValue(field.type, text);
      overlay.assignments.set(field.key, bare ? { value, name, bare: true } : { value, name });
    } catch (error) {
      addIssue(overlay, { name, key: field.key, message: (error as Error).message });
      return;
    }
  }
}

/**
 * The env overlay in KafClaw's order: documented aliases (lowest), every `MIKROBOT_*` group, every
 * `KAFCLAW_*` group, then `MIKROBOT_AGENTS_*` for paths and model. The OPENAI_API_KEY fallback needs
 * the merged value and is applied by the loader.
 */
export function computeEnvOverlay(env: EnvMap, options: EnvOverlayOptions = {}): EnvOverlay {
  const overlay: EnvOverlay = { assignments: new Map(), issues: [] };
  const bare = options.bareEnv;
  for (const alias of documentedEnvAliases()) {
    const text = env[alias.name];
    if (text === undefined) continue;
    try {
      overlay.assignments.set(alias.key, { value: parseEnvValue(alias.type, text), name: alias.name });
    } catch (error) {
      overlay.issues.push({ name: alias.name, key: alias.key, message: (error as Error).message });
    }
  }
  for (const group of ENV_GROUPS) runGroup(overlay, env, 'MIKROBOT', group, bare);
  for (const group of ENV_GROUPS) runGroup(overlay, env, 'KAFCLAW', group, bare);
  for (const group of LEGACY_AGENTS_GROUPS) runGroup(overlay, env, 'MIKROBOT', group, bare);
  return overlay;
}
