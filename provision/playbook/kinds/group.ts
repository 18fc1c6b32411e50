import { z } from 'zod';
import { defineKind } from './define.js';
import { accountName, presence } from './common.js';

export const groupKind = defineKind('group', (v) =>
  z.strictObject({
    name: v(accountName),
    state: v(presence).default('present'),
    system: v(z.boolean()).default(false),
    gid: v(z.number().int().min(0)).optional(),
  }),
);
export type GroupParams = z.output<typeof groupKind.params>;
