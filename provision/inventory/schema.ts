import { z } from 'zod';
import { connectionVarsSchema } from './connection.js';

/** A group in an Ansible YAML inventory: `hosts`, `vars`, `children`; every part may be empty. */
export interface GroupInput {
  hosts?: Record<string, Record<string, unknown> | null> | null;
  vars?: Record<string, unknown> | null;
  children?: Record<string, GroupInput | null> | null;
}

export const groupSchema: z.ZodType<GroupInput> = z.lazy(() =>
  z.strictObject({
    hosts: z.record(z.string(), connectionVarsSchema.nullable()).nullable().optional(),
    vars: connectionVarsSchema.nullable().optional(),
    children: z.record(z.string(), groupSchema.nullable()).nullable().optional(),
  }),
);

/** The whole file: top-level groups (usually just `all`). */
export const inventorySchema = z.record(z.string(), groupSchema.nullable());
