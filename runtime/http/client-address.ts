import { BlockList, isIP } from 'node:net';

/** An address as BlockList wants it: its family, and IPv4-mapped IPv6 written as plain IPv4. */
function parsed(address: string): { address: string; family: 'ipv4' | 'ipv6' } | null {
  const plain = address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
  const version = isIP(plain);
  return version === 4 ? { address: plain, family: 'ipv4' } : version === 6 ? { address: plain, family: 'ipv6' } : null;
}

/**
 * The reverse proxies whose X-Forwarded-For is believed, from `gateway.trustedProxies`: addresses
 * and CIDR ranges, IPv4 or IPv6. Throws on an entry it cannot read, naming it.
 */
export function proxyTrust(entries: readonly string[]): BlockList | null {
  if (entries.length === 0) return null;
  const list = new BlockList();
  for (const entry of entries) {
    const [base = '', prefix, extra] = entry.trim().split('/');
    const address = parsed(base);
    const bits = prefix === undefined ? null : Number(prefix);
    const max = address?.family === 'ipv4' ? 32 : 128;
    if (!address || extra !== undefined || (bits !== null && (!/^\d{1,3}$/.test(prefix!) || bits > max))) {
      throw new Error(`gateway.trustedProxies: "${entry}" is not an IP address or CIDR range (e.g. 10.0.0.5, 10.0.0.0/8, fd00::/8)`);
    }
    if (bits === null) list.addAddress(address.address, address.family);
    else list.addSubnet(address.address, bits, address.family);
  }
  return list;
}

function trusted(list: BlockList, address: string): boolean {
  const ip = parsed(address);
  return ip !== null && list.check(ip.address, ip.family);
}

/**
 * The client's address: the socket's peer unless that peer is a trusted proxy, in which case
 * X-Forwarded-For is read from the right (the entry the proxy itself appended) past every trusted
 * hop to the first address that is not one. A peer that is not trusted cannot move its own address,
 * whatever X-Forwarded-For it sends. Pure.
 */
export function clientAddress(peer: string, forwardedFor: string | string[] | undefined, trust: BlockList | null): string {
  if (!trust || forwardedFor === undefined || !trusted(trust, peer)) return peer;
  const hops = (Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor).split(',');
  let client = peer;
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = hops[i]!.trim();
    const ip = parsed(hop);
    // Unreadable: the trusted hop after it is the last address we know anything about.
    if (!ip) return client;
    client = ip.address;
    if (!trust.check(ip.address, ip.family)) return client;
  }
  return client;
}

/** `clientAddress` with the trust list read from live settings, rebuilt only when the list changes. */
export function clientAddressReader(trustedProxies: () => readonly string[] | undefined) {
  let source: readonly string[] | undefined;
  let trust: BlockList | null = null;
  return function addressOf(request: { ip: string; headers: Record<string, string | string[] | undefined> }): string {
    const list = trustedProxies();
    if (list !== source) {
      source = list;
      try {
        trust = list ? proxyTrust(list) : null;
      } catch {
        trust = null; // the startup check refuses such a list; should one get here, no proxy is believed
      }
    }
    return trust ? clientAddress(request.ip, request.headers['x-forwarded-for'], trust) : request.ip;
  };
}
