import { CREDENTIAL_FORMATS, scrub } from '../../lib/secrets/index.js';

const FORMATS = CREDENTIAL_FORMATS.map((format) => new RegExp(format.pattern.source, 'g'));

/**
 * Text a tool produced, before it reaches the agent or a database row: every secret value this
 * process knows (gateway tokens, provider keys) and anything shaped like a known credential
 * becomes `(secret)`.
 */
export function redactSecrets(text: string): string {
  let out = scrub(text);
  for (const pattern of FORMATS) out = out.replace(pattern, '(secret)');
  return out;
}

/** At most `maxBytes` of UTF-8, cut on a character boundary. */
export function capUtf8(text: string, maxBytes: number): { text: string; truncated: boolean } {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= maxBytes) return { text, truncated: false };
  let end = maxBytes;
  // step back over continuation bytes (10xxxxxx) so no character is split
  while (end > 0 && (bytes[end]! & 0xc0) === 0x80) end--;
  return { text: bytes.subarray(0, end).toString('utf8'), truncated: true };
}
