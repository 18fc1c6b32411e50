import { EXIT, UsageError } from './exit-codes.js';

/** `kafclaw lab up [--count N] [--sudo-user NAME]`: throwaway Debian 12 hosts that outlive the command. */
/**
 * An inventory for `kafclaw provision playbooks/harden.yml`: one personal admin login holding the
 * lab key, and root (the lab image's login) as the bootstrap user for the first run.
 */
export function labInventorySnippet(hosts: ReadonlyArray<{ name: string; address: string; privateKeyPath: string; knownHostsPath: string }>, admin: string, publicKey: string): string {
  return [
    'all:',
    '  vars:',
    `    ansible_user: ${admin}`,
    '    bootstrap_user: root',
    '    admins:',
    `      - name: ${admin}`,
    '        keys:',
    `          - ${JSON.stringify(publicKey)}`,
    '  hosts:',
    ...hosts.flatMap((h) => [`    ${h.name}:`, `      ansible_host: ${h.address}`, `      ansible_ssh_private_key_file: ${h.privateKeyPath}`, `      known_hosts_file: ${h.knownHostsPath}`]),
    '',
  ].join('\n');
}

export async function labUpCommand(flags: { count: string; sudoUser?: string; json?: boolean; admin: string }): Promise<number> {
  const count = Number(flags.count);
  if (!Number.isInteger(count) || count < 1 || count > 50) throw new UsageError(`--count "${flags.count}": give a whole number from 1 to 50`);
  const { labUp, requireRoot, sshCommandFor } = await import('../provision/lab/index.js');
  requireRoot('start lab hosts');
  const options: Parameters<typeof labUp>[0] = { count, persist: true, onProgress: (line) => process.stderr.write(`${line}\n`) };
  if (flags.sudoUser) options.sudoUser = flags.sudoUser;
  const hosts = await labUp(options);
  if (flags.json) {
    process.stdout.write(JSON.stringify(hosts, null, 2) + '\n');
    return EXIT.ok;
  }
  for (const host of hosts) {
    process.stdout.write(`${host.name}  ${host.address}  (known_hosts: ${host.knownHostsPath}, key: ${host.privateKeyPath})\n`);
    process.stdout.write(`  ${sshCommandFor(host).join(' ')}\n`);
  }
  const { readFile } = await import('node:fs/promises');
  const publicKey = (await readFile(`${hosts[0]!.privateKeyPath}.pub`, 'utf8')).trim();
  process.stdout.write(`\nInventory (save as inventory.yml, then: kafclaw provision playbooks/harden.yml -i inventory.yml):\n${labInventorySnippet(hosts, flags.admin, publicKey)}`);
  process.stdout.write(`\nRemove them with: kafclaw lab down ${hosts.map((h) => h.name).join(' ')}\n`);
  return EXIT.ok;
}

export async function labDownCommand(names: string[], flags: { all?: boolean }): Promise<number> {
  if (names.length === 0 && !flags.all) throw new UsageError('name the hosts to remove, or give --all');
  const { labDown, requireRoot } = await import('../provision/lab/index.js');
  requireRoot('remove lab hosts');
  const removed = await labDown(flags.all ? 'all' : names);
  process.stdout.write(removed.length > 0 ? `removed ${removed.join(', ')}\n` : 'no lab hosts to remove\n');
  return EXIT.ok;
}

export async function labListCommand(flags: { json?: boolean }): Promise<number> {
  const { labList, requireRoot } = await import('../provision/lab/index.js');
  requireRoot('list lab hosts');
  const hosts = await labList();
  if (flags.json) process.stdout.write(JSON.stringify(hosts, null, 2) + '\n');
  else if (hosts.length === 0) process.stdout.write('no lab hosts\n');
  else for (const host of hosts) process.stdout.write(`${host.name}  ${host.address}  ${host.running ? 'running' : 'stopped'}  ${host.persist ? 'kept' : `owned by pid ${host.ownerPid}`}  since ${host.createdAt}\n`);
  return EXIT.ok;
}
