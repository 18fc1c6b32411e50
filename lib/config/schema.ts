/**
 * KafClaw's config.json key tree (facts §1.4) with KafClaw's defaults, as a zod 4 schema.
 * Objects are loose: keys KafClaw (or this model) does not know are kept. Durations are integer
 * nanoseconds, as Go's time.Duration unmarshals them; a string there is a type error.
 * Credential fields parse into `Secret`. The schema (schema-build.ts, on `zod/mini`) is imported
 * and built on first use, so importing this module (or the CLI) costs nothing until a config is
 * actually loaded.
 */
import type * as z from 'zod/mini';
import type { buildConfigSchema } from './schema-build.js';
import { Secret } from '../secrets/secret.js';

export const DEFAULT_WORKSPACE = '~/KafClaw-Workspace';

export type ConfigSchema = ReturnType<typeof buildConfigSchema>;
/** The effective KafClaw configuration: every known key present, credentials as `Secret`, unknown keys kept. */
export type KafClawConfig = z.output<ConfigSchema>;

let schema: Promise<ConfigSchema> | undefined;

/** The zod schema of config.json (loads zod on first call). Parse one-shot data with `{ jitless: true }`. */
export function loadConfigSchema(): Promise<ConfigSchema> {
  schema ??= import('./schema-build.js').then(({ buildConfigSchema }) => buildConfigSchema(Secret, DEFAULT_WORKSPACE));
  return schema;
}

/** Keys holding time.Duration values: integer nanoseconds in JSON. */
export const DURATION_KEY_PATHS: readonly string[] = [
  'tools.exec.timeout',
  'scheduler.tickInterval',
  'er1.syncInterval',
  'kafgraph.syncInterval',
];
