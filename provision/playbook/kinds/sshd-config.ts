import '../../../lib/validation/zod-setup.js';
import * as z from 'zod/mini';
import { defineKind } from './define.js';
import { fileMode } from './common.js';

const setting = z.union([z.string().check(z.minLength(1)), z.number().check(z.int()), z.boolean(), z.array(z.string().check(z.minLength(1))).check(z.minLength(1))]);

/**
 * `/etc/ssh/sshd_config.d/NAME.conf`: keyword → value (booleans written yes/no, lists space-joined),
 * checked with `sshd -t` before sshd is reloaded.
 */
export const sshdConfigKind = defineKind('sshd_config', (v) =>
  z.strictObject({
    name: z._default(v(z.string().check(z.regex(/^[A-Za-z0-9_-]+$/, 'expected a drop-in name such as 10-kafclaw'))), '10-kafclaw'),
    settings: v(
      z
        .record(z.string().check(z.regex(/^[A-Za-z][A-Za-z0-9]*$/, 'expected an sshd keyword such as PermitRootLogin')), v(setting))
        .check(z.refine((map) => Object.keys(map).length > 0, 'settings must hold at least one keyword')),
    ),
    mode: z.prefault(v(fileMode), '0600'),
  }),
);
export type SshdConfigParams = z.output<typeof sshdConfigKind.params>;
