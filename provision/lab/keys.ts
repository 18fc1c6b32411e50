import { promises as fs } from 'node:fs';
import { command } from './command.js';
import { withFileLock } from './lock.js';
import { LAB_CACHE_DIR, labPaths } from './paths.js';

export interface LabKey {
  privateKeyPath: string;
  /** `ssh-ed25519 AAAA... kafclaw-lab`, for authorized_keys. */
  publicKey: string;
}

/** The key every lab host trusts for root; generated once and kept (0600) in the cache dir. */
export async function ensureLabKey(): Promise<LabKey> {
  const read = async (): Promise<LabKey> => ({
    privateKeyPath: labPaths.privateKey,
    publicKey: (await fs.readFile(labPaths.publicKey, 'utf8')).trim(),
  });
  try {
    await fs.access(labPaths.privateKey);
    return await read();
  } catch {}
  await fs.mkdir(LAB_CACHE_DIR, { recursive: true, mode: 0o700 });
  return withFileLock(`${LAB_CACHE_DIR}/key.lock`, async () => {
    try {
      await fs.access(labPaths.privateKey);
      return await read();
    } catch {}
    const temp = `${labPaths.privateKey}.new-${process.pid}`;
    await fs.rm(temp, { force: true });
    await fs.rm(`${temp}.pub`, { force: true });
    await command(['ssh-keygen', '-q', '-t', 'ed25519', '-N', '', '-C', 'kafclaw-lab', '-f', temp]);
    await fs.chmod(temp, 0o600);
    // Public half first: a private key in place always has its public key beside it.
    await fs.rename(`${temp}.pub`, labPaths.publicKey);
    await fs.rename(temp, labPaths.privateKey);
    return read();
  });
}

/** A fresh ed25519 host key written into the host's root; returns the public line (`ssh-ed25519 AAAA...`). */
export async function generateHostKey(root: string, comment: string): Promise<string> {
  const path = `${root}/etc/ssh/ssh_host_ed25519_key`;
  await fs.rm(path, { force: true });
  await fs.rm(`${path}.pub`, { force: true });
  await command(['ssh-keygen', '-q', '-t', 'ed25519', '-N', '', '-C', comment, '-f', path]);
  const [type, blob] = (await fs.readFile(`${path}.pub`, 'utf8')).trim().split(/\s+/);
  return `${type} ${blob}`;
}
