import '../../../lib/validation/zod-setup.js';
import * as z from 'zod/mini';
import { defineKind } from './define.js';
import { absolutePath, accountName, presence } from './common.js';

/** A local account. `groups` is the exact list of supplementary groups unless `append` is true. */
export const userKind = defineKind('user', (v) =>
  z.strictObject({
    name: v(accountName),
    state: z._default(v(presence), 'present'),
    system: z._default(v(z.boolean()), false),
    uid: z.optional(v(z.number().check(z.int(), z.gte(0)))),
    group: z.optional(v(accountName)),
    groups: z.optional(v(z.array(v(accountName)))),
    append: z._default(v(z.boolean()), false),
    home: z.optional(v(absolutePath)),
    create_home: z._default(v(z.boolean()), true),
    shell: z.optional(v(absolutePath)),
    password_locked: z._default(v(z.boolean()), true),
    comment: z.optional(z.string()),
  }),
);
export type UserParams = z.output<typeof userKind.params>;
