import { isIPv4, isIPv6 } from 'node:net';

/**
 * The network a client address belongs to, for limits that an attacker should not escape by
 * hopping addresses nor turn against a whole ISP: IPv4 /24 and IPv6 /64 (one end site's subnet,
 * RFC 6177). IPv4-mapped IPv6 addresses (`::ffff:192.0.2.7`) count as the IPv4 address they carry.
 */
export function ipNetwork(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  const ip = mapped ?? address;
  if (isIPv4(ip)) return `${ip.split('.').slice(0, 3).join('.')}.0/24`;
  if (isIPv6(ip)) return `${expandIpv6(ip).slice(0, 4).join(':')}::/64`;
  return 'unknown';
}

/** `2001:db8::1` → its eight hextets, zero-padded and lower-case (any zone id dropped). */
function expandIpv6(ip: string): string[] {
  const [head = '', tail = ''] = ip.split('%')[0]!.toLowerCase().split('::');
  const left = head === '' ? [] : head.split(':');
  const right = ip.includes('::') ? (tail === '' ? [] : tail.split(':')) : [];
  const fill = ip.includes('::') ? Array.from({ length: 8 - left.length - right.length }, () => '0') : [];
  return [...left, ...fill, ...right].map((h) => h.padStart(4, '0'));
}
