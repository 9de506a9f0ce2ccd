/**
 * Who is sending, as far as limits and stuffing signals need to know, without storing who it is:
 * keyed hashes of the client's address (an IPv6 address by its /64, which one home or phone gets),
 * alone and with its browser. Rate limits count the address, generously, since phones on a
 * center's Wi-Fi share one; signals about one person count the device, since those phones rarely
 * share a browser and version. A script that changes its browser string each time is still one
 * address (signals.ts counts forms per address too).
 */
import { createHmac } from 'node:crypto';
import ipaddr from 'ipaddr.js';

/**
 * The part of an address that names one subscriber, in one spelling: an IPv4 address as it is (an
 * IPv4-mapped IPv6 address folded to it), an IPv6 address by its /64 whatever its case, leading zeros
 * or `::`. Anything that is not an address (a test's placeholder) is kept as it is.
 */
export function addressPrefix(ip: string): string {
  let text = ip.trim().split('%')[0] ?? '';
  // A port a proxy may have left on: '203.0.113.7:5123', '[2001:db8::1]:443'.
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(text);
  if (bracketed?.[1]) text = bracketed[1];
  else if (/^[\d.]+:\d+$/.test(text)) text = text.slice(0, text.lastIndexOf(':'));
  // An IPv6 address written with its last 32 bits as IPv4 ('2001:db8::1.2.3.4'), which ipaddr.js 1.x does not read.
  const dotted = /^(.*:)(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (dotted && ipaddr.IPv4.isValidFourPartDecimal(dotted.slice(2, 6).join('.'))) {
    const [a, b, c, d] = dotted.slice(2, 6).map(Number) as [number, number, number, number];
    text = `${dotted[1]}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  let parsed: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    parsed = ipaddr.parse(text);
  } catch {
    return ip;
  }
  if (parsed instanceof ipaddr.IPv6 && parsed.isIPv4MappedAddress()) parsed = parsed.toIPv4Address();
  if (parsed instanceof ipaddr.IPv4) return parsed.toString();
  return `${parsed.parts.slice(0, 4).map((part) => part.toString(16)).join(':')}::/64`;
}

export interface Client {
  address: string;
  device: string;
}

const keyOf = (secret: string, text: string) => createHmac('sha256', secret).update(text).digest().subarray(0, 12).toString('base64url');

export function clientOf(secret: string, ip: string, userAgent: string): Client {
  const prefix = addressPrefix(ip);
  return { address: keyOf(secret, `address|${prefix}`), device: keyOf(secret, `device|${prefix}|${userAgent.slice(0, 300)}`) };
}
