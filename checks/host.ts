import type { Check, Verdict } from './types.js';
import type { PasswdEntry, GroupEntry, AuthorizedKeys } from '../lib/facts/probes/accounts.js';
import type { SshdSettings } from '../lib/facts/probes/sshd.js';
import type { NftChain, NftRuleset } from '../lib/facts/probes/nftables.js';
import type { ProcessEntry, UnitFacts } from '../lib/facts/probes/systemd.js';
import type { PatchFacts } from '../lib/facts/probes/packages.js';
import { GATEWAY_UNIT } from '../lib/facts/probes/systemd.js';
import { gatewayEndpoint, isLoopbackHost } from './gateway-facts.js';
import type { ConfigFact } from './config-fact.js';

const UNIT_KEY = `host.unit:${GATEWAY_UNIT}`;

function isGatewayProcess(process: ProcessEntry): boolean {
  return /\bkafclaw(\.js)?\s+gateway\b/.test(process.args) && !/\bgrep\b/.test(process.args);
}

export const nonRootRuntime: Check = {
  id: 'host.non-root-runtime',
  title: 'The gateway runs as a non-root user',
  severity: 'critical',
  profiles: ['doctor', 'host', 'go-live'],
  rationale: 'A gateway that runs tools for chat senders must not hold root: one prompt injection would own the host.',
  runbook: '§1.1',
  needs: [UNIT_KEY, 'host.processes'],
  fixKind: 'guided',
  fixSummary: 'Run the gateway as the dedicated `kafclaw` service user (User=kafclaw in the unit); the provisioner creates it.',
  run(ctx) {
    const unit = ctx.facts.get<UnitFacts | null>(UNIT_KEY);
    const processes = ctx.facts.get<ProcessEntry[]>('host.processes').filter(isGatewayProcess);
    const verdicts: Verdict[] = [];
    if (unit?.loaded) {
      const user = unit.user || 'root';
      verdicts.push(
        user === 'root' || user === '0'
          ? { status: 'fail', subject: GATEWAY_UNIT, message: `the unit runs as ${unit.user ? 'root' : 'root (no User= set)'}`, evidence: { unit: unit.fragmentPath, user } }
          : { status: 'pass', subject: GATEWAY_UNIT, message: `the unit runs as ${user}`, evidence: { user } },
      );
    }
    for (const process of processes) {
      verdicts.push(
        process.uid === 0
          ? { status: 'fail', subject: `pid ${process.pid}`, message: `\`kafclaw gateway\` (pid ${process.pid}) runs as root`, evidence: { pid: process.pid, user: process.user } }
          : { status: 'pass', subject: `pid ${process.pid}`, message: `\`kafclaw gateway\` (pid ${process.pid}) runs as ${process.user}`, evidence: { pid: process.pid, user: process.user } },
      );
    }
    if (verdicts.length === 0) return { status: 'skip', message: `no ${GATEWAY_UNIT} unit and no running gateway process on this host` };
    return verdicts;
  },
};

/** Input chains hooked into the filter path, and whether one of them drops by default. */
function inputChains(chains: NftChain[]): NftChain[] {
  return chains.filter((chain) => chain.hook === 'input');
}

export const firewallActive: Check = {
  id: 'host.firewall-active',
  title: 'A firewall ruleset with an input policy of drop is loaded',
  severity: 'high',
  profiles: ['host', 'go-live'],
  rationale: 'Without a default-drop input policy every listening port, including a mistakenly exposed gateway, is reachable.',
  runbook: '§1.5',
  needs: ['host.nft'],
  fixKind: 'provisioner',
  fixSummary: 'Run `kafclaw provision playbooks/harden.yml`: it loads `table inet kafclaw` with policy drop and lockout protection.',
  run(ctx) {
    const ruleset = ctx.facts.get<NftRuleset>('host.nft');
    if (!ruleset.available) return { status: 'error', message: `cannot read the ruleset: ${ruleset.reason}` };
    const inputs = inputChains(ruleset.chains);
    const dropping = inputs.filter((chain) => chain.policy === 'drop');
    if (dropping.length > 0) {
      const names = dropping.map((c) => `${c.family} ${c.table} ${c.name}`);
      return { status: 'pass', message: `input policy drop in ${names.join(', ')}`, evidence: { chains: names } };
    }
    if (inputs.length === 0) return { status: 'fail', message: 'no input chain is loaded: every port is open' };
    return { status: 'fail', message: 'input chains are loaded but none has policy drop', evidence: { chains: inputs.map((c) => `${c.family} ${c.table} ${c.name} policy ${c.policy ?? 'accept'}`) } };
  },
};

const ANY_SOURCE = new Set(['0.0.0.0/0', '::/0']);

