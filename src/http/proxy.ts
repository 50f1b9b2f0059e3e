/**
 * Which proxies are believed, and what the request's scheme was. A proxy in front of Kouan terminates TLS and
 * says so in X-Forwarded-Proto or Forwarded (RFC 7239); those headers are anyone's to send, so they count only
 * when the connection comes from a proxy named in KOUAN_TRUST_PROXY.
 */
import type { FastifyRequest } from 'fastify';
import { BlockList, isIP } from 'node:net';

/** Fastify's trustProxy test over the configured proxies; undefined when none is (forwarded headers are ignored). */
export type TrustTest = (address: string, hop: number) => boolean;

export function trustedProxies(entries: readonly string[]): TrustTest | undefined {
  if (entries.length === 0) return undefined;
  const list = new BlockList();
  for (const entry of entries) {
    if (entry === 'loopback') {
      list.addSubnet('127.0.0.0', 8, 'ipv4');
      list.addAddress('::1', 'ipv6');
      continue;
    }
    const [address = '', prefix] = entry.split('/');
    const family = isIP(address) === 6 ? 'ipv6' : 'ipv4';
    if (prefix === undefined) list.addAddress(address, family);
    else list.addSubnet(address, Number(prefix), family);
  }
  return (address) => {
    // An IPv4 peer on a dual-stack socket shows as ::ffff:a.b.c.d.
    const plain = address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
    const family = isIP(plain);
    return family !== 0 && list.check(plain, family === 6 ? 'ipv6' : 'ipv4');
  };
}

/**
 * Whether the request came over https: a TLS socket, or a trusted proxy's X-Forwarded-Proto (read by Fastify
 * with the same trust) or Forwarded proto, the entry the proxy nearest to Kouan added.
 */
export function isHttps(request: FastifyRequest, trusted: TrustTest | undefined): boolean {
  if (request.protocol === 'https') return true;
  const peer = request.raw.socket.remoteAddress;
  if (trusted === undefined || peer === undefined || !trusted(peer, 0)) return false;
  const forwarded = request.headers.forwarded;
  if (forwarded === undefined) return false;
  const nearest = forwarded.split(',').at(-1) ?? '';
  const proto = /(?:^|;)\s*proto\s*=\s*"?([A-Za-z]+)"?/i.exec(nearest)?.[1];
  return proto?.toLowerCase() === 'https';
}
