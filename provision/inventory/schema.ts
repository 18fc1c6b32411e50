import '../../lib/validation/zod-setup.js';
import * as z from 'zod/mini';
import { connectionVarsSchema } from './connection.js';

/** A group in an Ansible YAML inventory: `hosts`, `vars`, `children`; every part may be empty. */
export interface GroupInput {
  hosts?: Record<string, Record<string, unknown> | null> | null;
  vars?: Record<string, unknown> | null;
  children?: Record<string, GroupInput | null> | null;
}

export const groupSchema: z.ZodMiniType<GroupInput> = z.lazy(() =>
  z.strictObject({
    hosts: z.optional(z.nullable(z.record(z.string(), z.nullable(connectionVarsSchema)))),
    vars: z.optional(z.nullable(connectionVarsSchema)),
    children: z.optional(z.nullable(z.record(z.string(), z.nullable(groupSchema)))),
  }),
);

/** The whole file: top-level groups (usually just `all`). */
export const inventorySchema = z.record(z.string(), z.nullable(groupSchema));
