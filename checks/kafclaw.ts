import type { Check, Verdict } from './types.js';
import type { UnitFacts } from '../lib/facts/probes/systemd.js';
import { GATEWAY_UNIT } from '../lib/facts/probes/systemd.js';
import { BARE_ALT_ENV_NAMES } from '../lib/config/index.js';
import { GATEWAY_TOKEN_ENV_NAMES } from './gateway-facts.js';

/** The environment the gateway starts with, and where each variable is set. */
export interface ServiceEnvironment {
  /** Name → where it is set (`process`, `unit kafclaw-gateway.service`, or an env file path). */
  assignments: Array<{ name: string; value: string; source: string }>;
}

/** How an assignment in a unit's Environment= lines names its source: the collector and the checks agree on it. */
export function unitSource(unit: Pick<UnitFacts, 'name' | 'fragmentPath'>): string {
  return `unit ${unit.fragmentPath || unit.name}`;
}


export const strayBareEnv: Check = {
  id: 'kafclaw.stray-bare-env',
  title: 'No bare variable names that KafClaw would also read',
  severity: 'medium',
  profiles: ['doctor', 'go-live'],
  rationale: 'KafClaw falls back to bare names such as PORT, HOST or AUTH_TOKEN, so an unrelated PORT=8080 silently reconfigures the gateway.',
  runbook: 'reference §1.5',
  needs: ['env.service'],
  fixKind: 'guided',
  fixSummary: 'Remove or rename the bare variables in the gateway\'s environment (use the KAFCLAW_ names).',
  run(ctx) {
    const env = ctx.facts.get<ServiceEnvironment>('env.service');
    const bare = new Set<string>(BARE_ALT_ENV_NAMES);
    const stray = env.assignments.filter((a) => bare.has(a.name));
    if (stray.length === 0) return { status: 'pass', message: 'the gateway\'s environment holds no bare names KafClaw would read' };
    return stray.map((a): Verdict => ({ status: 'fail', subject: `${a.source}: ${a.name}`, message: `${a.name} is set (${a.source}); KafClaw reads it as a fallback and it changes the gateway's configuration` }));
  },
};

export const blankTokenOverride: Check = {
  id: 'kafclaw.blank-token-override',
  title: 'Nothing sets the gateway token to an empty value',
  severity: 'critical',
  profiles: ['doctor', 'go-live'],
  rationale: 'KafClaw\'s generated unit sets KAFCLAW_GATEWAY_AUTH_TOKEN= empty, which overrides the configured token and silently disables auth.',
  runbook: 'reference §0.4',
  needs: ['env.service', `host.unit:${GATEWAY_UNIT}`],
  fixKind: 'guided',
  fixSummary: 'Delete the empty `KAFCLAW_GATEWAY_AUTH_TOKEN=` / `MIKROBOT_GATEWAY_AUTH_TOKEN=` assignments, then `systemctl daemon-reload` and restart.',
  run(ctx) {
    const env = ctx.facts.get<ServiceEnvironment>('env.service');
    const blank = env.assignments.filter((a) => GATEWAY_TOKEN_ENV_NAMES.includes(a.name) && a.value.trim() === '');
    const unit = ctx.facts.get<UnitFacts | null>(`host.unit:${GATEWAY_UNIT}`);
    const inUnit = unit ? unit.environment.filter((a) => GATEWAY_TOKEN_ENV_NAMES.includes(a.name) && a.value.trim() === '') : [];
    // On a remote host the service environment holds the unit's lines too: one finding each.
    const found = [...blank.map((a) => `${a.name}= in ${a.source}`), ...inUnit.map((a) => `${a.name}= in ${unitSource(unit!)}`)];
    const unique = [...new Set(found)];
    if (unique.length === 0) return { status: 'pass', message: 'no empty token assignment in the gateway\'s environment' };
    return unique.map((where): Verdict => ({ status: 'fail', subject: where, message: `${where}: an empty value overrides the configured token and disables auth` }));
  },
};

export const kafclawChecks: readonly Check[] = [strayBareEnv, blankTokenOverride];
