// A self-signed certificate for 127.0.0.1, made with openssl in a temporary directory.
import { execa } from 'execa';
import { join } from 'node:path';

export interface SelfSigned {
  cert: string;
  key: string;
}

export async function selfSigned(dir: string, name = 'gateway'): Promise<SelfSigned> {
  const cert = join(dir, `${name}.crt`);
  const key = join(dir, `${name}.key`);
  await execa('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
    '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', key, '-out', cert,
  ]);
  return { cert, key };
}
