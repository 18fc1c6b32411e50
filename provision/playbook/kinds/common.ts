import { homedir } from 'node:os';
import { join } from 'node:path';
import '../../../lib/validation/zod-setup.js';
import * as z from 'zod/mini';

/** An absolute path without `..` segments. */
export const absolutePath = z.string().check(
  z.minLength(1),
  z.refine((path) => path.startsWith('/'), 'must be an absolute path (starting with /)'),
  z.refine((path) => !path.split('/').includes('..'), 'must not contain ".." segments'),
  z.refine((path) => !path.includes('\0'), 'must not contain a NUL byte'),
);

/** A user or group name as useradd accepts it. */
export const accountName = z
  .string()
  .check(z.regex(/^[a-z_][a-z0-9_-]*\$?$/, 'expected a user or group name (lowercase letters, digits, _ and -, at most 32 characters)'), z.maxLength(32));

/**
 * A file mode as a quoted octal string ('0640', '640'), parsed to a number. An unquoted 0640 is
 * refused: YAML 1.2 reads it as the decimal number 640.
 */
export const fileMode = z.pipe(
  z
    .string({ error: (issue) => (issue.input === undefined ? undefined : "a mode is a quoted octal string such as '0640': unquoted, YAML 1.2 reads 0640 as the decimal number 640") })
    .check(z.regex(/^0?[0-7]{3,4}$/, "expected an octal mode such as '0640'")),
  z.transform((text: string) => parseInt(text, 8)),
);

export const presence = z.enum(['present', 'absent']);

/** A systemd unit name with its suffix. */
export const unitName = z.string().check(z.regex(/^[A-Za-z0-9:_.@-]+\.(service|timer|socket|target|path|mount)$/, 'expected a unit name with its type, such as kafclaw-gateway.service'));

/** An environment variable name. */
export const envName = z.string().check(z.regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'expected an environment variable name (letters, digits and _)'));

/** An IPv4 or IPv6 address or CIDR. */
export const cidr = z.string().check(
  z.refine(
    (text) => /^(\d{1,3}\.){3}\d{1,3}(\/\d{1,2})?$/.test(text) || (/^[0-9a-fA-F:]+(\/\d{1,3})?$/.test(text) && text.includes(':')),
    'expected an IPv4 or IPv6 address or CIDR such as 10.0.0.0/8 or ::/0',
  ),
);

export const port = z.number().check(z.int(), z.gte(1), z.lte(65535));

/** Exactly one of the given keys must be present. */
export function exactlyOne(keys: readonly string[]) {
  return (value: Record<string, unknown>, ctx: z.core.$RefinementCtx) => {
    const present = keys.filter((key) => value[key] !== undefined);
    if (present.length !== 1) ctx.addIssue({ code: 'custom', message: present.length === 0 ? `give one of: ${keys.join(', ')}` : `give only one of ${present.join(' and ')}` });
  };
}

/** A path on the controller (the machine running kafclaw): absolute, or `~/…` under the controller user's home. */
export const controllerPath = z.pipe(
  z.string().check(
    z.minLength(1),
    z.refine((path) => path.startsWith('/') || path.startsWith('~/'), 'must be an absolute path or start with ~/ (a directory on the controller)'),
    z.refine((path) => !path.split('/').includes('..'), 'must not contain ".." segments'),
    z.refine((path) => !path.includes('\0'), 'must not contain a NUL byte'),
  ),
  z.transform((path: string) => (path.startsWith('~/') ? join(process.env.HOME || homedir(), path.slice(2)) : path)),
);
