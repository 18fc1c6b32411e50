import { z } from 'zod';
import { defineKind } from './define.js';
import { absolutePath } from './common.js';

/**
 * The gateway release deploy (schema only for now): the archive from `kafclaw bundle` unpacked into
 * `releases_dir/VERSION`, `current_link` switched atomically, the newest `keep` releases kept.
 */
export const releaseKind = defineKind('release', (v) =>
  z.strictObject({
    archive: z.string().min(1),
    version: z.string().regex(/^[A-Za-z0-9._+-]+$/, 'expected a version such as 0.1.0'),
    releases_dir: v(absolutePath).default('/opt/kafclaw/releases'),
    current_link: v(absolutePath).default('/opt/kafclaw/current'),
    keep: v(z.number().int().min(2)).default(5),
    health_url: z.string().url().optional(),
  }),
);
export type ReleaseParams = z.output<typeof releaseKind.params>;
