import { z } from 'zod';
import { defineKind } from './define.js';
import { fileMode } from './common.js';

const setting = z.union([z.string().min(1), z.number().int(), z.boolean(), z.array(z.string().min(1)).min(1)]);

/**
 * `/etc/ssh/sshd_config.d/NAME.conf`: keyword → value (booleans written yes/no, lists space-joined),
 * checked with `sshd -t` before sshd is reloaded.
 */
export const sshdConfigKind = defineKind('sshd_config', (v) =>
  z.strictObject({
    name: v(z.string().regex(/^[A-Za-z0-9_-]+$/, 'expected a drop-in name such as 10-kafclaw')).default('10-kafclaw'),
    settings: v(z.record(z.string().regex(/^[A-Za-z][A-Za-z0-9]*$/, 'expected an sshd keyword such as PermitRootLogin'), v(setting)).refine((map) => Object.keys(map).length > 0, 'settings must hold at least one keyword')),
    mode: v(fileMode).prefault('0600'),
  }),
);
export type SshdConfigParams = z.output<typeof sshdConfigKind.params>;
