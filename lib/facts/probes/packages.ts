import type { FactProbe } from '../types.js';

export interface PatchFacts {
  /** False when there are no package lists to judge from (never updated, or no apt). */
  metadataAvailable: boolean;
  reason?: string;
  pendingSecurity: string[];
  pendingOther: number;
  unattendedUpgrades: boolean;
}

export function parsePatches(text: string, exitCode: number): PatchFacts {
  if (exitCode === 127) return { metadataAvailable: false, reason: 'apt is not installed', pendingSecurity: [], pendingOther: 0, unattendedUpgrades: false };
  const lines = text.split('\n');
  const noLists = lines.includes('@@no-lists');
  const unattended = lines.includes('@@unattended 1');
  const security: string[] = [];
  let other = 0;
  for (const line of lines) {
    const match = /^Inst (\S+) .*$/.exec(line);
    if (!match) continue;
    if (/-security|Debian-Security/i.test(line)) security.push(match[1] ?? '');
    else other++;
  }
  const facts: PatchFacts = { metadataAvailable: !noLists, pendingSecurity: security, pendingOther: other, unattendedUpgrades: unattended };
  if (noLists) facts.reason = 'no package lists under /var/lib/apt/lists (apt-get update never ran)';
  return facts;
}

export const patchesProbe: FactProbe<PatchFacts> = {
  key: 'host.patches',
  script: [
    'command -v apt-get >/dev/null 2>&1 || exit 127',
    'ls /var/lib/apt/lists/*_Packages >/dev/null 2>&1 || echo @@no-lists',
    'if dpkg-query -W -f=\'${Status}\' unattended-upgrades 2>/dev/null | grep -q "install ok installed" &&',
    '   grep -Eqs \'APT::Periodic::Unattended-Upgrade\\s+"1"\' /etc/apt/apt.conf.d/*; then echo "@@unattended 1"; fi',
    'apt-get -s -o Debug::NoLocking=1 upgrade 2>/dev/null | grep "^Inst " ; true',
  ].join('\n'),
  parse: parsePatches,
};
