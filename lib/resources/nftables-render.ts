/** The structured firewall of a playbook: one `table inet NAME` with input, forward and output chains. */
export interface NftTableSpec {
  /** Default `kafclaw`. */
  name?: string;
  input_policy?: 'accept' | 'drop';
  forward_policy?: 'accept' | 'drop';
  output_policy?: 'accept' | 'drop';
  allow_loopback?: boolean;
  allow_established?: boolean;
  drop_invalid?: boolean;
  /** ICMP echo-request, ICMPv6 echo-request and neighbour discovery. */
  allow_icmp?: boolean;
  rules?: readonly NftAcceptRule[];
}

export interface NftAcceptRule {
  proto?: 'tcp' | 'udp';
  ports: readonly number[];
  /** Source addresses or CIDRs, IPv4 and IPv6 mixed. */
  from: readonly string[];
  /** False leaves the rule out. Default true. */
  enabled?: boolean;
  comment?: string;
}

const V4 = /^(\d{1,3}\.){3}\d{1,3}(\/\d{1,2})?$/;
const V6 = /^[0-9a-fA-F:]*:[0-9a-fA-F:.]*(\/\d{1,3})?$/;

function acceptLines(rule: NftAcceptRule, index: number): string[] {
  if (rule.enabled === false) return [];
  const proto = rule.proto ?? 'tcp';
  if (rule.ports.length === 0 || rule.ports.some((p) => !Number.isInteger(p) || p < 1 || p > 65535)) throw new Error(`firewall rule ${index + 1}: ports must be whole numbers from 1 to 65535`);
  if (rule.from.length === 0) throw new Error(`firewall rule ${index + 1}: an enabled rule needs at least one source address; an empty list would admit nobody`);
  const bad = rule.from.find((a) => !V4.test(a) && !V6.test(a));
  if (bad !== undefined) throw new Error(`firewall rule ${index + 1}: "${bad}" is not an IPv4 or IPv6 address or CIDR`);
  const comment = rule.comment === undefined ? '' : ` comment "${rule.comment.replace(/[^A-Za-z0-9 ._:/-]/g, '').slice(0, 120)}"`;
  const ports = `{ ${rule.ports.join(', ')} }`;
  const lines: string[] = [];
  const v4 = rule.from.filter((a) => V4.test(a));
  const v6 = rule.from.filter((a) => !V4.test(a));
  if (v4.length > 0) lines.push(`    ip saddr { ${v4.join(', ')} } ${proto} dport ${ports} accept${comment}`);
  if (v6.length > 0) lines.push(`    ip6 saddr { ${v6.join(', ')} } ${proto} dport ${ports} accept${comment}`);
  return lines;
}

/** Pure: nft text that replaces only this table (create, delete, create), so other tables stay. */
export function renderNftTable(spec: NftTableSpec): string {
  const name = spec.name ?? 'kafclaw';
  if (!/^[A-Za-z0-9_]+$/.test(name)) throw new Error(`firewall table name "${name}": use letters, digits and _`);
  const input = [
    `    type filter hook input priority 0; policy ${spec.input_policy ?? 'drop'};`,
    ...(spec.allow_loopback === false ? [] : ['    iif lo accept']),
    ...(spec.allow_established === false ? [] : ['    ct state established,related accept']),
    ...(spec.drop_invalid === false ? [] : ['    ct state invalid drop']),
    ...(spec.allow_icmp === false
      ? []
      : ['    icmp type echo-request accept', '    icmpv6 type { echo-request, nd-neighbor-solicit, nd-neighbor-advert, nd-router-solicit, nd-router-advert } accept']),
    ...(spec.rules ?? []).flatMap(acceptLines),
  ];
  return [
    `table inet ${name} {}`,
    `delete table inet ${name}`,
    `table inet ${name} {`,
    '  chain input {',
    ...input,
    '  }',
    '  chain forward {',
    `    type filter hook forward priority 0; policy ${spec.forward_policy ?? 'drop'};`,
    '  }',
    '  chain output {',
    `    type filter hook output priority 0; policy ${spec.output_policy ?? 'accept'};`,
    '  }',
    '}',
    '',
  ].join('\n');
}
