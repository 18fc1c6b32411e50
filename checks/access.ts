import type { Check, CheckContext, Verdict } from './types.js';
import type { ConfigFact } from './config-fact.js';
import { channelUnits, unitKey, type ChannelUnit } from './channel-view.js';
import { hardeningOptions } from './hardening-options.js';
import { configEdit } from '../lib/resources/config-edit.js';
import type { ConfigEdit } from '../lib/config/index.js';
import { getPath } from './json-path.js';

const config = (ctx: CheckContext) => ctx.facts.get<ConfigFact>('config');

/** Why a unit accepts unknown senders, or null when it denies them by default. */
export function openToUnknownSenders(unit: ChannelUnit): string | null {
  if (unit.channel === 'whatsapp') {
    return unit.dropUnauthorized !== true && unit.allowFrom.length === 0 ? 'dropUnauthorized is false and allowFrom is empty' : null;
  }
  if (unit.dmPolicy === 'open') return 'dmPolicy is open';
  if (unit.groupPolicy === 'open') return 'groupPolicy is open';
  if (unit.allowFrom.includes('*')) return 'allowFrom holds *';
  const groupList = unit.groupAllowFrom.length > 0 ? unit.groupAllowFrom : unit.allowFrom;
  if ((unit.groupPolicy ?? 'allowlist') === 'allowlist' && groupList.includes('*')) return `${unit.groupAllowFrom.length > 0 ? 'groupAllowFrom' : 'allowFrom'} holds * (any group member)`;
  return null;
}

export const defaultDeny: Check = {
  id: 'access.default-deny',
  title: 'Enabled channels deny unknown senders by default',
  severity: 'high',
  profiles: ['doctor', 'go-live'],
  rationale: 'An open channel lets any stranger drive the agent and its tools.',
  runbook: '§4',
  needs: ['config'],
  fixKind: 'auto',
  fixSummary: 'Set dmPolicy to pairing and an open groupPolicy to allowlist (Slack, Teams), or dropUnauthorized to true (WhatsApp).',
  run(ctx) {
    const units = channelUnits(config(ctx)).filter((u) => u.enabled);
    if (units.length === 0) return { status: 'pass', message: 'no channel is enabled' };
    return units.map((unit): Verdict => {
      const why = openToUnknownSenders(unit);
      return why
        ? { status: 'fail', subject: unit.label, message: `${unit.label} accepts unknown senders: ${why}` }
        : { status: 'pass', subject: unit.label, message: `${unit.label} denies unknown senders` };
    });
  },
  fix(ctx) {
    const loaded = config(ctx);
    const edits: ConfigEdit[] = channelUnits(loaded)
      .filter((unit) => unit.enabled && openToUnknownSenders(unit) && !unit.allowFrom.includes('*'))
      .flatMap((unit): ConfigEdit[] => {
        if (unit.channel === 'whatsapp') return [{ keyPath: unitKey(unit, 'dropUnauthorized'), value: true }];
        const edits: ConfigEdit[] = [];
        if (unit.dmPolicy === 'open') edits.push({ keyPath: unitKey(unit, 'dmPolicy'), value: 'pairing' });
        if (unit.groupPolicy === 'open') edits.push({ keyPath: unitKey(unit, 'groupPolicy'), value: 'allowlist' });
        return edits;
      });
    const steps = ['A `*` in allowFrom is not removed automatically: see access.allowlists-tight.'];
    return { resources: edits.length > 0 ? [configEdit(ctx.target, loaded.path, edits)] : [], steps };
  },
};

/** Entries that admit more than one known person. */
export function broadEntries(entries: readonly string[]): string[] {
  return entries.filter((entry) => {
    const value = entry.trim().toLowerCase();
    return value === '*' || value.endsWith(':*') || value.startsWith('*@') || value.startsWith('*.') || value.startsWith('@') || /\*/.test(value);
  });
}

/** One allowlist that is too broad, too long, or both. */
export interface AllowlistFinding {
  /** `channels.slack.allowFrom`, `channels.msteams.accounts[Ops].groupAllowFrom`. */
  subject: string;
  enabled: boolean;
  /** Entries admitting more than one known person. */
  broad: string[];
  entries: number;
  /** The bound on entries, when `entries` exceeds it. */
  overBound?: number;
}

export function allowlistFindings(loaded: ConfigFact, maxEntries: number): AllowlistFinding[] {
  const findings: AllowlistFinding[] = [];
  for (const unit of channelUnits(loaded)) {
    for (const [field, entries] of [['allowFrom', unit.allowFrom], ['groupAllowFrom', unit.groupAllowFrom]] as const) {
      if (entries.length === 0) continue;
      const finding: AllowlistFinding = { subject: `${unit.label}.${field}`, enabled: unit.enabled, broad: broadEntries(entries), entries: entries.length };
      if (entries.length > maxEntries) finding.overBound = maxEntries;
      if (finding.broad.length > 0 || finding.overBound !== undefined) findings.push(finding);
    }
  }
  return findings;
}

