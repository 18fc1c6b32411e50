import '../../../lib/validation/zod-setup.js';
import * as z from 'zod/mini';
import { defineKind } from './define.js';
import { exactlyOne, presence, unitName } from './common.js';

/** `/etc/systemd/system/NAME` from `content` or `template`; a change triggers one daemon-reload. */
export const systemdUnitKind = defineKind('systemd_unit', (v) =>
  z
    .strictObject({
      name: v(unitName),
      content: z.optional(z.string().check(z.minLength(1))),
      template: z.optional(z.string().check(z.minLength(1))),
      state: z._default(v(presence), 'present'),
    })
    .check(
      z.superRefine((value, ctx) => {
        if (value.state !== 'absent') exactlyOne(['content', 'template'])(value, ctx);
      }),
    ),
);
export type SystemdUnitParams = z.output<typeof systemdUnitKind.params>;
