import { randomInt } from 'node:crypto';

/** One entry of KafClaw's `pairing_pending_v1` setting. */
export interface PendingPairing {
  channel: string;
  sender_id: string;
  code: string;
  created_at: string;
  expires_at: string;
}

export const PAIRING_SETTING = 'pairing_pending_v1';
export const PAIRING_TTL_MS = 60 * 60_000;
export const MAX_PENDING = 3;
/** A–Z and 2–9 without the look-alikes I, O, 0 and 1. */
export const PAIRING_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
export const PAIRING_CODE_LENGTH = 8;

export function generatePairingCode(): string {
  let code = '';
  for (let i = 0; i < PAIRING_CODE_LENGTH; i++) code += PAIRING_ALPHABET[randomInt(PAIRING_ALPHABET.length)];
  return code;
}

/** The stored list, tolerating a missing or damaged setting (treated as empty). Pure. */
export function parsePending(value: string | null): PendingPairing[] {
  if (!value) return [];
  try {
    const parsed: unknown = JSON.parse(value);
    if (!Array.isArray(parsed)) return [];
    return parsed.filter(
      (entry): entry is PendingPairing =>
        typeof entry === 'object' && entry !== null &&
        ['channel', 'sender_id', 'code', 'created_at', 'expires_at'].every((key) => typeof (entry as Record<string, unknown>)[key] === 'string'),
    );
  } catch {
    return [];
  }
}

/**
 * The pending list after a pairing request from `sender` on `channel`: expired entries dropped, an
 * existing entry for the same sender reused (so retries do not mint codes), otherwise a new entry
 * appended and the oldest evicted beyond MAX_PENDING. Pure apart from `newCode`.
 */
export function requestPairing(
  pending: readonly PendingPairing[],
  channel: string,
  sender: string,
  now: Date,
  newCode: () => string = generatePairingCode,
): { pending: PendingPairing[]; entry: PendingPairing; created: boolean } {
  const live = pending.filter((entry) => Date.parse(entry.expires_at) > now.getTime());
  const existing = live.find((entry) => entry.channel === channel && entry.sender_id === sender);
  if (existing) return { pending: live, entry: existing, created: false };
  let code = newCode();
  while (live.some((entry) => entry.code === code)) code = newCode();
  const entry: PendingPairing = {
    channel,
    sender_id: sender,
    code,
    created_at: now.toISOString(),
    expires_at: new Date(now.getTime() + PAIRING_TTL_MS).toISOString(),
  };
  const next = [...live, entry].sort((a, b) => a.created_at.localeCompare(b.created_at));
  return { pending: next.slice(Math.max(0, next.length - MAX_PENDING)), entry, created: true };
}

export function pairingReply(channel: string, code: string): string {
  return (
    `KafClaw: access not configured for you on ${channel}. Pairing code: ${code} (valid for 1 hour). ` +
    `Ask the operator to run: kafclaw pairing approve ${channel} ${code}`
  );
}
