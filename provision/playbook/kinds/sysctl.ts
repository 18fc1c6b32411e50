import '../../../lib/validation/zod-setup.js';
import * as z from 'zod/mini';
import { defineKind } from './define.js';
import { absolutePath } from './common.js';

/** A kernel parameter, set now and persisted in a sysctl.d file. */
export const sysctlKind = defineKind('sysctl', (v) =>
  z.strictObject({
    name: v(z.string().check(z.regex(/^[a-z0-9_]+([./][a-z0-9_*-]+)+$/, 'expected a sysctl key such as net.ipv4.ip_forward'))),
    value: v(z.union([z.string().check(z.minLength(1)), z.number().check(z.int())])),
    file: z._default(v(absolutePath), '/etc/sysctl.d/90-kafclaw.conf'),
  }),
);
export type SysctlParams = z.output<typeof sysctlKind.params>;
