import { isIP } from 'node:net';
import { excerpt } from '@switchyard/core/adapter';
import ipaddr from 'ipaddr.js';
import { carriedIPv4, isPublic, parseAddress, type IpAddress } from './public-address.js';

/** Whether the image fetcher may connect to an IP address (as DNS or the URL parser writes it). */
export type AddressPolicy = (address: string) => boolean;

/**
 * What `images.allowPrivateNetworks` takes: `true` for every non-public address except the
 * cloud metadata ones, or a list of addresses and CIDR ranges (`'10.0.0.0/8'`, `'::1'`)
 * allowed on top of the public internet.
 */
export type PrivateNetworkAllowance = boolean | readonly string[];

type Network = [IpAddress, number];

/**
 * Where clouds serve instance metadata and credentials: all of IPv4 and IPv6 link-local
 * (169.254.169.254 on AWS, GCP, Azure and Oracle, 169.254.170.2 for ECS task roles), AWS's
 * IPv6 metadata and EKS pod-identity addresses, and Alibaba's. Reaching them hands out the
 * gateway's cloud credentials, so `true` leaves them out: only a list naming them reaches them.
 */
const METADATA: readonly Network[] = ['169.254.0.0/16', 'fe80::/10', 'fd00:ec2::254/128', 'fd00:ec2::23/128', '100.100.100.200/32'].map((text) =>
  ipaddr.parseCIDR(text),
);

/**
 * The policy for an `images.allowPrivateNetworks` value: by default (`undefined` or `false`)
 * public addresses only. Throws a `TypeError` naming the entry when a list holds something
 * that is not an IP address or CIDR range, so a typo fails at startup, not on a request.
 */
export function addressPolicy(allowance: PrivateNetworkAllowance | undefined): AddressPolicy {
  if (allowance === undefined || allowance === false) return (text) => test(text, isPublic);
  if (allowance === true) return (text) => test(text, (address) => !isMetadata(address));
  if (!Array.isArray(allowance)) throw new TypeError('must be true, false or a list of IP addresses and CIDR ranges.');
  const networks = allowance.map(parseNetwork);
  return (text) => test(text, (address) => isPublic(address) || networks.some((network) => inNetwork(address, network)));
}

/**
 * Whether `address` reaches a metadata address, itself or through the IPv4 address it
 * carries: IPv4-mapped, NAT64 (`64:ff9b::a9fe:a9fe`), 6to4 (`2002:a9fe:a9fe::`), Teredo and
 * IPv4-compatible forms of 169.254.169.254 are refused like it.
 */
function isMetadata(address: IpAddress): boolean {
  return [address, ...carriedIPv4(address)].some((candidate) => METADATA.some((network) => inNetwork(candidate, network)));
}

function test(text: string, allows: (address: IpAddress) => boolean): boolean {
  const address = parseAddress(text);
  return address !== undefined && allows(address);
}

function inNetwork(address: IpAddress, [network, bits]: Network): boolean {
  // ipaddr.js throws when asked to match an IPv4 address against an IPv6 range.
  return address.kind() === network.kind() && address.match(network, bits);
}

function parseNetwork(entry: unknown, index: number): Network {
  const text = typeof entry === 'string' ? entry.trim() : '';
  const [address = '', bits, ...rest] = text.split('/');
  // isIP first: ipaddr.js would also take shorthand such as '10.1/8', which is easy to misread.
  const version = isIP(address);
  const prefix = bits === undefined ? (version === 4 ? 32 : 128) : /^\d{1,3}$/.test(bits) ? Number(bits) : -1;
  if (version === 0 || rest.length > 0 || prefix < 0 || prefix > (version === 4 ? 32 : 128)) {
    throw new TypeError(
      `entry ${index} (${describe(entry)}) is not an IP address or CIDR range: write e.g. '10.0.0.0/8', '192.168.1.20' or 'fd00::/8' (host names are not accepted).`,
    );
  }
  const parsed = parseAddress(address) as IpAddress;
  // A mapped IPv6 entry (::ffff:10.0.0.0/104) would never match: addresses are compared as IPv4.
  return parsed.kind() === 'ipv4' && version === 6 ? [parsed, Math.max(0, prefix - 96)] : [parsed, prefix];
}

function describe(entry: unknown): string {
  return typeof entry === 'string' ? JSON.stringify(excerpt(entry, 60)) : typeof entry;
}
