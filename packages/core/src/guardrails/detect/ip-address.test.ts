// Unit tests of the IP address detectors: public addresses they must find, private, reserved and documentation ranges (IANA registries) and look-alikes they must leave alone, and their streaming contract.
import { describe, expect, it } from 'vitest';
import { ipv4Detector, ipv6Detector } from './ip-address.js';
import { CLEAN_PROSE, expectPendingContract, LOOK_ALIKES } from './pending-property.js';

const found = (detector: typeof ipv4Detector, text: string) => detector.find(text).map(({ type, start, end }) => ({ type, text: text.slice(start, end) }));

describe('ipv4Detector', () => {
  it.each([
    ['The client came from 8.8.4.4 at noon', '8.8.4.4'],
    ['peer=151.101.1.69:443', '151.101.1.69'],
    ['last hop 100.128.0.1.', '100.128.0.1'],
    ['(93.184.216.34)', '93.184.216.34'],
  ])('finds the address in %j', (text, address) => {
    expect(found(ipv4Detector, text)).toEqual([{ type: 'ipv4', text: address }]);
  });

  it('gives exact offsets', () => {
    expect(ipv4Detector.find('from 8.8.8.8 to 1.1.1.1')).toEqual([
      { type: 'ipv4', start: 5, end: 12 },
      { type: 'ipv4', start: 16, end: 23 },
    ]);
  });

  it.each([
    // RFC 1918, loopback, link-local, CGNAT, documentation (RFC 5737), benchmarking, multicast, reserved, this network.
    '10.1.2.3 172.16.5.4 172.31.255.255 192.168.1.1 127.0.0.1 169.254.10.20 100.64.0.1 100.127.255.254',
    '192.0.2.15 198.51.100.7 203.0.113.9 198.18.0.1 224.0.0.251 240.1.2.3 255.255.255.255 0.0.0.0',
    // A network, not a host; out of range; versions.
    'route 8.8.8.0/24 via the gateway; 256.1.1.1 and 1.2.3.999 are not addresses',
    'Chrome 120.0.6099.109 and node 18.19.0.1 and firmware v2.4.1.7',
    // A spec's sections, as a name or a link label; the sequence everyone uses as an example.
    'defined in ECMA262 sections [7.6.1.1](http://es5.github.io/#x7.6.1.1) and [11.6.2.2]',
    'as in section 13.2.1.4 above; for example, `1.2.3.4` will return `2.3.4`, and so will 4.3.2.1',
    ...LOOK_ALIKES,
  ])('passes %j untouched', (text) => {
    expect(ipv4Detector.find(text)).toEqual([]);
  });

  it('keeps its streaming contract', () => {
    for (const text of ['The client came from 8.8.4.4 and then from 151.101.1.69. Both were blocked.', 'hop 93.184.216.34, then 10.0.0.1 inside', 'see [7.6.1.1](x) and [8.8.4.4 ] or section 9.9.9.9 then 9.9.9.9', 'version 4.18.2.1 and then 8.8.4.4.', CLEAN_PROSE, ...LOOK_ALIKES]) expectPendingContract(ipv4Detector, text);
  });

  it('holds nothing of ordinary prose ending in a space', () => {
    expect(ipv4Detector.pending(CLEAN_PROSE)).toBe(CLEAN_PROSE.length);
  });
});

describe('ipv6Detector', () => {
  it.each([
    ['resolver 2001:4860:4860::8888 answered', '2001:4860:4860::8888'],
    ['full form 2606:4700:0000:0000:0000:0000:0000:1111.', '2606:4700:0000:0000:0000:0000:0000:1111'],
    ['mapped ::ffff:8.8.8.8 here', '::ffff:8.8.8.8'],
    ['[2a00:1450:4001:82a::200e]:443', '2a00:1450:4001:82a::200e'],
  ])('finds the address in %j', (text, address) => {
    expect(found(ipv6Detector, text)).toEqual([{ type: 'ipv6', text: address }]);
  });

  it('gives exact offsets', () => {
    expect(ipv6Detector.find('to 2001:4860:4860::8844 now')).toEqual([{ type: 'ipv6', start: 3, end: 23 }]);
  });

  it.each([
    // Loopback, unspecified, link-local, unique local, multicast, documentation (RFC 3849), a mapped private address, a bare prefix.
    '::1 :: fe80::1ff:fe23:4567:890a fd12:3456:789a::1 ff02::1 2001:db8::8a2e:370:7334 ::ffff:192.168.0.1 2001:4860::',
    // Code and times, MAC addresses, a network.
    'std::vector a::b Foo::Bar::baz at 12:30:45, MAC 00:1a:2b:3c:4d:5e, route 2001:4860::/32',
    ...LOOK_ALIKES,
  ])('passes %j untouched', (text) => {
    expect(ipv6Detector.find(text)).toEqual([]);
  });

  it('keeps its streaming contract', () => {
    for (const text of ['The resolver 2001:4860:4860::8888 answered, then 2a00:1450:4001:82a::200e did. Fine.', 'mapped ::ffff:8.8.8.8 ok', CLEAN_PROSE, ...LOOK_ALIKES]) expectPendingContract(ipv6Detector, text);
  });

  it('holds nothing of ordinary prose ending in a space', () => {
    expect(ipv6Detector.pending(CLEAN_PROSE)).toBe(CLEAN_PROSE.length);
  });
});
