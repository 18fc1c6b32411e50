import '../../../lib/validation/zod-setup.js';
import * as z from 'zod/mini';
import { defineKind } from './define.js';
import { accountName, presence } from './common.js';

export const groupKind = defineKind('group', (v) =>
  z.strictObject({
    name: v(accountName),
    state: z._default(v(presence), 'present'),
    system: z._default(v(z.boolean()), false),
    gid: z.optional(v(z.number().check(z.int(), z.gte(0)))),
  }),
);
export type GroupParams = z.output<typeof groupKind.params>;
