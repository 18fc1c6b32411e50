// Inventories for lab hosts, written the way the README tells users to: the `kafclaw lab up`
// snippet, then an admin login with bootstrap_user root for the first run.
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LabHost } from '../../lab/hosts.js';

/** A personal login: the shared-admin check refuses generic names such as ops or admin. */
export const ADMIN = 'alice';

export function labInventoryText(hosts: readonly LabHost[], extraVars: Record<string, unknown> = {}): string {
  const publicKey = readFileSync(`${hosts[0]!.privateKeyPath}.pub`, 'utf8').trim();
  const extra = Object.entries(extraVars).map(([key, value]) => `    ${key}: ${JSON.stringify(value)}\n`).join('');
  return (
    `all:\n  vars:\n    ansible_user: ${ADMIN}\n    bootstrap_user: root\n` +
    `    admins:\n      - name: ${ADMIN}\n        keys:\n          - ${JSON.stringify(publicKey)}\n` +
    extra +
    `  hosts:\n` +
    hosts
      .map((h) => `    ${h.name}:\n      ansible_host: ${h.address}\n      ansible_ssh_private_key_file: ${h.privateKeyPath}\n      known_hosts_file: ${h.knownHostsPath}\n`)
      .join('')
  );
}

/** A temporary directory holding inventory.yml; remove it with `cleanup`. */
export async function writeLabInventory(hosts: readonly LabHost[], extraVars: Record<string, unknown> = {}): Promise<{ dir: string; path: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'kafclaw-provision-'));
  const path = join(dir, 'inventory.yml');
  await writeFile(path, labInventoryText(hosts, extraVars));
  return { dir, path, cleanup: () => rm(dir, { recursive: true, force: true }) };
}
