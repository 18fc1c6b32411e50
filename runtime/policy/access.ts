import type { ChannelPolicy } from '../settings.js';

export interface InboundSender {
  channel: string;
  senderId: string;
  isGroup: boolean;
  wasMentioned: boolean;
}

export interface AccessDecision {
  allowed: boolean;
  reason: string;
  /** Unknown direct-message sender under the pairing policy: offer a pairing code. */
  requiresPairing: boolean;
}

const CHANNEL_PREFIXES: Record<string, readonly string[]> = {
  slack: ['slack:'],
  msteams: ['msteams:', 'teams:'],
  whatsapp: ['whatsapp:'],
};

/** KafClaw's allowlist normalisation: lower-case, channel prefix and `user:` stripped. Pure. */
export function normalizeSender(channel: string, sender: string): string {
  let value = sender.trim().toLowerCase();
  for (const prefix of CHANNEL_PREFIXES[channel] ?? [`${channel}:`]) {
    if (value.startsWith(prefix)) {
      value = value.slice(prefix.length);
      break;
    }
  }
  if (value.startsWith('user:')) value = value.slice('user:'.length);
  return value;
}

function listed(channel: string, sender: string, list: readonly string[]): boolean {
  return list.some((entry) => entry.trim() === '*' || normalizeSender(channel, entry) === sender);
}

const allow = (reason: string): AccessDecision => ({ allowed: true, reason, requiresPairing: false });
const deny = (reason: string, requiresPairing = false): AccessDecision => ({ allowed: false, reason, requiresPairing });

/**
 * Who may talk to the agent through a channel (facts §5.3), default-deny. Unlike KafClaw, a
 * disabled channel denies everything, and an unknown policy value can never allow.
 */
export function evaluateAccess(policy: ChannelPolicy, message: InboundSender): AccessDecision {
  if (!policy.enabled) return deny('channel_disabled');
  const sender = normalizeSender(message.channel, message.senderId);
  if (sender.length === 0) return deny('missing_sender_id');
  if (message.isGroup) {
    if (policy.requireMention && !message.wasMentioned) return deny('mention_required');
    switch (policy.groupPolicy) {
      case 'open':
        return allow('group_open');
      case 'allowlist': {
        const list = policy.groupAllowFrom.length > 0 ? policy.groupAllowFrom : policy.allowFrom;
        return listed(message.channel, sender, list) ? allow('group_allowlist_match') : deny('group_allowlist_block');
      }
      case 'disabled':
        return deny('group_disabled');
      default:
        return deny('invalid_group_policy');
    }
  }
  switch (policy.dmPolicy) {
    case 'open':
      return allow('dm_open');
    case 'allowlist':
      return listed(message.channel, sender, policy.allowFrom) ? allow('allowlist_match') : deny('allowlist_block');
    case 'pairing':
      return listed(message.channel, sender, policy.allowFrom) ? allow('allowlist_match') : deny('pairing_required', true);
    case 'disabled':
      return deny('dm_disabled');
    default:
      return deny('invalid_dm_policy');
  }
}
