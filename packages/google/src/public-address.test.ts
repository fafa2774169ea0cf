import { describe, expect, it } from 'vitest';
import { isPublicAddress, parseAddress } from './public-address.js';

describe('isPublicAddress: IPv4', () => {
  it.each([
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', '"this network" (0/8)'],
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback (all of 127/8)'],
    ['10.0.0.1', 'private 10/8'],
    ['172.16.0.1', 'private 172.16/12 (start)'],
    ['172.31.255.255', 'private 172.16/12 (end)'],
    ['192.168.1.1', 'private 192.168/16'],
    ['100.64.0.1', 'CGNAT 100.64/10 (start)'],
    ['100.127.255.254', 'CGNAT 100.64/10 (end)'],
    ['100.100.100.200', 'Alibaba metadata (CGNAT)'],
    ['169.254.169.254', 'link-local: the cloud metadata address'],
    ['169.254.170.2', 'link-local: ECS task credentials'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast (SSDP)'],
    ['255.255.255.255', 'broadcast'],
    ['240.0.0.1', 'reserved 240/4'],
    ['192.0.0.8', 'IETF protocol assignments 192.0.0/24'],
    ['192.0.2.1', 'documentation TEST-NET-1'],
    ['198.51.100.7', 'documentation TEST-NET-2'],
    ['203.0.113.9', 'documentation TEST-NET-3'],
    ['198.18.0.1', 'benchmarking 198.18/15'],
    ['198.19.255.255', 'benchmarking 198.18/15 (end)'],
    ['192.88.99.1', '6to4 relay anycast'],
  ])('refuses %s (%s)', (address) => {
    expect(isPublicAddress(address)).toBe(false);
  });

  it.each(['1.1.1.1', '8.8.8.8', '93.184.215.14', '172.15.255.255', '172.32.0.1', '100.63.255.255', '100.128.0.1', '169.253.255.255', '223.255.255.254', '11.0.0.1', '192.169.0.1'])(
    'allows the public address %s (neighbours of private ranges included)',
    (address) => {
      expect(isPublicAddress(address)).toBe(true);
    },
  );
});

describe('isPublicAddress: IPv6', () => {
  it.each([
    ['::', 'unspecified'],
    ['::1', 'loopback'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local with a zone'],
    ['febf:ffff::1', 'link-local (end of fe80::/10)'],
    ['fc00::1', 'unique local fc00::/7'],
    ['fd12:3456:789a::1', 'unique local fd00::/8'],
    ['fd00:ec2::254', 'AWS metadata (unique local)'],
    ['fec0::1', 'deprecated site-local'],
    ['ff02::1', 'multicast'],
    ['2001:db8::1', 'documentation'],
    ['3fff::1', 'documentation (RFC 9637)'],
    ['100::1', 'discard-only'],
    ['2001:2::1', 'benchmarking'],
    ['2001::1', 'Teredo'],
    ['2002:c000:0204::1', '6to4'],
    ['4000::1', 'unassigned (outside 2000::/3)'],
  ])('refuses %s (%s)', (address) => {
    expect(isPublicAddress(address)).toBe(false);
  });

  it.each(['2606:4700:4700::1111', '2001:4860:4860::8888', '2a00:1450:4001:800::200e'])('allows the public address %s', (address) => {
    expect(isPublicAddress(address)).toBe(true);
  });
});

describe('isPublicAddress: IPv4 inside IPv6', () => {
  it.each([
    ['::ffff:127.0.0.1', 'IPv4-mapped loopback, dotted'],
    ['::ffff:7f00:1', 'IPv4-mapped loopback, hex'],
    ['::ffff:169.254.169.254', 'IPv4-mapped metadata'],
    ['::ffff:10.0.0.1', 'IPv4-mapped private'],
    ['0:0:0:0:0:ffff:c0a8:0101', 'IPv4-mapped private, written out'],
    ['::127.0.0.1', 'IPv4-compatible (deprecated) loopback'],
    ['::7f00:1', 'IPv4-compatible loopback, hex'],
    ['::8.8.8.8', 'IPv4-compatible, even of a public address (nothing routes it)'],
    ['64:ff9b::7f00:1', 'NAT64 of loopback'],
    ['64:ff9b::169.254.169.254', 'NAT64 of the metadata address'],
    ['64:ff9b::a00:1', 'NAT64 of a private address'],
    ['64:ff9b:1::808:808', 'local-use NAT64 (RFC 8215)'],
    ['::ffff:0:7f00:1', 'IPv4-translated (RFC 6145)'],
  ])('refuses %s (%s)', (address) => {
    expect(isPublicAddress(address)).toBe(false);
  });

  it.each(['::ffff:8.8.8.8', '::ffff:808:808', '64:ff9b::8.8.8.8', '64:ff9b::101:101'])('allows %s, which reaches a public IPv4 address', (address) => {
    expect(isPublicAddress(address)).toBe(true);
  });
});

describe('isPublicAddress: not an address', () => {
  // The URL parser turns these into dotted quads before anything is checked; as raw text
  // (say, from a misbehaving resolver) they are not addresses, and so not public.
  it.each(['localhost', 'example.com', '', '2130706433', '0x7f.1', '0177.0.0.1', '127.1', '[::1]', '1.2.3.4.5', '::ffff:999.0.0.1'])('refuses %j', (text) => {
    expect(isPublicAddress(text)).toBe(false);
    expect(parseAddress(text)).toBeUndefined();
  });

  it('reads an IPv4-mapped address as the IPv4 address it reaches', () => {
    expect(parseAddress('::ffff:7f00:1')?.toString()).toBe('127.0.0.1');
    expect(parseAddress('::1')?.toString()).toBe('::1');
  });
});

describe('the URL parser normalises odd IPv4 spellings to the addresses classified here', () => {
  it.each([
    ['http://2130706433/', '127.0.0.1'],
    ['http://0x7f.1/', '127.0.0.1'],
    ['http://0x7f000001/', '127.0.0.1'],
    ['http://0177.0.0.1/', '127.0.0.1'],
    ['http://127.1/', '127.0.0.1'],
    ['http://0/', '0.0.0.0'],
    ['http://[::ffff:127.0.0.1]/', '[::ffff:7f00:1]'],
    ['http://[::127.0.0.1]/', '[::7f00:1]'],
    ['http://[64:ff9b::127.0.0.1]/', '[64:ff9b::7f00:1]'],
  ])('%s has host %s, which is not public', (url, hostname) => {
    const host = new URL(url).hostname;
    expect(host).toBe(hostname);
    expect(isPublicAddress(host.replace(/^\[|\]$/g, ''))).toBe(false);
  });
});
