import '../../../lib/validation/zod-setup.js';
import * as z from 'zod/mini';
import { defineKind } from './define.js';
import { accountName, fileMode } from './common.js';

const rule = (v: Parameters<Parameters<typeof defineKind>[1]>[0]) =>
  z
    .strictObject({
      users: z.optional(v(z.array(v(accountName)).check(z.minLength(1)))),
      groups: z.optional(v(z.array(v(accountName)).check(z.minLength(1)))),
      runas: z._default(z.string().check(z.minLength(1)), 'ALL:ALL'),
      nopasswd: z._default(v(z.boolean()), false),
      commands: z._default(v(z.array(z.string().check(z.minLength(1))).check(z.minLength(1))), ['ALL']),
    })
    .check(z.refine((r) => r.users !== undefined || r.groups !== undefined, 'a rule needs users or groups'));

/**
 * `/etc/sudoers.d/NAME`, validated with `visudo -cf` before it is moved into place. The name has no
 * dot: sudo skips files in sudoers.d whose name contains one.
 */
export const sudoersKind = defineKind('sudoers', (v) =>
  z.strictObject({
    name: v(z.string().check(z.regex(/^[A-Za-z0-9_-]+$/, 'expected a file name of letters, digits, _ and - (sudo ignores names with a dot)'))),
    rules: v(z.array(rule(v)).check(z.minLength(1))),
    mode: z.prefault(v(fileMode), '0440'),
  }),
);
export type SudoersParams = z.output<typeof sudoersKind.params>;
