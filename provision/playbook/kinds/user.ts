import { z } from 'zod';
import { defineKind } from './define.js';
import { absolutePath, accountName, presence } from './common.js';

/** A local account. `groups` is the exact list of supplementary groups unless `append` is true. */
export const userKind = defineKind('user', (v) =>
  z.strictObject({
    name: v(accountName),
    state: v(presence).default('present'),
    system: v(z.boolean()).default(false),
    uid: v(z.number().int().min(0)).optional(),
    group: v(accountName).optional(),
    groups: v(z.array(v(accountName))).optional(),
    append: v(z.boolean()).default(false),
    home: v(absolutePath).optional(),
    create_home: v(z.boolean()).default(true),
    shell: v(absolutePath).optional(),
    password_locked: v(z.boolean()).default(true),
    comment: z.string().optional(),
  }),
);
export type UserParams = z.output<typeof userKind.params>;
