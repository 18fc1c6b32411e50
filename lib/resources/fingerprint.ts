import { createHash } from 'node:crypto';
import { Secret } from '../secrets/secret.js';

export function sha256Hex(content: string | Buffer): string {
  return createHash('sha256').update(content).digest('hex');
}

/** How a diff shows file content: a short hash and the size, never the bytes. */
export function describeContent(sha256: string, bytes?: number): string {
  return `sha256:${sha256.slice(0, 12)}` + (bytes === undefined ? '' : ` (${bytes} bytes)`);
}

export function contentBytes(content: string | Secret): Buffer {
  return Buffer.from(content instanceof Secret ? content.reveal() : content, 'utf8');
}
