import { describe, expect, it } from 'vitest';
import { addressPolicy } from './address-policy.js';

describe('addressPolicy', () => {
  it.each([undefined, false] as const)('with %s, allows public addresses only', (allowance) => {
    const allows = addressPolicy(allowance);
    expect(allows('8.8.8.8')).toBe(true);
    expect(allows('2606:4700:4700::1111')).toBe(true);
    for (const address of ['127.0.0.1', '::1', '10.0.0.1', '192.168.0.10', '169.254.169.254', 'fd00:ec2::254', '::ffff:127.0.0.1', '0.0.0.0']) {
      expect(allows(address), address).toBe(false);
    }
  });

  it('with true, allows every non-public address except link-local and cloud metadata ones', () => {
    const allows = addressPolicy(true);
    for (const address of ['8.8.8.8', '127.0.0.1', '::1', '::ffff:127.0.0.1', '10.1.2.3', '172.20.0.5', '192.168.0.10', '100.64.0.1', 'fd12::1', '0.0.0.0']) {
      expect(allows(address), address).toBe(true);
    }
    for (const address of ['169.254.169.254', '169.254.170.2', '::ffff:169.254.169.254', 'fe80::1', 'fd00:ec2::254', 'fd00:ec2::23', '100.100.100.200']) {
      expect(allows(address), address).toBe(false);
    }
    expect(allows('not-an-address')).toBe(false);
  });

  it.each([
    ['IPv4-mapped', '::ffff:169.254.169.254'],
    ['IPv4-mapped, in hex', '::ffff:a9fe:a9fe'],
    ['NAT64', '64:ff9b::a9fe:a9fe'],
    ['NAT64, dotted', '64:ff9b::169.254.169.254'],
    ['NAT64 to ECS task roles', '64:ff9b::a9fe:aa02'],
    ['NAT64 to Alibaba', '64:ff9b::6464:64c8'],
    ['6to4', '2002:a9fe:a9fe::'],
    ['6to4 with a host part', '2002:a9fe:a9fe:1::1'],
    ['IPv4-compatible', '::a9fe:a9fe'],
    ['IPv4-compatible, dotted', '::169.254.169.254'],
    ['Teredo with the metadata address as server', '2001:0:a9fe:a9fe::1'],
    ['Teredo with the metadata address as client', '2001:0:808:808::5601:5601'],
  ])('with true, refuses the metadata address written as %s (%s)', (_form, address) => {
    expect(addressPolicy(true)(address)).toBe(false);
  });

  it('with true, still allows the same forms of other private addresses', () => {
    const allows = addressPolicy(true);
    for (const address of ['64:ff9b::a00:1', '2002:a00:1::', '::ffff:10.0.0.1', '2001:0:808:808::f5ff:fffe']) expect(allows(address), address).toBe(true);
  });

  it('with a list, allows the listed addresses and ranges on top of the public internet', () => {
    const allows = addressPolicy(['10.20.0.0/16', '127.0.0.1', ' ::1 ', 'fd00:1234::/32']);
    for (const address of ['8.8.8.8', '10.20.0.1', '10.20.255.255', '127.0.0.1', '::ffff:127.0.0.1', '::1', 'fd00:1234:5::9']) {
      expect(allows(address), address).toBe(true);
    }
    for (const address of ['10.21.0.1', '127.0.0.2', '192.168.0.1', '169.254.169.254', 'fd00:1235::1', 'fe80::1']) {
      expect(allows(address), address).toBe(false);
    }
  });

  it('with a list, may name a metadata address, which is then reachable', () => {
    const allows = addressPolicy(['169.254.169.254']);
    expect(allows('169.254.169.254')).toBe(true);
    expect(allows('169.254.170.2')).toBe(false);
  });

  it('takes an IPv4-mapped IPv6 range as the IPv4 range it covers', () => {
    const allows = addressPolicy(['::ffff:10.0.0.0/104']);
    expect(allows('10.9.9.9')).toBe(true);
    expect(allows('11.0.0.1')).toBe(true); // public anyway
    expect(allows('192.168.0.1')).toBe(false);
  });

  it.each([
    ['a host name', 'intranet.example', /entry 0 \("intranet\.example"\) is not an IP address or CIDR range.*host names are not accepted/],
    ['a shorthand IPv4 address', '10.1/8', /entry 0 \("10\.1\/8"\)/],
    ['an IPv4 prefix over 32', '10.0.0.0/33', /entry 0/],
    ['an IPv6 prefix over 128', '::1/129', /entry 0/],
    ['a negative prefix', '10.0.0.0/-1', /entry 0/],
    ['two prefixes', '10.0.0.0/8/8', /entry 0/],
    ['an empty string', '', /entry 0 \(""\)/],
    ['a long string, cut short with its length', `10.0.0.0/${'8'.repeat(200)}`, /entry 0 \("10\.0\.0\.0\/8{51}… \(209 characters\)"\)/],
  ])('refuses %s with a TypeError naming the entry', (_name, entry, message) => {
    expect(() => addressPolicy([entry])).toThrow(TypeError);
    expect(() => addressPolicy([entry])).toThrow(message);
  });

  it('refuses entries that are not strings, and values that are not lists', () => {
    expect(() => addressPolicy([42] as unknown as string[])).toThrow(/entry 0 \(number\)/);
    expect(() => addressPolicy('10.0.0.0/8' as unknown as string[])).toThrow(/must be true, false or a list/);
  });
});
