/**
 * Who is sending, as far as limits and stuffing signals need to know, without storing who it is:
 * keyed hashes of the client's address (an IPv6 address by its /64, which one home or phone gets),
 * alone and with its browser. Rate limits count the address, generously, since phones on a
 * center's Wi-Fi share one; signals about one person count the device, since those phones rarely
 * share a browser and version. A script that changes its browser string each time is still one
 * address (signals.ts counts forms per address too).
 */
import { createHmac } from 'node:crypto';

export function addressPrefix(ip: string): string {
  const address = ip.startsWith('::ffff:') ? ip.slice(7) : ip;
  if (!address.includes(':')) return address;
  // Expand '::' enough to take the first four groups.
  const [head = '', tail = ''] = address.split('::');
  const groups = [...head.split(':').filter(Boolean), ...(address.includes('::') ? Array<string>(8).fill('0') : []), ...tail.split(':').filter(Boolean)];
  return `${groups.slice(0, 4).join(':')}::/64`;
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
