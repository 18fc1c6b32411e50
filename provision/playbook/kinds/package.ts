import { z } from 'zod';
import { defineKind } from './define.js';

const packageName = z.string().regex(/^[a-z0-9][a-z0-9+.-]+$/, 'expected a Debian package name');

/** Debian packages via apt; a host without a reachable mirror gets a clear finding instead. */
export const packageKind = defineKind('package', (v) =>
  z.strictObject({
    name: v(z.union([packageName, z.array(packageName).min(1)])).transform((name) => (Array.isArray(name) ? name : [name])),
    state: v(z.enum(['present', 'absent', 'latest'])).default('present'),
  }),
);
export type PackageParams = z.output<typeof packageKind.params>;
