/**
 * Which IP addresses are not on the public Internet, so that Kouan never pushes a webhook into its own network
 * (server-side request forgery). The tables follow the IANA IPv4 and IPv6 special-purpose address registries;
 * IPv6 is an allowlist (only 2000::/3 is global unicast), and every IPv6 form that carries an IPv4 address
 * (mapped, NAT64, 6to4) is judged by the IPv4 address it carries.
 */
import { isIPv4, isIPv6 } from 'node:net';

/** Why an address is not a public one. */
export type AddressRange =
  | 'not an IP address'
  | 'unspecified'
  | 'loopback'
  | 'private'
  | 'shared (carrier-grade NAT)'
  | 'link-local'
  | 'unique-local'
  | 'site-local'
  | 'multicast'
  | 'broadcast'
  | 'documentation'
  | 'benchmarking'
  | 'reserved';

type Embedded = 'embedded';

interface Block<R> {
  readonly base: bigint;
  readonly prefix: number;
  readonly range: R;
}

const V4_BITS = 32;
const V6_BITS = 128;

function block<R>(cidr: string, range: R, bits: number): Block<R> {
  const [address = '', prefix = ''] = cidr.split('/');
  const base = bits === V4_BITS ? ipv4Value(address) : ipv6Value(address);
  if (base === undefined) throw new Error(`bad CIDR ${cidr}`);
  return { base, prefix: Number(prefix), range };
}

/** First match wins: the more specific blocks come before the ones that contain them. */
const IPV4: readonly Block<AddressRange>[] = (
  [
    ['0.0.0.0/8', 'unspecified'],
    ['10.0.0.0/8', 'private'],
    ['100.64.0.0/10', 'shared (carrier-grade NAT)'],
    ['127.0.0.0/8', 'loopback'],
    ['169.254.0.0/16', 'link-local'],
    ['172.16.0.0/12', 'private'],
    ['192.0.0.0/24', 'reserved'],
    ['192.0.2.0/24', 'documentation'],
    ['192.88.99.0/24', 'reserved'],
    ['192.168.0.0/16', 'private'],
    ['198.18.0.0/15', 'benchmarking'],
    ['198.51.100.0/24', 'documentation'],
    ['203.0.113.0/24', 'documentation'],
    ['224.0.0.0/4', 'multicast'],
    ['255.255.255.255/32', 'broadcast'],
    ['240.0.0.0/4', 'reserved'],
  ] as const
).map(([cidr, range]) => block(cidr, range, V4_BITS));

const IPV6: readonly Block<AddressRange | Embedded>[] = (
  [
    ['::/128', 'unspecified'],
    ['::1/128', 'loopback'],
    ['::ffff:0:0/96', 'embedded'],
    // The deprecated IPv4-compatible form has no legitimate use left.
    ['::/96', 'reserved'],
    ['64:ff9b::/96', 'embedded'],
    ['64:ff9b:1::/48', 'private'],
    ['100::/64', 'reserved'],
    ['2001:db8::/32', 'documentation'],
    // IETF protocol assignments, Teredo among them (its IPv4 address is obfuscated, so it cannot be judged).
    ['2001::/23', 'reserved'],
    ['2002::/16', 'embedded'],
    ['3fff::/20', 'documentation'],
    ['fc00::/7', 'unique-local'],
    ['fe80::/10', 'link-local'],
    ['fec0::/10', 'site-local'],
    ['ff00::/8', 'multicast'],
  ] as const
).map(([cidr, range]) => block(cidr, range, V6_BITS));

const GLOBAL_UNICAST = block('2000::/3', 'global', V6_BITS);

function contains(candidate: Block<unknown>, value: bigint, bits: number): boolean {
  const shift = BigInt(bits - candidate.prefix);
  return value >> shift === candidate.base >> shift;
}

/** The range an address belongs to when it is not a public Internet address; undefined when it is public. */
export function nonPublicRange(address: string): AddressRange | undefined {
  // A resolver may answer a scoped address (fe80::1%eth0); the scope does not change where it leads.
  const bare = address.replace(/%.*$/, '');
  const v4 = ipv4Value(bare);
  if (v4 !== undefined) return ipv4Range(v4);
  const v6 = ipv6Value(bare);
  if (v6 === undefined) return 'not an IP address';
  const found = IPV6.find((candidate) => contains(candidate, v6, V6_BITS));
  if (found === undefined) return contains(GLOBAL_UNICAST, v6, V6_BITS) ? undefined : 'reserved';
  if (found.range !== 'embedded') return found.range;
  // 6to4 carries its IPv4 address in bits 16-47, the other forms in the last 32 bits.
  const carried = found.prefix === 16 ? (v6 >> 80n) & 0xffffffffn : v6 & 0xffffffffn;
  return ipv4Range(carried);
}

function ipv4Range(value: bigint): AddressRange | undefined {
  return IPV4.find((candidate) => contains(candidate, value, V4_BITS))?.range;
}

/** A dotted-quad IPv4 address as a number; only the canonical form (what resolvers and URL parsing produce). */
function ipv4Value(text: string): bigint | undefined {
  if (!isIPv4(text)) return undefined;
  return text.split('.').reduce((value, octet) => (value << 8n) | BigInt(Number(octet)), 0n);
}

/** An IPv6 address (with `::` and an optional dotted IPv4 tail) as a 128-bit number. */
function ipv6Value(text: string): bigint | undefined {
  if (!isIPv6(text)) return undefined;
  const groupsOf = (part: string): string[] => {
    if (part === '') return [];
    const groups = part.split(':');
    const last = groups.at(-1) ?? '';
    if (last.includes('.')) {
      const tail = ipv4Value(last);
      if (tail === undefined) return ['x'];
      groups.splice(-1, 1, (tail >> 16n).toString(16), (tail & 0xffffn).toString(16));
    }
    return groups;
  };
  const [head = '', tail] = text.split('::');
  const before = groupsOf(head);
  const after = tail === undefined ? [] : groupsOf(tail);
  const missing = 8 - before.length - after.length;
  const groups = tail === undefined ? before : [...before, ...Array<string>(missing).fill('0'), ...after];
  if (groups.length !== 8 || groups.some((group) => !/^[0-9a-f]{1,4}$/i.test(group))) return undefined;
  return groups.reduce((value, group) => (value << 16n) | BigInt(Number.parseInt(group, 16)), 0n);
}
