import type { SessionScope } from '../settings.js';

export interface SessionAddress {
  channel: string;
  accountId?: string;
  chatId?: string;
  threadId?: string;
  senderId: string;
}

/** KafClaw's session key for a scope (facts §5.4); `room` is the default and the fallback. Pure. */
export function sessionKey(scope: SessionScope, address: SessionAddress): string {
  const account = (address.accountId?.trim() || 'default').toLowerCase();
  const chat = address.chatId?.trim() || address.senderId;
  const room = `${address.channel}:${account}:${chat}`;
  switch (scope) {
    case 'channel':
      return address.channel;
    case 'account':
      return `${address.channel}:${account}`;
    case 'thread':
      return address.threadId?.trim() ? `${room}:${address.threadId.trim()}` : room;
    case 'user':
      return `${address.channel}:${account}:${address.senderId || chat}`;
    default:
      return room;
  }
}
