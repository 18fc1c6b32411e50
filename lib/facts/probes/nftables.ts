import type { FactProbe } from '../types.js';

export interface NftChain {
  family: string;
  table: string;
  name: string;
  hook?: string;
  policy?: string;
  rules: NftRule[];
}

export interface NftRule {
  /** Loopback-only rule (`iif lo` / `iifname lo`). */
  loopback: boolean;
  /** Destination ports the rule matches, when it matches tcp ports. */
  dports: number[];
  /** Source prefixes the rule is limited to; empty means any source. */
  saddrs: string[];
  verdict: string | null;
}

export type NftRuleset = { available: true; chains: NftChain[] } | { available: false; reason: string };

type Json = Record<string, unknown>;

function portsOf(right: unknown): number[] {
  if (typeof right === 'number') return [right];
  if (right && typeof right === 'object') {
    const object = right as Json;
    if (Array.isArray((object.set as unknown[] | undefined))) return (object.set as unknown[]).flatMap(portsOf);
    if (Array.isArray(object.range)) {
      const [low, high] = object.range as number[];
      if (typeof low === 'number' && typeof high === 'number') {
        const ports: number[] = [];
        for (let p = low; p <= high && ports.length < 65536; p++) ports.push(p);
        return ports;
      }
    }
  }
  return [];
}

function prefixesOf(right: unknown): string[] {
  if (typeof right === 'string') return [right];
  if (right && typeof right === 'object') {
    const object = right as Json;
    if (object.prefix && typeof object.prefix === 'object') {
      const prefix = object.prefix as Json;
      return [`${prefix.addr}/${prefix.len}`];
    }
    if (Array.isArray(object.set)) return (object.set as unknown[]).flatMap(prefixesOf);
    if (Array.isArray(object.range)) return [(object.range as string[]).join('-')];
  }
  return [];
}

function parseRule(expr: unknown[]): NftRule {
  const rule: NftRule = { loopback: false, dports: [], saddrs: [], verdict: null };
  for (const item of expr) {
    const statement = item as Json;
    const match = statement.match as Json | undefined;
    if (match) {
      const left = match.left as Json | undefined;
      const meta = left?.meta as Json | undefined;
      const payload = left?.payload as Json | undefined;
      if (meta && (meta.key === 'iif' || meta.key === 'iifname') && match.right === 'lo') rule.loopback = true;
      if (payload && payload.field === 'dport' && (match.op === '==' || match.op === 'in')) rule.dports.push(...portsOf(match.right));
      if (payload && payload.field === 'saddr' && (match.op === '==' || match.op === 'in')) rule.saddrs.push(...prefixesOf(match.right));
    }
    for (const verdict of ['accept', 'drop', 'reject', 'jump', 'goto', 'return']) {
      if (verdict in statement) rule.verdict = verdict;
    }
  }
  return rule;
}

/** `nft -j list ruleset` into the chains and rules the firewall checks judge. */
export function parseNftRuleset(text: string, exitCode: number): NftRuleset {
  if (exitCode === 127) return { available: false, reason: 'nft is not installed' };
  if (exitCode !== 0) return { available: false, reason: `nft failed: ${text.trim().split('\n')[0] ?? ''}` };
  const start = text.indexOf('{');
  if (start < 0) return { available: true, chains: [] };
  const document = JSON.parse(text.slice(start)) as { nftables?: Json[] };
  const chains = new Map<string, NftChain>();
  for (const entry of document.nftables ?? []) {
    if (entry.chain) {
      const chain = entry.chain as Json;
      const key = `${chain.family} ${chain.table} ${chain.name}`;
      const value: NftChain = { family: String(chain.family), table: String(chain.table), name: String(chain.name), rules: [] };
      if (typeof chain.hook === 'string') value.hook = chain.hook;
      if (typeof chain.policy === 'string') value.policy = chain.policy;
      chains.set(key, value);
    }
    if (entry.rule) {
      const rule = entry.rule as Json;
      const chain = chains.get(`${rule.family} ${rule.table} ${rule.chain}`);
      if (chain && Array.isArray(rule.expr)) chain.rules.push(parseRule(rule.expr));
    }
  }
  return { available: true, chains: [...chains.values()] };
}

export const nftProbe: FactProbe<NftRuleset> = {
  key: 'host.nft',
  root: true,
  script: 'PATH="$PATH:/usr/sbin:/sbin"; command -v nft >/dev/null 2>&1 || exit 127\nnft -j list ruleset',
  parse: parseNftRuleset,
};