/** What to do about one finding: only the remedies that fit it. */
function allowlistRemedies(finding: AllowlistFinding): string[] {
  const remedies: string[] = [];
  if (finding.broad.length > 0) remedies.push(`replace ${finding.broad.map((b) => `"${b}"`).join(', ')} with the individual sender ids that need access`);
  if (finding.overBound !== undefined) {
    remedies.push(`cut the ${finding.entries} entries to ${finding.overBound} or fewer by removing senders that no longer need access (or, once every entry is reviewed, raise hardening.allowlistMaxEntries)`);
  }
  return remedies;
}

export const allowlistsTight: Check = {
  id: 'access.allowlists-tight',
  title: 'Allowlists name people, not everyone',
  severity: 'high',
  profiles: ['doctor', 'go-live'],
  rationale: 'A wildcard or a whole-domain entry turns an allowlist into an open door, and a list too long to review hides who has access.',
  runbook: '§4',
  needs: ['config'],
  fixKind: 'guided',
  fixSummary: 'Replace wildcard and domain entries with the individual sender ids that need access; trim a list longer than hardening.allowlistMaxEntries (default 25) to the senders who still need it.',
  run(ctx) {
    const loaded = config(ctx);
    const findings = allowlistFindings(loaded, hardeningOptions(loaded, ctx.options).allowlistMaxEntries);
    if (findings.length === 0) return { status: 'pass', message: 'every allowlist names individual senders' };
    return findings.map((finding): Verdict => {
      const problems = [
        ...(finding.broad.length > 0 ? [`holds ${finding.broad.map((b) => `"${b}"`).join(', ')}`] : []),
        ...(finding.overBound !== undefined ? [`has ${finding.entries} entries (bound ${finding.overBound})`] : []),
      ];
      const disabled = finding.enabled ? '' : ' (the channel is disabled, but would be open once enabled)';
      return { status: finding.enabled ? 'fail' : 'warn', subject: finding.subject, message: `${finding.subject} ${problems.join(' and ')}${disabled}` };
    });
  },
  fix(ctx) {
    const loaded = config(ctx);
    const findings = allowlistFindings(loaded, hardeningOptions(loaded, ctx.options).allowlistMaxEntries);
    const steps = findings.map((finding) => `In ${finding.subject} (${loaded.path}): ${allowlistRemedies(finding).join('; and ')}.`);
    return { resources: [], steps, guidedBecause: 'only the operator knows which senders need access' };
  },
};

const SHARED_SCOPES: Record<string, string> = {
  channel: 'shares one session across every room and account of the channel',
  account: 'shares one session across every room of the account',
  user: 'follows one sender across rooms',
};

export const sessionScope: Check = {
  id: 'access.session-scope',
  title: 'Sessions are scoped to a room',
  severity: 'medium',
  profiles: ['doctor', 'go-live'],
  rationale: 'A session shared across rooms or accounts leaks one tenant\'s conversation into another\'s.',
  runbook: '§4',
  needs: ['config'],
  fixKind: 'auto',
  fixSummary: 'Set sessionScope to room.',
  run(ctx) {
    const units = channelUnits(config(ctx)).filter((u) => u.enabled);
    const verdicts: Verdict[] = units.map((unit) => {
      const scope = unit.sessionScope || 'room';
      const why = SHARED_SCOPES[scope];
      return why
        ? { status: 'fail', subject: unit.label, message: `${unit.label} sessionScope "${scope}" ${why}` }
        : { status: 'pass', subject: unit.label, message: `${unit.label} sessionScope "${scope}"` };
    });
    return verdicts.length > 0 ? verdicts : { status: 'pass', message: 'no channel is enabled' };
  },
  fix(ctx) {
    const loaded = config(ctx);
    const edits = channelUnits(loaded)
      .filter((unit) => unit.enabled && SHARED_SCOPES[unit.sessionScope || 'room'])
      .map((unit) => ({ keyPath: unitKey(unit, 'sessionScope'), value: 'room' }));
    return { resources: edits.length > 0 ? [configEdit(ctx.target, loaded.path, edits)] : [], steps: ['Set sessionScope to room.'] };
  },
};

/** Highest tool tier external senders may reach; KafClaw fixes it at 0, our runtime reads `tools.policy.externalMaxTier`. */
export function externalMaxTier(loaded: ConfigFact): number {
  const value = getPath(loaded.fileConfig, 'tools.policy.externalMaxTier');
  return typeof value === 'number' ? value : 0;
}

export const toolTiering: Check = {
  id: 'access.tool-tiering',
  title: 'External senders reach only read-only tools',
  severity: 'high',
  profiles: ['doctor', 'go-live'],
  rationale: 'Strangers on a channel must not be able to write files or run commands through the agent.',
  runbook: '§4',
  needs: ['config'],
  fixKind: 'guided',
  fixSummary: 'Set tools.policy.externalMaxTier to 0 (read-only).',
  run(ctx) {
    const tier = externalMaxTier(config(ctx));
    if (tier > 0) return { status: 'fail', message: `external senders may use tools up to tier ${tier} (tier 0 is read-only)`, evidence: { externalMaxTier: tier } };
    return { status: 'pass', message: 'external senders are limited to tier 0 (read-only) tools', evidence: { externalMaxTier: tier } };
  },
};

export const accessChecks: readonly Check[] = [defaultDeny, allowlistsTight, sessionScope, toolTiering];
