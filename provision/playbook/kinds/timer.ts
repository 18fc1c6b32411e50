import '../../../lib/validation/zod-setup.js';
import * as z from 'zod/mini';
import { defineKind } from './define.js';
import { unitName } from './common.js';

/** A `.timer` unit for a service: written, enabled and started. */
export const timerKind = defineKind('timer', (v) =>
  z.strictObject({
    name: v(z.string().check(z.regex(/^[A-Za-z0-9:_.@-]+\.timer$/, 'expected a timer name such as kafclaw-backup.timer'))),
    unit: v(unitName),
    on_calendar: z.string().check(z.minLength(1)),
    persistent: z._default(v(z.boolean()), true),
    randomized_delay_sec: z.optional(z.string()),
    description: z.optional(z.string()),
    enabled: z._default(v(z.boolean()), true),
    state: z._default(v(z.enum(['started', 'stopped'])), 'started'),
  }),
);
export type TimerParams = z.output<typeof timerKind.params>;
