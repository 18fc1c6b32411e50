import '../../../lib/validation/zod-setup.js';
import * as z from 'zod/mini';
import { defineKind } from './define.js';
import { unitName } from './common.js';

const serviceName = z.union([unitName, z.string().check(z.regex(/^[A-Za-z0-9:_.@-]+$/, 'expected a service name such as ssh or nftables.service'))]);

/** A unit's run state and enablement; `restarted`/`reloaded` act every time they run (use them as handlers). */
export const serviceKind = defineKind('service', (v) =>
  z
    .strictObject({
      name: v(serviceName),
      state: z.optional(v(z.enum(['started', 'stopped', 'restarted', 'reloaded']))),
      enabled: z.optional(v(z.boolean())),
    })
    .check(z.refine((value) => value.state !== undefined || value.enabled !== undefined, 'give state, enabled or both')),
);
export type ServiceParams = z.output<typeof serviceKind.params>;
