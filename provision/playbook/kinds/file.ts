import { z } from 'zod';
import { defineKind } from './define.js';
import { absolutePath, accountName, exactlyOne, fileMode, presence } from './common.js';

/**
 * A file with owner, group, mode and content: `content` inline, or `template`, a file next to the
 * playbook rendered with the template language (see provision/vars/template.ts). Written atomically.
 */
export const fileKind = defineKind('file', (v) =>
  z
    .strictObject({
      path: v(absolutePath),
      owner: v(accountName).default('root'),
      group: v(accountName).default('root'),
      mode: v(fileMode).prefault('0644'),
      content: z.string().optional(),
      template: z.string().min(1).optional(),
      state: v(presence).default('present'),
    })
    .superRefine((value, ctx) => {
      if (value.state !== 'absent') exactlyOne(['content', 'template'])(value, ctx);
    }),
);
export type FileParams = z.output<typeof fileKind.params>;
