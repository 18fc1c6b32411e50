import '../../../lib/validation/zod-setup.js';
import * as z from 'zod/mini';
import { defineKind } from './define.js';
import { absolutePath, accountName } from './common.js';

/** One public key line: `type base64 [comment]`, no line breaks. */
const publicKey = z
  .string()
  .check(
    z.regex(/^(?:[^\s]+\s+)?(ssh-(rsa|ed25519|dss)|ecdsa-sha2-nistp(256|384|521)|sk-ssh-ed25519@openssh\.com|sk-ecdsa-sha2-nistp256@openssh\.com)\s+[A-Za-z0-9+/=]+(\s.*)?$/, 'expected one public key line such as "ssh-ed25519 AAAA… comment"'),
    z.refine((line) => !/[\r\n]/.test(line), 'one key per entry: no line breaks'),
  );

/** `~USER/.ssh/authorized_keys` holding exactly `keys` (or at least them, when `exclusive` is false). */
export const authorizedKeysKind = defineKind('authorized_keys', (v) =>
  z.strictObject({
    user: v(accountName),
    keys: v(z.array(v(publicKey)).check(z.minLength(1))),
    exclusive: z._default(v(z.boolean()), true),
    path: z.optional(v(absolutePath)),
  }),
);
export type AuthorizedKeysParams = z.output<typeof authorizedKeysKind.params>;
