import { z } from 'zod';
import { defineKind } from './define.js';

/** `/etc/systemd/journald.conf.d/NAME.conf`, section `[Journal]`: setting → value. */
export const journaldKind = defineKind('journald', (v) =>
  z.strictObject({
    name: v(z.string().regex(/^[A-Za-z0-9_-]+$/)).default('10-kafclaw'),
    settings: v(
      z
        .record(z.string().regex(/^[A-Z][A-Za-z]+$/, 'expected a journald setting such as MaxRetentionSec'), v(z.union([z.string().min(1), z.number().int(), z.boolean()])))
        .refine((map) => Object.keys(map).length > 0, 'settings must hold at least one setting'),
    ),
  }),
);
export type JournaldParams = z.output<typeof journaldKind.params>;
