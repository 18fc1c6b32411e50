import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes, timingSafeEqual, createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import type { Secret } from '../secrets/index.js';
import { BackupError } from './errors.js';
import { FILE_MODE, type Digest } from './durable-fs.js';

/**
 * AES-256-GCM in authenticated chunks (the STREAM construction, as in age): a per-file key from
 * HKDF(master key, random per-file salt); nonce = 11-byte chunk counter + 1-byte last-chunk flag;
 * every chunk's additional data binds the header and the file's path in the backup. Reordered,
 * dropped, truncated or moved chunks and files all fail authentication.
 *
 * Stored file: MAGIC (8) | salt (16) | chunk* where chunk = ciphertext (<= CHUNK_SIZE) | tag (16).
 */
export const CHUNK_SIZE = 64 * 1024;
const MAGIC = Buffer.from('KCBKENC1', 'ascii');
const SALT_BYTES = 16;
const HEADER_BYTES = MAGIC.length + SALT_BYTES;
const TAG_BYTES = 16;
const COUNTER_LIMIT = 2 ** 40;

/** Thrown when decryption fails authentication: a wrong key or damaged bytes. */
export class DecryptionError extends BackupError {}

/** The 32-byte master key a Secret holds, as 64 hex characters or base64. */
export function masterKeyBytes(key: Secret): Buffer {
  const text = key.reveal().trim();
  if (/^[0-9a-fA-F]{64}$/.test(text)) return Buffer.from(text, 'hex');
  if (/^[A-Za-z0-9+/_-]{43}=?$/.test(text)) {
    const bytes = Buffer.from(text.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
    if (bytes.length === 32) return bytes;
  }
  throw new BackupError(
    `the backup encryption key from ${key.source} is not 32 bytes as 64 hex characters or base64; generate one with \`openssl rand -hex 32\``,
  );
}

function fileKey(master: Buffer, salt: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', master, salt, 'kafclaw-backup v1 file key', 32));
}

function nonce(counter: number, last: boolean): Buffer {
  if (counter >= COUNTER_LIMIT) throw new BackupError('file too large to encrypt in one stream');
  const out = Buffer.alloc(12);
  out.writeUIntBE(counter, 5, 6);
  out[11] = last ? 1 : 0;
  return out;
}

function aad(header: Buffer, relPath: string): Buffer {
  return Buffer.concat([header, Buffer.from(relPath, 'utf8')]);
}

/** HMAC-SHA256 of the manifest bytes under a key derived from the master key. */
export function manifestMac(master: Buffer, manifestBytes: Buffer): string {
  const macKey = Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), 'kafclaw-backup v1 manifest mac', 32));
  return createHmac('sha256', macKey).update(manifestBytes).digest('hex');
}

export function macMatches(expectedHex: string, actualHex: string): boolean {
  const a = Buffer.from(expectedHex, 'hex');
  const b = Buffer.from(actualHex, 'hex');
  return a.length === b.length && a.length === 32 && timingSafeEqual(a, b);
}

export interface EncryptedDigest {
  plain: Digest;
  stored: Digest;
}

/** Encrypt a file or bytes into `destPath` (created 0600, must not exist), fsynced. */
export async function encryptToFile(source: string | Buffer, destPath: string, relPath: string, master: Buffer): Promise<EncryptedDigest> {
  const salt = randomBytes(SALT_BYTES);
  const header = Buffer.concat([MAGIC, salt]);
  const key = fileKey(master, salt);
  const ad = aad(header, relPath);
  const plainHash = createHash('sha256');
  const storedHash = createHash('sha256');
  let plainSize = 0;
  let storedSize = 0;
  const input = typeof source === 'string' ? await open(source, 'r') : null;
  const output = await open(destPath, 'wx', FILE_MODE);
  try {
    const write = async (bytes: Buffer) => {
      storedHash.update(bytes);
      storedSize += bytes.length;
      await output.write(bytes);
    };
    await write(header);
    const total = input ? (await input.stat()).size : (source as Buffer).length;
    let offset = 0;
    let counter = 0;
    do {
      const length = Math.min(CHUNK_SIZE, total - offset);
      let chunk: Buffer;
      if (input) {
        chunk = Buffer.alloc(length);
        const { bytesRead } = await input.read(chunk, 0, length, offset);
        if (bytesRead !== length) throw new BackupError(`${source as string} changed size while it was being encrypted`);
      } else {
        chunk = (source as Buffer).subarray(offset, offset + length);
      }
      offset += length;
      const last = offset >= total;
      plainHash.update(chunk);
      plainSize += chunk.length;
      const cipher = createCipheriv('aes-256-gcm', key, nonce(counter++, last));
      cipher.setAAD(ad);
      await write(Buffer.concat([cipher.update(chunk), cipher.final(), cipher.getAuthTag()]));
      if (last) break;
    } while (true);
    await output.sync();
  } finally {
    await output.close();
    await input?.close();
  }
  return {
    plain: { size: plainSize, sha256: plainHash.digest('hex') },
    stored: { size: storedSize, sha256: storedHash.digest('hex') },
  };
}

/**
 * Decrypt `storedPath`, passing each authenticated plaintext chunk to `sink` in order. Throws
 * DecryptionError on a wrong key, damage or truncation; nothing unauthenticated reaches the sink.
 */
export async function decryptFile(
  storedPath: string,
  relPath: string,
  master: Buffer,
  sink: (chunk: Buffer) => Promise<void> | void = () => {},
): Promise<Digest> {
  const input = await open(storedPath, 'r');
  try {
    const size = (await input.stat()).size;
    const header = Buffer.alloc(HEADER_BYTES);
    const { bytesRead } = await input.read(header, 0, HEADER_BYTES, 0);
    if (bytesRead !== HEADER_BYTES || !header.subarray(0, MAGIC.length).equals(MAGIC)) {
      throw new DecryptionError(`${relPath} is not an encrypted backup file (bad header)`);
    }
    const key = fileKey(master, header.subarray(MAGIC.length));
    const ad = aad(header, relPath);
    const body = size - HEADER_BYTES;
    const sealed = CHUNK_SIZE + TAG_BYTES;
    const chunks = Math.max(1, Math.ceil(body / sealed));
    const lastLength = body - (chunks - 1) * sealed;
    if (lastLength < TAG_BYTES) throw new DecryptionError(`${relPath} is truncated`);
    const hash = createHash('sha256');
    let plainSize = 0;
    for (let i = 0; i < chunks; i++) {
      const length = i === chunks - 1 ? lastLength : sealed;
      const buffer = Buffer.alloc(length);
      await input.read(buffer, 0, length, HEADER_BYTES + i * sealed);
      const decipher = createDecipheriv('aes-256-gcm', key, nonce(i, i === chunks - 1));
      decipher.setAAD(ad);
      decipher.setAuthTag(buffer.subarray(length - TAG_BYTES));
      let plain: Buffer;
      try {
        plain = Buffer.concat([decipher.update(buffer.subarray(0, length - TAG_BYTES)), decipher.final()]);
      } catch {
        throw new DecryptionError(`${relPath}: chunk ${i} fails authentication (wrong key, or the file is damaged or truncated)`);
      }
      hash.update(plain);
      plainSize += plain.length;
      await sink(plain);
    }
    return { size: plainSize, sha256: hash.digest('hex') };
  } finally {
    await input.close();
  }
}
