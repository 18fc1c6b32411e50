import '../../../lib/validation/zod-setup.js';
import * as z from 'zod/mini';
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
      owner: z._default(v(accountName), 'root'),
      group: z._default(v(accountName), 'root'),
      mode: z.prefault(v(fileMode), '0644'),
      content: z.optional(z.string()),
      template: z.optional(z.string().check(z.minLength(1))),
      state: z._default(v(presence), 'present'),
    })
    .check(
      z.superRefine((value, ctx) => {
        if (value.state !== 'absent') exactlyOne(['content', 'template'])(value, ctx);
      }),
    ),
);
export type FileParams = z.output<typeof fileKind.params>;
