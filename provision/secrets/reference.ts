import '../../lib/validation/zod-setup.js';
import * as z from 'zod/mini';

/**
 * Where a secret comes from; never the secret itself. Three forms:
 * - `env:NAME`      the controller's environment variable NAME
 * - `file:PATH`     a file on the controller (0600 or 0400, owned by the invoking user); trailing newline trimmed
 * - `command:CMD`   the trimmed standard output of `/bin/sh -c CMD` (a secret manager's CLI)
 */
export type SecretReference =
  | { kind: 'env'; name: string; text: string }
  | { kind: 'file'; path: string; text: string }
  | { kind: 'command'; command: string; text: string };

export const SECRET_REFERENCE_HELP = 'write a reference instead: env:NAME, file:PATH or command:CMD';

/** The reference in `text`, or null when it is not one (a literal). */
export function parseSecretReference(text: string): SecretReference | null {
  const env = /^env:([A-Za-z_][A-Za-z0-9_]*)$/.exec(text);
  if (env) return { kind: 'env', name: env[1]!, text };
  if (text.startsWith('file:') && text.length > 'file:'.length) return { kind: 'file', path: text.slice('file:'.length), text };
  if (text.startsWith('command:') && text.slice('command:'.length).trim().length > 0) {
    return { kind: 'command', command: text.slice('command:'.length).trim(), text };
  }
  return null;
}

export function isSecretReference(value: unknown): value is string {
  return typeof value === 'string' && parseSecretReference(value) !== null;
}

/**
 * How a reference is shown in messages and as a Secret's source. A command line may itself carry a
 * credential (`curl -H 'Authorization: …'`), so only its program name is shown.
 */
export function describeReference(reference: SecretReference): string {
  if (reference.kind !== 'command') return reference.text;
  const program = reference.command.split(/\s+/)[0]!;
  return program === reference.command ? `command:${program}` : `command:${program} …`;
}

/** The error for a literal (or a malformed reference) where a secret belongs; never shows the value. */
export function literalSecretMessage(value: unknown): string {
  if (typeof value === 'string' && /^(env|file|command):/.test(value)) {
    return `malformed secret reference (env:NAME needs a variable name, file: a path, command: a command); ${SECRET_REFERENCE_HELP}`;
  }
  if (typeof value !== 'string') return `expected a secret reference, got a ${value === null ? 'null' : Array.isArray(value) ? 'list' : typeof value}; ${SECRET_REFERENCE_HELP}`;
  return `a secret is not allowed as a literal here; ${SECRET_REFERENCE_HELP}`;
}

/** A string that must be a reference; parses to a SecretReference. */
const toReference: z.ZodMiniTransform<SecretReference, string> = z.transform((text: string, payload): SecretReference => {
  const reference = parseSecretReference(text);
  if (!reference) {
    payload.issues.push({ code: 'custom', message: literalSecretMessage(text), input: text, inst: toReference });
    return z.NEVER;
  }
  return reference;
});
export const secretReferenceSchema = z.pipe(z.string(), toReference);
