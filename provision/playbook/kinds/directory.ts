import { z } from 'zod';
import { defineKind } from './define.js';
import { absolutePath, accountName, fileMode, presence } from './common.js';

export const directoryKind = defineKind('directory', (v) =>
  z.strictObject({
    path: v(absolutePath),
    owner: v(accountName).default('root'),
    group: v(accountName).default('root'),
    mode: v(fileMode).prefault('0755'),
    state: v(presence).default('present'),
  }),
);
export type DirectoryParams = z.output<typeof directoryKind.params>;
