import '../../lib/validation/zod-setup.js';
import * as z from 'zod/mini';
import type { SecretReference } from '../secrets/reference.js';
import { parseSecretReference } from '../secrets/reference.js';

/**
 * The connection variables we read, wherever they are set (group or host vars). Every other key,
 * including `ansible_*` keys we do not use, stays a plain variable.
 */
export const connectionVarsSchema = z.looseObject({
  ansible_host: z.optional(z.string().check(z.minLength(1))),
  ansible_user: z.optional(z.string().check(z.minLength(1))),
  ansible_port: z.optional(z.number().check(z.int(), z.gte(1), z.lte(65535))),
  ansible_ssh_private_key_file: z.optional(z.string().check(z.minLength(1))),
  ansible_become: z.optional(z.boolean()),
  /** Checked as a secret reference by the literal-secret rule. */
  ansible_become_password: z.optional(z.string()),
  /** The account to log in with when `ansible_user` cannot log in yet (first run on a fresh host). */
  bootstrap_user: z.optional(z.string().check(z.minLength(1))),
  /** known_hosts file for host key verification. */
  known_hosts_file: z.optional(z.string().check(z.minLength(1))),
});

export interface Connection {
  /** Address to connect to: `ansible_host`, else the inventory name. */
  host: string;
  port: number;
  user: string | undefined;
  privateKeyFile: string | undefined;
  /** `ansible_become` as written; undefined means "sudo when the login is not root". */
  become: boolean | undefined;
  becomePassword: SecretReference | undefined;
  bootstrapUser: string | undefined;
  knownHostsFile: string | undefined;
}

/** Connection settings from a host's effective variables (already validated). */
export function connectionFromVars(name: string, vars: Record<string, unknown>): Connection {
  const parsed = connectionVarsSchema.parse(vars);
  return {
    host: parsed.ansible_host ?? name,
    port: parsed.ansible_port ?? 22,
    user: parsed.ansible_user,
    privateKeyFile: parsed.ansible_ssh_private_key_file,
    become: parsed.ansible_become,
    becomePassword: parsed.ansible_become_password === undefined ? undefined : (parseSecretReference(parsed.ansible_become_password) ?? undefined),
    bootstrapUser: parsed.bootstrap_user,
    knownHostsFile: parsed.known_hosts_file,
  };
}
