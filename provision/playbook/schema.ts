import { z } from 'zod';
import { RESOURCE_KIND_NAMES, RESOURCE_KINDS } from './kinds/index.js';
import { templateString } from './kinds/define.js';

const nonEmpty = z.string().min(1);
const oneOrMany = z.union([nonEmpty, z.array(nonEmpty).min(1)]);
const varsMapping = z.record(z.string(), z.unknown());

const kindFields = Object.fromEntries(RESOURCE_KIND_NAMES.map((name) => [name, RESOURCE_KINDS[name].loose.optional()]));

function oneKind(what: string) {
  return (value: Record<string, unknown>, ctx: z.RefinementCtx) => {
    const kinds = RESOURCE_KIND_NAMES.filter((name) => value[name] !== undefined);
    if (kinds.length === 0) ctx.addIssue({ code: 'custom', message: `a ${what} needs one resource kind: ${RESOURCE_KIND_NAMES.join(', ')}` });
    if (kinds.length > 1) ctx.addIssue({ code: 'custom', path: [kinds[1]!], message: `a ${what} has exactly one resource kind, this one has ${kinds.join(' and ')}: split it into separate ${what}s` });
  };
}

/** `{name, <kind>: {params}, notify?, tags?, when?, loop?}`; `loop` runs the task once per element as `item`. */
export const taskSchema = z
  .strictObject({
    name: nonEmpty,
    notify: oneOrMany.optional(),
    tags: oneOrMany.optional(),
    when: z.union([nonEmpty, z.boolean(), z.array(nonEmpty).min(1)]).optional(),
    loop: z.union([templateString, z.array(z.unknown()).min(1)]).optional(),
    ...kindFields,
  })
  .superRefine(oneKind('task'));

/** `{name, <kind>: {params}}`: runs once at the end of the play when a task notified it. */
export const handlerSchema = z.strictObject({ name: nonEmpty, ...kindFields }).superRefine(oneKind('handler'));

const serial = z.union([
  z.number().int().min(1),
  z.string().regex(/^\d{1,3}%$/, "expected a number of hosts or a percentage such as '25%'"),
  z.array(z.union([z.number().int().min(1), z.string().regex(/^\d{1,3}%$/)])).min(1),
]);

/**
 * One play. `defaults` are the lowest-precedence variables (overridden by the inventory); `vars`
 * and `vars_files` override the inventory; `required_vars` must be set somewhere and non-empty.
 */
export const playSchema = z.strictObject({
  name: nonEmpty,
  hosts: nonEmpty,
  defaults: varsMapping.optional(),
  vars: varsMapping.optional(),
  vars_files: z.array(nonEmpty).min(1).optional(),
  required_vars: z.array(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'expected a variable name')).min(1).optional(),
  serial: serial.optional(),
  max_fail_percentage: z.number().min(0).max(100).optional(),
  tasks: z.array(taskSchema).min(1),
  handlers: z.array(handlerSchema).min(1).optional(),
});

/** A playbook file: a list of plays. */
export const playbookSchema = z.array(playSchema).min(1);

export type TaskInput = z.output<typeof taskSchema>;
export type PlayInput = z.output<typeof playSchema>;
