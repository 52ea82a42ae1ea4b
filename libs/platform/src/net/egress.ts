import { BlockList, isIP } from 'node:net';
import { lookup } from 'node:dns/promises';

/**
 * Where the engine may send requests chosen by its users (webhooks): public addresses only,
 * unless an operator names a network in the allowlist (WEBHOOK_ALLOWED_NETWORKS). Refused:
 * "this network", loopback, private (RFC 1918, unique local), carrier-grade NAT, link-local
 * (which holds the cloud metadata address 169.254.169.254), documentation, benchmarking,
 * multicast and reserved ranges, in IPv4 and IPv6 (IPv4-mapped IPv6 is judged as IPv4).
 */
const FORBIDDEN: [string, number, 'ipv4' | 'ipv6'][] = [
  ['0.0.0.0', 8, 'ipv4'],
  ['10.0.0.0', 8, 'ipv4'],
  ['100.64.0.0', 10, 'ipv4'],
  ['127.0.0.0', 8, 'ipv4'],
  ['169.254.0.0', 16, 'ipv4'],
  ['172.16.0.0', 12, 'ipv4'],
  ['192.0.0.0', 24, 'ipv4'],
  ['192.0.2.0', 24, 'ipv4'],
  ['192.88.99.0', 24, 'ipv4'],
  ['192.168.0.0', 16, 'ipv4'],
  ['198.18.0.0', 15, 'ipv4'],
  ['198.51.100.0', 24, 'ipv4'],
  ['203.0.113.0', 24, 'ipv4'],
  ['224.0.0.0', 4, 'ipv4'],
  ['240.0.0.0', 4, 'ipv4'],
  ['::', 128, 'ipv6'],
  ['::1', 128, 'ipv6'],
  ['64:ff9b::', 96, 'ipv6'],
  ['64:ff9b:1::', 48, 'ipv6'],
  ['100::', 64, 'ipv6'],
  ['2001:db8::', 32, 'ipv6'],
  ['fc00::', 7, 'ipv6'],
  ['fe80::', 10, 'ipv6'],
  ['fec0::', 10, 'ipv6'],
  ['ff00::', 8, 'ipv6'],
];

const forbidden = new BlockList();
for (const [network, prefix, type] of FORBIDDEN) forbidden.addSubnet(network, prefix, type);

export class EgressRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EgressRefusedError';
  }
}

/** An address and its family, to connect to (pinned: no second lookup). */
export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Networks an operator allows although private, e.g. "10.1.2.0/24,127.0.0.1". */
export function parseAllowedNetworks(value: string | undefined): BlockList {
  const list = new BlockList();
  for (const item of (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const [address, prefix] = item.split('/');
    const family = isIP(address);
    if (family === 0) throw new RangeError(`${item}: not an IP address or network`);
    const type = family === 4 ? 'ipv4' : 'ipv6';
    if (prefix === undefined) list.addAddress(address, type);
    else list.addSubnet(address, Number(prefix), type);
  }
  return list;
}

/** IPv4-mapped IPv6 (::ffff:10.0.0.1) as the IPv4 address it is. */
function unmapped(address: string): { address: string; type: 'ipv4' | 'ipv6' } {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return { address: mapped[1], type: 'ipv4' };
  return { address, type: isIP(address) === 4 ? 'ipv4' : 'ipv6' };
}

/** Whether the engine may connect to this address. */
export function isAllowedAddress(address: string, allowed: BlockList): boolean {
  const a = unmapped(address);
  if (allowed.check(a.address, a.type)) return true;
  return !forbidden.check(a.address, a.type);
}

/**
 * Resolves the URL's host and checks every address it resolves to: one forbidden address is
 * enough to refuse (a name may resolve to a public and a private address). Returns the first
 * address, to connect to it and nothing else.
 * @throws EgressRefusedError, or the lookup's own error (ENOTFOUND) when the name does not resolve
 */
export async function resolveEgress(url: URL, allowed: BlockList): Promise<ResolvedAddress> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const addresses =
    isIP(host) !== 0
      ? [{ address: host, family: isIP(host) as 4 | 6 }]
      : (await lookup(host, { all: true, verbatim: true })).map((a) => ({
          address: a.address,
          family: a.family as 4 | 6,
        }));
  if (addresses.length === 0) throw new EgressRefusedError(`${host} resolves to no address`);
  const refused = addresses.filter((a) => !isAllowedAddress(a.address, allowed));
  if (refused.length > 0) {
    throw new EgressRefusedError(
      `${host} resolves to ${refused.map((a) => a.address).join(', ')}: loopback, private, link-local or reserved addresses are refused (WEBHOOK_ALLOWED_NETWORKS)`,
    );
  }
  return addresses[0];
}