export const firewallGatewayPorts: Check = {
  id: 'host.firewall-gateway-ports',
  title: 'The firewall admits the gateway ports only as intended',
  severity: 'high',
  profiles: ['host', 'go-live'],
  rationale: 'A loopback gateway must not be reachable from outside, and a remote one only from the addresses that need it.',
  runbook: '§1.2, §1.5',
  needs: ['host.nft', 'config'],
  fixKind: 'provisioner',
  fixSummary: 'Set `gateway_allow_from` and run `kafclaw provision playbooks/harden.yml`.',
  run(ctx) {
    const ruleset = ctx.facts.get<NftRuleset>('host.nft');
    if (!ruleset.available) return { status: 'error', message: `cannot read the ruleset: ${ruleset.reason}` };
    const endpoint = gatewayEndpoint(ctx.facts.get<ConfigFact>('config'));
    const ports = [endpoint.port, endpoint.dashboardPort];
    const inputs = inputChains(ruleset.chains);
    if (!inputs.some((chain) => chain.policy === 'drop')) {
      return { status: 'fail', message: `no default-drop input policy: ports ${ports.join(', ')} are open to any address` };
    }
    const openings = inputs.flatMap((chain) =>
      chain.rules
        .filter((rule) => rule.verdict === 'accept' && !rule.loopback && rule.dports.some((p) => ports.includes(p)))
        .map((rule) => ({ chain: `${chain.table} ${chain.name}`, ports: rule.dports.filter((p) => ports.includes(p)), from: rule.saddrs })),
    );
    const remote = !isLoopbackHost(endpoint.host);
    if (!remote) {
      if (openings.length === 0) return { status: 'pass', message: `the gateway binds ${endpoint.host} and the firewall admits no outside traffic to ${ports.join(', ')}` };
      return { status: 'fail', message: `the gateway is meant to be loopback-only, yet the firewall accepts ports ${openings.flatMap((o) => o.ports).join(', ')} from outside`, evidence: { rules: openings.map((o) => `${o.chain}: ${o.ports.join(',')} from ${o.from.join(',') || 'any'}`) } };
    }
    const fromAnywhere = openings.filter((o) => o.from.length === 0 || o.from.some((s) => ANY_SOURCE.has(s)));
    if (fromAnywhere.length > 0) {
      return { status: 'fail', message: `ports ${fromAnywhere.flatMap((o) => o.ports).join(', ')} are open to any address`, evidence: { rules: fromAnywhere.map((o) => `${o.chain}: ${o.ports.join(',')} from any`) } };
    }
    if (openings.length === 0) return { status: 'warn', message: `the gateway binds ${endpoint.host} but the firewall admits nobody to ${ports.join(', ')}` };
    return { status: 'pass', message: `ports ${ports.join(', ')} admitted only from ${[...new Set(openings.flatMap((o) => o.from))].join(', ')}` };
  },
};

/** host-end-state §2, as `sshd -T` prints the effective values. */
export const SSHD_EXPECTED: Readonly<Record<string, string>> = {
  permitrootlogin: 'no',
  passwordauthentication: 'no',
  kbdinteractiveauthentication: 'no',
  permitemptypasswords: 'no',
  x11forwarding: 'no',
  allowagentforwarding: 'no',
  allowtcpforwarding: 'no',
  maxauthtries: '3',
  logingracetime: '30',
  clientaliveinterval: '300',
  clientalivecountmax: '2',
  allowgroups: 'sudo',
};

export const sshHardening: Check = {
  id: 'host.ssh-hardening',
  title: 'sshd runs with the hardened settings',
  severity: 'medium',
  profiles: ['host', 'go-live'],
  rationale: 'Password logins, root logins and forwarding widen the door an attacker needs to the gateway host.',
  runbook: '§1.5',
  needs: ['host.sshd'],
  fixKind: 'provisioner',
  fixSummary: 'Run `kafclaw provision playbooks/harden.yml`: it installs /etc/ssh/sshd_config.d/10-kafclaw.conf after `sshd -t`.',
  run(ctx) {
    const sshd = ctx.facts.get<SshdSettings>('host.sshd');
    if (!sshd.available) return { status: 'skip', message: `cannot read sshd's effective settings: ${sshd.reason}` };
    const differing = Object.entries(SSHD_EXPECTED)
      .filter(([key, expected]) => (sshd.values[key] ?? '(unset)').toLowerCase() !== expected)
      .map(([key, expected]) => `${key} is ${sshd.values[key] ?? '(unset)'}, expected ${expected}`);
    if (differing.length === 0) return { status: 'pass', message: 'every hardened sshd value is in effect' };
    return { status: 'fail', message: `${differing.length} sshd setting(s) differ: ${differing.join('; ')}`, evidence: { differing } };
  },
};

export const GENERIC_ADMIN_NAMES = ['admin', 'administrator', 'ubuntu', 'debian', 'ec2-user', 'centos', 'user', 'ops', 'deploy', 'pi'];

