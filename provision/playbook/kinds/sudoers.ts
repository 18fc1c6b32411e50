import { z } from 'zod';
import { defineKind } from './define.js';
import { accountName, fileMode } from './common.js';

const rule = (v: Parameters<Parameters<typeof defineKind>[1]>[0]) =>
  z
    .strictObject({
      users: v(z.array(v(accountName)).min(1)).optional(),
      groups: v(z.array(v(accountName)).min(1)).optional(),
      runas: z.string().min(1).default('ALL:ALL'),
      nopasswd: v(z.boolean()).default(false),
      commands: v(z.array(z.string().min(1)).min(1)).default(['ALL']),
    })
    .refine((r) => r.users !== undefined || r.groups !== undefined, 'a rule needs users or groups');

/**
 * `/etc/sudoers.d/NAME`, validated with `visudo -cf` before it is moved into place. The name has no
 * dot: sudo skips files in sudoers.d whose name contains one.
 */
export const sudoersKind = defineKind('sudoers', (v) =>
  z.strictObject({
    name: v(z.string().regex(/^[A-Za-z0-9_-]+$/, 'expected a file name of letters, digits, _ and - (sudo ignores names with a dot)')),
    rules: v(z.array(rule(v)).min(1)),
    mode: v(fileMode).prefault('0440'),
  }),
);
export type SudoersParams = z.output<typeof sudoersKind.params>;
