import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

export type IpAddress = ipaddr.IPv4 | ipaddr.IPv6;

/** 2000::/3, the only IPv6 block IANA hands out as global unicast. */
const GLOBAL_UNICAST: [ipaddr.IPv6, number] = [ipaddr.IPv6.parse('2000::'), 3];
/** RFC 6052's well-known NAT64 prefix: the last 32 bits are the IPv4 address a NAT64 gateway reaches. */
const NAT64: [ipaddr.IPv6, number] = [ipaddr.IPv6.parse('64:ff9b::'), 96];
/** 6to4 (RFC 3056): bits 16 to 48 are the IPv4 address of the tunnel's end. */
const SIX_TO_FOUR: [ipaddr.IPv6, number] = [ipaddr.IPv6.parse('2002::'), 16];
/** Teredo (RFC 4380): the server's IPv4 address in bits 32 to 64, the client's inverted in the last 32. */
const TEREDO: [ipaddr.IPv6, number] = [ipaddr.IPv6.parse('2001::'), 32];
/** The deprecated IPv4-compatible form (`::a.b.c.d`), which some stacks still send over IPv4. */
const IPV4_COMPATIBLE: [ipaddr.IPv6, number] = [ipaddr.IPv6.parse('::'), 96];

/**
 * Parses an IP address as the URL parser and DNS write them (dotted-quad IPv4, or IPv6 with an
 * optional zone), and returns IPv4-mapped IPv6 (`::ffff:127.0.0.1`) as the IPv4 address it
 * reaches. Anything else, host names and ipaddr.js's lenient forms such as `127.1` included,
 * is `undefined`: those never come out of the URL parser or DNS, so they have no business here.
 */
export function parseAddress(text: string): IpAddress | undefined {
  if (isIP(text) === 0) return undefined;
  const address = ipaddr.parse(hexTail(text));
  return address instanceof ipaddr.IPv6 && address.isIPv4MappedAddress() ? address.toIPv4Address() : address;
}

/**
 * Whether connecting to `address` reaches the public internet: globally routable unicast
 * only. Loopback, private (RFC 1918, CGNAT, IPv6 ULA), link-local, unspecified, multicast,
 * broadcast, reserved, benchmarking and documentation ranges are not (ipaddr.js keeps the
 * table, after IANA's special-purpose registries). In IPv6, addresses outside 2000::/3 are
 * not either, which also covers the deprecated IPv4-compatible form `::127.0.0.1`; an
 * IPv4-mapped or NAT64 address is judged by the IPv4 address it carries, and the 6to4 and
 * Teredo tunnels, which could carry anything, are refused outright.
 */
export function isPublic(address: IpAddress): boolean {
  if (address instanceof ipaddr.IPv4) return address.range() === 'unicast';
  if (address.isIPv4MappedAddress()) return isPublic(address.toIPv4Address());
  if (address.match(NAT64)) return isPublic(embeddedIPv4(address));
  return address.range() === 'unicast' && address.match(GLOBAL_UNICAST);
}

/** `isPublic` for an address written as text; `false` for anything that is not an IP address. */
export function isPublicAddress(text: string): boolean {
  const address = parseAddress(text);
  return address !== undefined && isPublic(address);
}

/**
 * `::8.8.8.8` with its dotted tail in hex (`::808:808`): ipaddr.js reads the dotted IPv4-compatible
 * form as IPv4-mapped (`::ffff:8.8.8.8`), which reaches somewhere else entirely.
 */
function hexTail(text: string): string {
  const dotted = /^(.*:)(\d+)\.(\d+)\.(\d+)\.(\d+)(%.*)?$/.exec(text);
  if (dotted === null) return text;
  const [, head = '', a, b, c, d, zone = ''] = dotted;
  const group = (high: string | undefined, low: string | undefined) => ((Number(high) << 8) | Number(low)).toString(16);
  return `${head}${group(a, b)}:${group(c, d)}${zone}`;
}

/**
 * The IPv4 addresses an IPv6 address leads to: the one an IPv4-mapped, IPv4-compatible or
 * NAT64 address carries, the tunnel end of a 6to4 address, Teredo's server and client.
 * Empty for any other IPv6 address, and an IPv4 address is its own.
 */
export function carriedIPv4(address: IpAddress): ipaddr.IPv4[] {
  if (address instanceof ipaddr.IPv4) return [address];
  if (address.isIPv4MappedAddress()) return [address.toIPv4Address()];
  if (address.match(NAT64) || address.match(IPV4_COMPATIBLE)) return [embeddedIPv4(address)];
  if (address.match(SIX_TO_FOUR)) return [embeddedIPv4(address, 1)];
  if (address.match(TEREDO)) return [embeddedIPv4(address, 2), embeddedIPv4(address, 6, 0xffff)];
  return [];
}

/** The IPv4 address in the two 16-bit groups from `group` on, XORed with `mask` (Teredo inverts its client's). */
function embeddedIPv4(address: ipaddr.IPv6, group = 6, mask = 0): ipaddr.IPv4 {
  const [high = 0, low = 0] = address.parts.slice(group, group + 2).map((part) => part ^ mask);
  return new ipaddr.IPv4([high >> 8, high & 0xff, low >> 8, low & 0xff]);
}
