/** Writing one `NAME=value` into an env file KafClaw reads, keeping every other line and comment. */
import { posix } from 'node:path';
import { Secret } from '../secrets/secret.js';
import { LocalTarget } from '../target/local.js';
import { ConfigError } from './errors.js';
import { ensurePrivateDir } from './edit.js';
import { backUpBeforeEdit, noteCreated } from './backup.js';
import type { EditResult, FileIo } from './edit.js';

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Quotes only when KafClaw's reader would otherwise change the value (it trims, and strips one layer of matching quotes). */
export function envFileValueText(value: string): string {
  const trimmed = value.trim() !== value;
  const quoted = value.length >= 2 && (value[0] === '"' || value[0] === "'") && value.endsWith(value[0]!);
  return trimmed || quoted ? `"${value}"` : value;
}

function definedName(line: string): { name: string; exported: boolean } | null {
  let body = line.trim();
  if (body === '' || body.startsWith('#')) return null;
  const exported = body.startsWith('export ');
  if (exported) body = body.slice('export '.length).trim();
  const equals = body.indexOf('=');
  if (equals <= 0) return null;
  return { name: body.slice(0, equals).trim(), exported };
}

/**
 * Replaces the first definition of `name` (keeping an `export ` prefix), drops later duplicates,
 * or appends one line. Pure.
 */
export function setEnvLine(text: string, name: string, value: string): { text: string; changed: boolean } {
  const line = `${name}=${envFileValueText(value)}`;
  const lines = text === '' ? [] : text.replace(/\n$/, '').split('\n');
  const out: string[] = [];
  let found = false;
  for (const current of lines) {
    const defined = definedName(current);
    if (defined?.name !== name) {
      out.push(current);
      continue;
    }
    if (!found) out.push(defined.exported ? `export ${line}` : line);
    found = true;
  }
  if (!found) out.push(line);
  const next = `${out.join('\n')}\n`;
  return { text: next, changed: next !== text };
}

/** Removes every definition of `name`, comments kept. Pure. */
export function removeEnvLine(text: string, name: string): { text: string; changed: boolean } {
  if (text === '') return { text, changed: false };
  const kept = text.replace(/\n$/, '').split('\n').filter((line) => definedName(line)?.name !== name);
  const next = kept.length === 0 ? '' : `${kept.join('\n')}\n`;
  return { text: next, changed: next !== text };
}

/** A value for an env file line: a Secret revealed, a plain string (not secret) as it is, null for none. */
export type EnvLineValue = Secret | string | null;

const textOf = (value: EnvLineValue): string | null => (value === null || typeof value === 'string' ? value : value.reveal());

/** `setEnvLine` for several names in one pass; a null value removes the name. Pure. */
export function setEnvLines(text: string, values: Readonly<Record<string, EnvLineValue>>): { text: string; changed: boolean } {
  let next = text;
  for (const [name, value] of Object.entries(values)) {
    const line = textOf(value);
    next = (line === null ? removeEnvLine(next, name) : setEnvLine(next, name, line)).text;
  }
  return { text: next, changed: next !== text };
}

/**
 * Sets `NAME=value` in an env file. A new file is created 0600 (its directory 0700) before any byte
 * is written; an existing file is rewritten atomically as 0600 with its owner kept, since it now holds
 * a secret. The value travels as a Secret until the write.
 */
export async function setEnvFileValue(path: string, name: string, secret: Secret, io: FileIo = new LocalTarget()): Promise<EditResult> {
  return setEnvFileValues(path, { [name]: secret }, io);
}

/**
 * `setEnvFileValue` for several names in one atomic write; a null value removes the name's lines, a
 * plain string is a value that is not secret (an expiry time).
 */
export async function setEnvFileValues(path: string, values: Readonly<Record<string, EnvLineValue>>, io: FileIo = new LocalTarget()): Promise<EditResult> {
  for (const [name, value] of Object.entries(values)) {
    if (!NAME.test(name)) throw new ConfigError(`"${name}" is not a valid environment variable name`, { path });
    if (/[\r\n\0]/.test(textOf(value) ?? '')) throw new ConfigError(`the value for ${name} contains a line break; env files hold one line per value`, { path, key: name });
  }
  const stat = await io.stat(path);
  if (stat && stat.type !== 'file') throw new ConfigError(`not a regular file (${stat.type}); write to the file it points to instead`, { path });
  if (!stat && Object.values(values).every((value) => value === null)) return { changed: false };
  if (!stat) await ensurePrivateDir(io, posix.dirname(path));
  const current = stat ? ((await io.readFile(path))?.toString('utf8') ?? '') : '';
  const next = setEnvLines(current, values);
  if (!next.changed) return { changed: false };
  const ownership = stat ? { owner: String(stat.uid), group: String(stat.gid) } : {};
  const backupPath = stat ? await backUpBeforeEdit(io, path, current, stat) : undefined;
  const source = Object.values(values).find((value): value is Secret => value instanceof Secret)?.source ?? `file:${path}`;
  await io.writeFileAtomic(path, new Secret(next.text, source), { mode: 0o600, ...ownership });
  if (!stat) noteCreated(path);
  return backupPath ? { changed: true, backupPath } : { changed: true };
}
