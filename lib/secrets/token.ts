import { randomBytes } from 'node:crypto';
import { Secret } from './secret.js';

export const TOKEN_BYTES = 32;

/** A new gateway token: 32 random bytes, hex encoded (64 characters), as KafClaw generates them. */
export function generateToken(source = 'generated'): Secret {
  return new Secret(randomBytes(TOKEN_BYTES).toString('hex'), source);
}
