import '../../lib/validation/zod-setup.js';
import * as z from 'zod/mini';
import { RESOURCE_KIND_NAMES, RESOURCE_KINDS } from './kinds/index.js';
import { templateString } from './kinds/define.js';

const nonEmpty = z.string().check(z.minLength(1));
const oneOrMany = z.union([nonEmpty, z.array(nonEmpty).check(z.minLength(1))]);
const varsMapping = z.record(z.string(), z.unknown());

const kindFields = Object.fromEntries(RESOURCE_KIND_NAMES.map((name) => [name, z.optional(RESOURCE_KINDS[name].loose)]));

function oneKind(what: string) {
  return (value: Record<string, unknown>, ctx: z.core.$RefinementCtx) => {
    const kinds = RESOURCE_KIND_NAMES.filter((name) => value[name] !== undefined);
    if (kinds.length === 0) ctx.addIssue({ code: 'custom', message: `a ${what} needs one resource kind: ${RESOURCE_KIND_NAMES.join(', ')}` });
    if (kinds.length > 1) ctx.addIssue({ code: 'custom', path: [kinds[1]!], message: `a ${what} has exactly one resource kind, this one has ${kinds.join(' and ')}: split it into separate ${what}s` });
  };
}

/** `{name, <kind>: {params}, notify?, tags?, when?, loop?}`; `loop` runs the task once per element as `item`. */
export const taskSchema = z
  .strictObject({
    name: nonEmpty,
    notify: z.optional(oneOrMany),
    tags: z.optional(oneOrMany),
    when: z.optional(z.union([nonEmpty, z.boolean(), z.array(nonEmpty).check(z.minLength(1))])),
    loop: z.optional(z.union([templateString, z.array(z.unknown()).check(z.minLength(1))])),
    ...kindFields,
  })
  .check(z.superRefine(oneKind('task')));

/** `{name, <kind>: {params}}`: runs once at the end of the play when a task notified it. */
export const handlerSchema = z.strictObject({ name: nonEmpty, ...kindFields }).check(z.superRefine(oneKind('handler')));

const serial = z.union([
  z.number().check(z.int(), z.gte(1)),
  z.string().check(z.regex(/^\d{1,3}%$/, "expected a number of hosts or a percentage such as '25%'")),
  z.array(z.union([z.number().check(z.int(), z.gte(1)), z.string().check(z.regex(/^\d{1,3}%$/))])).check(z.minLength(1)),
]);

/**
 * One play. `defaults` are the lowest-precedence variables (overridden by the inventory); `vars`
 * and `vars_files` override the inventory; `required_vars` must be set somewhere and non-empty.
 */
export const playSchema = z.strictObject({
  name: nonEmpty,
  hosts: nonEmpty,
  defaults: z.optional(varsMapping),
  vars: z.optional(varsMapping),
  vars_files: z.optional(z.array(nonEmpty).check(z.minLength(1))),
  required_vars: z.optional(z.array(z.string().check(z.regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'expected a variable name'))).check(z.minLength(1))),
  serial: z.optional(serial),
  max_fail_percentage: z.optional(z.number().check(z.gte(0), z.lte(100))),
  tasks: z.array(taskSchema).check(z.minLength(1)),
  handlers: z.optional(z.array(handlerSchema).check(z.minLength(1))),
});

/** A playbook file: a list of plays. */
export const playbookSchema = z.array(playSchema).check(z.minLength(1));

export type TaskInput = z.output<typeof taskSchema>;
export type PlayInput = z.output<typeof playSchema>;
