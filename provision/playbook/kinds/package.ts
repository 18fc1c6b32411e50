import '../../../lib/validation/zod-setup.js';
import * as z from 'zod/mini';
import { defineKind } from './define.js';

const packageName = z.string().check(z.regex(/^[a-z0-9][a-z0-9+.-]+$/, 'expected a Debian package name'));

/** Debian packages via apt; a host without a reachable mirror gets a clear finding instead. */
export const packageKind = defineKind('package', (v) =>
  z.strictObject({
    name: z.pipe(
      v(z.union([packageName, z.array(packageName).check(z.minLength(1))])),
      z.transform((name: string | string[]) => (Array.isArray(name) ? name : [name])),
    ),
    state: z._default(v(z.enum(['present', 'absent', 'latest'])), 'present'),
  }),
);
export type PackageParams = z.output<typeof packageKind.params>;
