import type { ResourceContext } from './context.js';
import type { Resource } from './types.js';
import { file } from './file.js';
import { renderTemplate } from './template-render.js';

export interface TemplateParams {
  path: string;
  /** Text with `{{ var }}` placeholders. */
  template: string;
  vars: Readonly<Record<string, unknown>>;
  owner?: string;
  group?: string;
  mode?: number;
  /** Where the template came from, for error messages. */
  source?: string;
}

/** A file whose content is rendered from a template when the resource is built (errors surface before connecting). */
export function template(params: TemplateParams, context: ResourceContext = {}): Resource {
  const content = renderTemplate(params.template, params.vars, params.source ?? params.path);
  const { template: _t, vars: _v, source: _s, ...rest } = params;
  return file({ ...rest, content }, context, 'template');
}
