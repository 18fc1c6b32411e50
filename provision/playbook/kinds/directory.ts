import '../../../lib/validation/zod-setup.js';
import * as z from 'zod/mini';
import { defineKind } from './define.js';
import { absolutePath, accountName, fileMode, presence } from './common.js';

export const directoryKind = defineKind('directory', (v) =>
  z.strictObject({
    path: v(absolutePath),
    owner: z._default(v(accountName), 'root'),
    group: z._default(v(accountName), 'root'),
    mode: z.prefault(v(fileMode), '0755'),
    state: z._default(v(presence), 'present'),
  }),
);
export type DirectoryParams = z.output<typeof directoryKind.params>;
