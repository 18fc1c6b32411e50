import { z } from 'zod';
import { defineKind } from './define.js';
import { exactlyOne, presence, unitName } from './common.js';

/** `/etc/systemd/system/NAME` from `content` or `template`; a change triggers one daemon-reload. */
export const systemdUnitKind = defineKind('systemd_unit', (v) =>
  z
    .strictObject({
      name: v(unitName),
      content: z.string().min(1).optional(),
      template: z.string().min(1).optional(),
      state: v(presence).default('present'),
    })
    .superRefine((value, ctx) => {
      if (value.state !== 'absent') exactlyOne(['content', 'template'])(value, ctx);
    }),
);
export type SystemdUnitParams = z.output<typeof systemdUnitKind.params>;
