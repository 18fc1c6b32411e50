import type { ConfigFact } from './config-fact.js';
import { getPath } from './json-path.js';

/** One channel or one channel account, with the policy fields the access checks judge. */
export interface ChannelUnit {
  channel: 'whatsapp' | 'slack' | 'msteams';
  /** Undefined for the channel's top level. */
  account?: string;
  /** Key path of this unit in config.json, e.g. ['channels', 'slack', 'accounts', '0']. */
  keyPath: string[];
  label: string;
  enabled: boolean;
  dmPolicy?: string;
  groupPolicy?: string;
  allowFrom: string[];
  groupAllowFrom: string[];
  sessionScope?: string;
  dropUnauthorized?: boolean;
}

const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);
const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** Channels and accounts as KafClaw routes them: an account's empty fields inherit from the channel. */
export function channelUnits(loaded: ConfigFact): ChannelUnit[] {
  const units: ChannelUnit[] = [];
  for (const channel of ['whatsapp', 'slack', 'msteams'] as const) {
    const top = getPath(loaded.config, ['channels', channel]);
    if (!top || typeof top !== 'object') continue;
    const base: ChannelUnit = {
      channel,
      keyPath: ['channels', channel],
      label: `channels.${channel}`,
      enabled: getPath(top, 'enabled') === true,
      allowFrom: strings(getPath(top, 'allowFrom')),
      groupAllowFrom: strings(getPath(top, 'groupAllowFrom')),
    };
    const dmPolicy = text(getPath(top, 'dmPolicy'));
    const groupPolicy = text(getPath(top, 'groupPolicy'));
    const sessionScope = text(getPath(top, 'sessionScope'));
    const drop = getPath(top, 'dropUnauthorized');
    if (dmPolicy !== undefined) base.dmPolicy = dmPolicy;
    if (groupPolicy !== undefined) base.groupPolicy = groupPolicy;
    if (sessionScope !== undefined) base.sessionScope = sessionScope;
    if (typeof drop === 'boolean') base.dropUnauthorized = drop;
    units.push(base);
    const accounts = getPath(top, 'accounts');
    if (!Array.isArray(accounts)) continue;
    accounts.forEach((account: unknown, index) => {
      // As written, so the operator finds it in config.json; KafClaw routes by its lower-cased form.
      const id = text(getPath(account, 'id')) || 'default';
      const unit: ChannelUnit = {
        ...base,
        account: id,
        keyPath: ['channels', channel, 'accounts', String(index)],
        label: `channels.${channel}.accounts[${id}]`,
        enabled: getPath(account, 'enabled') === true,
      };
      const own = {
        dmPolicy: text(getPath(account, 'dmPolicy')),
        groupPolicy: text(getPath(account, 'groupPolicy')),
        sessionScope: text(getPath(account, 'sessionScope')),
      };
      for (const [key, value] of Object.entries(own)) if (value) (unit as unknown as Record<string, string>)[key] = value;
      const allow = strings(getPath(account, 'allowFrom'));
      const groupAllow = strings(getPath(account, 'groupAllowFrom'));
      if (allow.length > 0) unit.allowFrom = allow;
      if (groupAllow.length > 0) unit.groupAllowFrom = groupAllow;
      units.push(unit);
    });
  }
  return units;
}

/** The key path to set a field of a unit, as it sits in config.json. */
export function unitKey(unit: ChannelUnit, field: string): string[] {
  return [...unit.keyPath, field];
}
