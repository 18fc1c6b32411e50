import { scrub } from '../secrets/index.js';
import { renderJson } from './json.js';
import { renderJunit } from './junit.js';
import { renderMarkdown } from './markdown.js';
import { renderSarif } from './sarif.js';
import { scrubReport } from './scrub-report.js';
import { renderText } from './text.js';
import type { RenderOptions, Report, ReportFormat } from './types.js';

export type { CatalogEntry, RenderOptions, Report, ReportFormat } from './types.js';
export { REPORT_FORMATS } from './types.js';
export type { Summary } from './summary.js';
export { summarize } from './summary.js';
export { shouldColor } from './color.js';
export { exitCodeFor } from './exit-code.js';
export type { FailThreshold } from './exit-code.js';
export { renderText } from './text.js';
export { renderJson, JSON_SCHEMA_VERSION } from './json.js';
export { renderSarif, SARIF_SCHEMA_URI } from './sarif.js';
export { renderJunit } from './junit.js';
export { renderMarkdown } from './markdown.js';

const RENDERERS: Record<ReportFormat, (report: Report, opts: RenderOptions) => string> = {
  text: renderText,
  json: renderJson,
  sarif: renderSarif,
  junit: renderJunit,
  md: renderMarkdown,
};

/**
 * The one way out for a report: registered secret values are scrubbed from every string of the
 * report before rendering (escaping cannot split them) and from the rendered text after.
 */
export function renderReport(format: ReportFormat, report: Report, opts: RenderOptions = {}): string {
  const render = RENDERERS[format];
  if (!render) throw new TypeError(`unknown report format "${String(format)}"`);
  return scrub(render(scrubReport(report), opts));
}
