import { z } from 'zod';
import { defineKind } from './define.js';
import { unitName } from './common.js';

/** A `.timer` unit for a service: written, enabled and started. */
export const timerKind = defineKind('timer', (v) =>
  z.strictObject({
    name: v(z.string().regex(/^[A-Za-z0-9:_.@-]+\.timer$/, 'expected a timer name such as kafclaw-backup.timer')),
    unit: v(unitName),
    on_calendar: z.string().min(1),
    persistent: v(z.boolean()).default(true),
    randomized_delay_sec: z.string().optional(),
    description: z.string().optional(),
    enabled: v(z.boolean()).default(true),
    state: v(z.enum(['started', 'stopped'])).default('started'),
  }),
);
export type TimerParams = z.output<typeof timerKind.params>;
