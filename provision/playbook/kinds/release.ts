import '../../../lib/validation/zod-setup.js';
import * as z from 'zod/mini';
import { defineKind } from './define.js';
import { absolutePath } from './common.js';

/**
 * The gateway release deploy (schema only for now): the archive from `kafclaw bundle` unpacked into
 * `releases_dir/VERSION`, `current_link` switched atomically, the newest `keep` releases kept.
 */
export const releaseKind = defineKind('release', (v) =>
  z.strictObject({
    archive: z.string().check(z.minLength(1)),
    version: z.string().check(z.regex(/^[A-Za-z0-9._+-]+$/, 'expected a version such as 0.1.0')),
    releases_dir: z._default(v(absolutePath), '/opt/kafclaw/releases'),
    current_link: z._default(v(absolutePath), '/opt/kafclaw/current'),
    keep: z._default(v(z.number().check(z.int(), z.gte(2))), 5),
    health_url: z.optional(z.string().check(z.url())),
  }),
);
export type ReleaseParams = z.output<typeof releaseKind.params>;
