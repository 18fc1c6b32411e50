import '../../../lib/validation/zod-setup.js';
import * as z from 'zod/mini';
import { defineKind } from './define.js';
import { absolutePath, accountName, envName, fileMode } from './common.js';
import { secretReferenceSchema } from '../../secrets/reference.js';

/**
 * An env file (`NAME=value` lines) whose values are secrets: each value is a reference (`env:`,
 * `file:`, `command:`), never a literal. `values_from` adds a whole mapping (for example
 * `"{{ secrets.provider_keys }}"`). The file has its final mode before any byte is written.
 */
export const envFileKind = defineKind('env_file', (v) =>
  z
    .strictObject({
      path: v(absolutePath),
      owner: z._default(v(accountName), 'root'),
      group: z._default(v(accountName), 'root'),
      mode: z.prefault(v(fileMode), '0600'),
      values: z.optional(v(z.record(envName, v(secretReferenceSchema)))),
      values_from: z.optional(v(z.record(envName, v(secretReferenceSchema)))),
    })
    .check(z.refine((value) => value.values !== undefined || value.values_from !== undefined, 'give values, values_from or both')),
);
export type EnvFileParams = z.output<typeof envFileKind.params>;
