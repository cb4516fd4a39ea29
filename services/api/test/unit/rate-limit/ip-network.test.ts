import { describe, expect, it } from 'vitest';
import { ipNetwork } from '../../../src/domain/rate-limit/ip-network.js';

describe('ipNetwork (IPv4 /24, IPv6 /64)', () => {
  it.each([
    ['192.0.2.7', '192.0.2.0/24'],
    ['192.0.2.255', '192.0.2.0/24'],
    ['::ffff:192.0.2.7', '192.0.2.0/24'],
    ['2001:db8::1', '2001:0db8:0000:0000::/64'],
    ['2001:DB8:0:0:1:2:3:4', '2001:0db8:0000:0000::/64'],
    ['2001:db8:aa:bb:cc::', '2001:0db8:00aa:00bb::/64'],
    ['::1', '0000:0000:0000:0000::/64'],
    ['fe80::1%eth0', 'fe80:0000:0000:0000::/64'],
    ['not an address', 'unknown'],
  ])('%s → %s', (address, network) => expect(ipNetwork(address)).toBe(network));

  it('puts neighbours in one network and other networks apart', () => {
    expect(ipNetwork('198.51.100.1')).toBe(ipNetwork('198.51.100.254'));
    expect(ipNetwork('198.51.100.1')).not.toBe(ipNetwork('198.51.101.1'));
    expect(ipNetwork('2001:db8:1:2::a')).toBe(ipNetwork('2001:db8:1:2:ffff::b'));
    expect(ipNetwork('2001:db8:1:2::a')).not.toBe(ipNetwork('2001:db8:1:3::a'));
  });
});
