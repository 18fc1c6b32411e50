import { z } from 'zod';
import { defineKind } from './define.js';
import { absolutePath } from './common.js';

/** A kernel parameter, set now and persisted in a sysctl.d file. */
export const sysctlKind = defineKind('sysctl', (v) =>
  z.strictObject({
    name: v(z.string().regex(/^[a-z0-9_]+([./][a-z0-9_*-]+)+$/, 'expected a sysctl key such as net.ipv4.ip_forward')),
    value: v(z.union([z.string().min(1), z.number().int()])),
    file: v(absolutePath).default('/etc/sysctl.d/90-kafclaw.conf'),
  }),
);
export type SysctlParams = z.output<typeof sysctlKind.params>;
