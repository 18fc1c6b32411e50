import { readFile } from 'node:fs/promises';
import { createSecureContext } from 'node:tls';

/** PEM material for an HTTPS listener, read and checked at startup. */
export interface TlsMaterial {
  cert: Buffer;
  key: Buffer;
}

/** Why the TLS settings cannot work as given, before any file is read (pure), or null. */
export function tlsSettingsProblem(cert: string | undefined, key: string | undefined): string | null {
  if (cert && !key) return 'gateway.tlsCert is set but gateway.tlsKey is not: set both (PEM files) to serve HTTPS, or neither';
  if (key && !cert) return 'gateway.tlsKey is set but gateway.tlsCert is not: set both (PEM files) to serve HTTPS, or neither';
  return null;
}

function reason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES') return 'permission denied (the gateway user must be able to read it)';
  if (code === 'EISDIR') return 'is a directory, not a PEM file';
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/^error:[0-9A-Fa-f]+:/, '').replace(/^[^:]*routines::/, '');
}

/**
 * Reads the certificate chain and private key and builds a TLS context from them, so a file that
 * is missing, unreadable, not PEM or a key that does not match the certificate is found before a
 * listener opens. Throws an Error whose message names the key, the path and the reason; never the
 * key material.
 */
export async function loadTls(certPath: string, keyPath: string): Promise<TlsMaterial> {
  const read = async (key: string, path: string): Promise<Buffer> => {
    try {
      return await readFile(path);
    } catch (error) {
      throw new Error(`${key} ${path}: ${reason(error)}`);
    }
  };
  const cert = await read('gateway.tlsCert', certPath);
  const key = await read('gateway.tlsKey', keyPath);
  if (cert.length === 0) throw new Error(`gateway.tlsCert ${certPath}: the file is empty`);
  if (key.length === 0) throw new Error(`gateway.tlsKey ${keyPath}: the file is empty`);
  try {
    createSecureContext({ cert });
  } catch (error) {
    throw new Error(`gateway.tlsCert ${certPath}: not a usable PEM certificate (${reason(error)})`);
  }
  try {
    createSecureContext({ cert, key });
  } catch (error) {
    throw new Error(`gateway.tlsKey ${keyPath}: not a usable PEM private key for ${certPath} (${reason(error)})`);
  }
  return { cert, key };
}