/** Users granted sudo by name in sudoers (`alice ALL=(ALL) ALL`), not through a `%group` line or an alias. */
export function sudoersUsers(text: string): string[] {
  const users = new Set<string>();
  for (const raw of text.split('\n')) {
    const line = raw.replace(/#.*$/, '').trim();
    if (!line || /^(Defaults|User_Alias|Runas_Alias|Host_Alias|Cmnd_Alias|@include|%)/.test(line) || line.startsWith('%')) continue;
    const match = /^([A-Za-z_][A-Za-z0-9_.-]*)\s+\S+\s*=/.exec(line);
    if (match && match[1] !== 'root') users.add(match[1]!);
  }
  return [...users];
}

function sudoMembers(groups: GroupEntry[], passwd: PasswdEntry[], sudoers = ''): string[] {
  const members = new Set<string>(sudoersUsers(sudoers));
  for (const group of groups.filter((g) => g.name === 'sudo' || g.name === 'wheel' || g.name === 'admin')) {
    group.members.forEach((m) => members.add(m));
    passwd.filter((p) => p.gid === group.gid).forEach((p) => members.add(p.name));
  }
  return [...members];
}

/** The people behind an account's keys, judged by the key comments (`alice@laptop` → alice). */
function keyOwners(keys: AuthorizedKeys['keys']): string[] {
  return [...new Set(keys.map((key) => key.comment.split('@')[0]?.toLowerCase() || key.comment).filter(Boolean))];
}

export const sharedAdminAccounts: Check = {
  id: 'host.shared-admin-accounts',
  title: 'No shared or extra administrator accounts',
  severity: 'medium',
  profiles: ['host', 'go-live'],
  rationale: 'Shared logins make every action anonymous and every departure a key rotation; a second uid 0 is a back door.',
  runbook: '§1.5',
  needs: ['host.passwd', 'host.group', 'host.authorized-keys', 'host.sudoers'],
  fixKind: 'guided',
  fixSummary: 'Give every operator a personal login with their own key (the `admins` list of the provisioner) and remove shared ones.',
  run(ctx) {
    const passwd = ctx.facts.get<PasswdEntry[]>('host.passwd');
    const groups = ctx.facts.get<GroupEntry[]>('host.group');
    const keys = ctx.facts.get<AuthorizedKeys[]>('host.authorized-keys');
    const sudoers = ctx.facts.get<string>('host.sudoers');
    const verdicts: Verdict[] = [];
    for (const entry of passwd.filter((p) => p.uid === 0 && p.name !== 'root')) {
      verdicts.push({ status: 'fail', subject: entry.name, message: `${entry.name} has uid 0: only root may`, evidence: { account: entry.name } });
    }
    const admins = sudoMembers(groups, passwd, sudoers);
    for (const name of admins.filter((n) => GENERIC_ADMIN_NAMES.includes(n.toLowerCase()))) {
      verdicts.push({ status: 'fail', subject: name, message: `the sudo account "${name}" has a generic name: it reads as shared`, evidence: { account: name } });
    }
    for (const account of keys.filter((k) => admins.includes(k.user) || k.user === 'root')) {
      const owners = keyOwners(account.keys);
      if (owners.length > 1) {
        verdicts.push({ status: 'fail', subject: account.user, message: `${account.user} holds the keys of ${owners.length} people (${owners.join(', ')})`, evidence: { account: account.user, keyComments: owners } });
      }
    }
    if (verdicts.length > 0) return verdicts;
    return { status: 'pass', message: `${admins.length} sudo account(s), each personal; root is the only uid 0`, evidence: { sudoers: admins } };
  },
};

export const patches: Check = {
  id: 'host.patches',
  title: 'Security updates are applied and automatic',
  severity: 'medium',
  profiles: ['host', 'go-live'],
  rationale: 'An unpatched gateway host is exposed to known exploits no configuration can stop.',
  runbook: '§1.5',
  needs: ['host.patches'],
  fixKind: 'guided',
  fixSummary: 'Run `apt-get update && apt-get upgrade`, and install and enable unattended-upgrades.',
  run(ctx) {
    const facts = ctx.facts.get<PatchFacts>('host.patches');
    if (!facts.metadataAvailable) return { status: 'skip', message: `package metadata unavailable: ${facts.reason ?? 'unknown'}` };
    const verdicts: Verdict[] = [];
    if (facts.pendingSecurity.length > 0) {
      verdicts.push({ status: 'fail', subject: 'pending', message: `${facts.pendingSecurity.length} security update(s) pending`, evidence: { packages: facts.pendingSecurity.slice(0, 20) } });
    }
    if (!facts.unattendedUpgrades) verdicts.push({ status: 'fail', subject: 'unattended-upgrades', message: 'automatic security updates are not enabled (unattended-upgrades)' });
    if (verdicts.length > 0) return verdicts;
    return { status: 'pass', message: `no security updates pending (${facts.pendingOther} other), automatic updates enabled` };
  },
};

export const hostChecks: readonly Check[] = [nonRootRuntime, firewallActive, firewallGatewayPorts, sshHardening, sharedAdminAccounts, patches];
