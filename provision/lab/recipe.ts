import { createHash } from 'node:crypto';

/** What a lab image is made of; any change here changes the hash and so rebuilds the image. */
export const LAB_SUITE = 'bookworm';
export const LAB_VARIANT = 'minbase';
export const LAB_PACKAGES = [
  'openssh-server',
  'sudo',
  'nftables',
  'systemd',
  'systemd-sysv',
  'dbus',
  'iproute2',
  'procps',
  // /etc/protocols and /etc/services: every real Debian host has them, and nft resolves names there.
  'netbase',
] as const;

/**
 * Run inside the fresh image (chroot). The result is a stock Debian 12 host, minus what must be
 * unique per host (host keys, machine id, host name), which each host gets in its own upper dir.
 */
export const LAB_CUSTOMISE_SCRIPT = `set -eu
rm -f /etc/ssh/ssh_host_*
sed -i 's|^#HostKey /etc/ssh/ssh_host_ed25519_key$|HostKey /etc/ssh/ssh_host_ed25519_key|' /etc/ssh/sshd_config
grep -qx 'HostKey /etc/ssh/ssh_host_ed25519_key' /etc/ssh/sshd_config
: > /etc/resolv.conf
: > /etc/machine-id
rm -f /etc/hostname /var/lib/dbus/machine-id
printf '127.0.0.1\\tlocalhost\\n::1\\t\\tlocalhost ip6-localhost ip6-loopback\\n' > /etc/hosts
install -d -m 0700 /root/.ssh
apt-get clean
rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin /var/log/*.log
`;

export function recipeHash(): string {
  const recipe = JSON.stringify({ suite: LAB_SUITE, variant: LAB_VARIANT, packages: LAB_PACKAGES, script: LAB_CUSTOMISE_SCRIPT });
  return createHash('sha256').update(recipe).digest('hex').slice(0, 16);
}
