import '../../../lib/validation/zod-setup.js';
import * as z from 'zod/mini';
import { defineKind } from './define.js';
import { controllerPath } from './common.js';
import { secretReferenceSchema } from '../../secrets/reference.js';

/**
 * The clean-host drill on this host for the newest backup in `from` on the controller: copied in,
 * checked with the host's own sha256sum, placed, pulled back and proven (SQLite, config, identity
 * files, a gateway booting on it). Runs on every run by design; the result goes to the controller's
 * operations store. `encryption_key` is a secret reference, for encrypted backups (null: none).
 */
export const restoreTestKind = defineKind('restore_test', (v) =>
  z.strictObject({
    from: v(controllerPath),
    encryption_key: z.optional(z.nullable(v(secretReferenceSchema))),
  }),
);
export type RestoreTestParams = z.output<typeof restoreTestKind.params>;
