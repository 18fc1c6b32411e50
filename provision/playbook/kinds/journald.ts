import '../../../lib/validation/zod-setup.js';
import * as z from 'zod/mini';
import { defineKind } from './define.js';

/** `/etc/systemd/journald.conf.d/NAME.conf`, section `[Journal]`: setting → value. */
export const journaldKind = defineKind('journald', (v) =>
  z.strictObject({
    name: z._default(v(z.string().check(z.regex(/^[A-Za-z0-9_-]+$/))), '10-kafclaw'),
    settings: v(
      z
        .record(
          z.string().check(z.regex(/^[A-Z][A-Za-z]+$/, 'expected a journald setting such as MaxRetentionSec')),
          v(z.union([z.string().check(z.minLength(1)), z.number().check(z.int()), z.boolean()])),
        )
        .check(z.refine((map) => Object.keys(map).length > 0, 'settings must hold at least one setting')),
    ),
  }),
);
export type JournaldParams = z.output<typeof journaldKind.params>;
