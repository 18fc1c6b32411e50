import { z } from 'zod';
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
      owner: v(accountName).default('root'),
      group: v(accountName).default('root'),
      mode: v(fileMode).prefault('0600'),
      values: v(z.record(envName, v(secretReferenceSchema))).optional(),
      values_from: v(z.record(envName, v(secretReferenceSchema))).optional(),
    })
    .refine((value) => value.values !== undefined || value.values_from !== undefined, 'give values, values_from or both'),
);
export type EnvFileParams = z.output<typeof envFileKind.params>;
