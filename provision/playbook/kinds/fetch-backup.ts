import '../../../lib/validation/zod-setup.js';
import * as z from 'zod/mini';
import { defineKind } from './define.js';
import { absolutePath, controllerPath } from './common.js';

/**
 * The newest backup in `dir` on the host, copied as it is (still encrypted when it was) into `to`
 * on the controller. Unchanged when the controller already holds that backup.
 */
export const fetchBackupKind = defineKind('fetch_backup', (v) =>
  z.strictObject({
    dir: z._default(v(absolutePath), '/var/backups/kafclaw'),
    to: v(controllerPath),
  }),
);
export type FetchBackupParams = z.output<typeof fetchBackupKind.params>;
