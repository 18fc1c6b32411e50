import '../../../lib/validation/zod-setup.js';
import * as z from 'zod/mini';

/** A whole-value template such as `"{{ admins }}"`: accepted wherever a typed value goes, checked once rendered. */
export const templateString = z.string().check(z.regex(/\{\{.*\}\}/s, { message: 'expected a template "{{ … }}"', abort: true }));

/** Marks a non-string part of a schema that a template may stand in for at load time. */
export type Templatable = <T extends z.ZodMiniType>(schema: T) => T;

export interface KindSchema<S extends z.ZodMiniType = z.ZodMiniType> {
  kind: string;
  /** Parameters after rendering: the exact types a resource takes. */
  params: S;
  /** The same shape with templates allowed in place of typed values: what a playbook file may hold. */
  loose: z.ZodMiniType;
}

/**
 * One resource kind's parameter schema, built twice from one definition: strict (`params`) for the
 * rendered values and tolerant of templates (`loose`) for loading the file.
 */
export function defineKind<S extends z.ZodMiniType>(kind: string, build: (v: Templatable) => S): KindSchema<S> {
  const strict: Templatable = (schema) => schema;
  const loose = ((schema: z.ZodMiniType) => z.union([schema, templateString])) as unknown as Templatable;
  return { kind, params: build(strict), loose: build(loose) };
}
