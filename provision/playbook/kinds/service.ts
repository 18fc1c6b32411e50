import { z } from 'zod';
import { defineKind } from './define.js';
import { unitName } from './common.js';

const serviceName = z.union([unitName, z.string().regex(/^[A-Za-z0-9:_.@-]+$/, 'expected a service name such as ssh or nftables.service')]);

/** A unit's run state and enablement; `restarted`/`reloaded` act every time they run (use them as handlers). */
export const serviceKind = defineKind('service', (v) =>
  z
    .strictObject({
      name: v(serviceName),
      state: v(z.enum(['started', 'stopped', 'restarted', 'reloaded'])).optional(),
      enabled: v(z.boolean()).optional(),
    })
    .refine((value) => value.state !== undefined || value.enabled !== undefined, 'give state, enabled or both'),
);
export type ServiceParams = z.output<typeof serviceKind.params>;
