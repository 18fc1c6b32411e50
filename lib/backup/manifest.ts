import '../validation/zod-setup.js';
import * as z from 'zod/mini';
import { isSafeRelativePath } from './layout.js';

export const MANIFEST_FORMAT = 'kafclaw-backup';
export const MANIFEST_FORMAT_VERSION = 1;

const sha256 = z.string().check(z.regex(/^[0-9a-f]{64}$/, 'a lowercase hex sha256'));
const relativePath = z.string().check(z.refine(isSafeRelativePath, 'a relative path inside the backup, not an SQLite sidecar'));

const fileEntry = z.object({
  path: relativePath,
  role: z.enum(['database', 'config', 'identity', 'extra']),
  /** Size and sha256 of the content (the plaintext when encrypted). */
  size: z.number().check(z.int(), z.nonnegative()),
  sha256,
  /** The original location, for the operator; restore does not write there. */
  source: z.optional(z.string()),
  /** Size and sha256 of the bytes on disk, when they differ from the content (encrypted). */
  stored: z.optional(z.object({ size: z.number().check(z.int(), z.nonnegative()), sha256 })),
});

const manifestSchema = z.object({
  format: z.literal(MANIFEST_FORMAT),
  formatVersion: z.literal(MANIFEST_FORMAT_VERSION),
  name: z.string(),
  createdAt: z.iso.datetime(),
  sourceHost: z.string(),
  toolVersion: z.string(),
  encryption: z.nullable(
    z.object({
      algorithm: z.literal('aes-256-gcm-chunked'),
      chunkSize: z.number().check(z.int(), z.positive()),
      kdf: z.literal('hkdf-sha256'),
    }),
  ),
  database: z.object({
    path: relativePath,
    userVersion: z.number().check(z.int()),
    pageSize: z.number().check(z.int(), z.positive()),
    pageCount: z.number().check(z.int(), z.nonnegative()),
    tables: z.array(z.string()),
    rowCounts: z.record(z.string(), z.number().check(z.int(), z.nonnegative())),
  }),
  config: z.nullable(
    z.object({
      path: relativePath,
      keptReferences: z.array(z.string()),
      removed: z.array(z.string()),
    }),
  ),
  identity: z.object({ present: z.array(z.string()), missing: z.array(z.string()) }),
  files: z.array(fileEntry),
});

export type Manifest = z.infer<typeof manifestSchema>;
export type ManifestFile = z.infer<typeof fileEntry>;

export function serializeManifest(manifest: Manifest): string {
  return JSON.stringify(manifest, null, 2) + '\n';
}

export type ParsedManifest = { ok: true; manifest: Manifest } | { ok: false; problems: string[] };

/** Parse and check a manifest's shape and self-consistency. Pure. */
export function parseManifest(text: string): ParsedManifest {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    return { ok: false, problems: [`manifest.json is not JSON: ${(error as Error).message}`] };
  }
  const parsed = manifestSchema.safeParse(raw);
  if (!parsed.success) {
    return {
      ok: false,
      problems: parsed.error.issues.map((issue) => `manifest.json ${issue.path.join('.') || '(root)'}: ${issue.message}`),
    };
  }
  const manifest = parsed.data;
  const problems: string[] = [];
  const paths = manifest.files.map((file) => file.path);
  const duplicates = paths.filter((path, i) => paths.indexOf(path) !== i);
  if (duplicates.length > 0) problems.push(`manifest.json lists ${duplicates.join(', ')} more than once`);
  const databaseEntries = manifest.files.filter((file) => file.role === 'database');
  if (databaseEntries.length !== 1 || databaseEntries[0]?.path !== manifest.database.path) {
    problems.push('manifest.json: exactly one database file, matching database.path, is required');
  }
  if (manifest.config && !manifest.files.some((file) => file.role === 'config' && file.path === manifest.config?.path)) {
    problems.push('manifest.json: config.path is not among the files');
  }
  for (const name of manifest.identity.present) {
    if (!manifest.files.some((file) => file.role === 'identity' && file.path.endsWith('/' + name))) {
      problems.push(`manifest.json: identity file ${name} is listed as present but not among the files`);
    }
  }
  const tables = [...manifest.database.tables].sort();
  const counted = Object.keys(manifest.database.rowCounts).sort();
  if (tables.join('\n') !== counted.join('\n')) problems.push('manifest.json: database.tables and database.rowCounts name different tables');
  if ((manifest.encryption === null) !== manifest.files.every((file) => file.stored === undefined)) {
    problems.push('manifest.json: stored sizes and checksums must be given for every file exactly when the backup is encrypted');
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, manifest };
}
