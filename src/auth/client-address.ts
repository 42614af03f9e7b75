import { isIP } from 'node:net';
import type { Request } from 'express';

/**
 * The client address as seen by Express (X-Forwarded-For only from a proxy named by TRUST_PROXY),
 * as a canonical IP address, or null when it is not one (a forged or garbled forwarded header).
 * Canonical is PostgreSQL's `inet` text output, so what is written to an `inet` column reads back
 * as the very same string (the audit trail's hash covers it).
 */
export function clientAddressOf(request: Request): string | null {
  return canonicalAddress(request.ip ?? request.socket?.remoteAddress);
}

/**
 * `value` as PostgreSQL prints it back from `inet` (IPv4 dotted quad; IPv6 lower-case with the
 * longest run of two or more zero groups shortened to `::`, and an embedded IPv4 address dotted),
 * with one deliberate difference: an IPv4-mapped IPv6 address (`::ffff:192.0.2.1`, what a
 * dual-stack socket reports for an IPv4 client) is given as the IPv4 address, so one client has one
 * address whichever socket it reached. A zone (`fe80::1%eth0`) is dropped. Null for anything else.
 */
export function canonicalAddress(value: unknown): string | null {
  if (typeof value !== 'string' || value.length > 100) return null;
  const zone = value.indexOf('%');
  const address = zone >= 0 ? value.slice(0, zone) : value;
  switch (isIP(address)) {
    case 4:
      return address.split('.').map(Number).join('.');
    case 6:
      return canonicalIpv6(parseIpv6(address));
    default:
      return null;
  }
}

/**
 * What per-address limits count: an IPv4 address itself, an IPv6 address's /64 (`2001:db8:1:2::/64`),
 * the block one host, however small, gets from its provider, so that it cannot have a fresh address
 * for each attempt. Both forms are valid `inet` text (`address <<= network`). The value itself when
 * it is not an IPv6 address.
 */
export function addressNetwork(address: string): string {
  const canonical = canonicalAddress(address);
  if (canonical === null || isIP(canonical) !== 6) return canonical ?? address;
  const words = parseIpv6(canonical);
  words.fill(0, 4);
  return `${canonicalIpv6(words)}/64`;
}

/** The eight 16-bit groups of an address `isIP` accepted as IPv6. */
function parseIpv6(address: string): number[] {
  let text = address.toLowerCase();
  const tail: number[] = [];
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number) as [number, number, number, number];
    tail.push((a << 8) | b, (c << 8) | d);
    text = text.slice(0, dotted.index) + '0:0';
  }
  const [head, rest] = text.includes('::') ? (text.split('::') as [string, string]) : [text, null];
  const groups = (part: string): number[] => (part === '' ? [] : part.split(':').map((g) => parseInt(g, 16)));
  let words: number[];
  if (rest === null) words = groups(head);
  else {
    const left = groups(head);
    const right = groups(rest);
    words = [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
  }
  if (tail.length) words.splice(6, 2, ...tail);
  return words;
}

/** PostgreSQL's (BIND's) inet_net_ntop for a host address; IPv4-mapped addresses as IPv4. */
function canonicalIpv6(words: number[]): string {
  const ipv4 = (hi: number, lo: number): string => [hi >> 8, hi & 0xff, lo >> 8, lo & 0xff].join('.');
  if (words.slice(0, 5).every((w) => w === 0) && words[5] === 0xffff) return ipv4(words[6]!, words[7]!);
  // the longest run of zero groups (the first of equal ones), when it is two groups or more
  let best = { base: -1, len: 0 };
  let current = { base: -1, len: 0 };
  words.forEach((word, i) => {
    if (word === 0) {
      current = current.base === -1 ? { base: i, len: 1 } : { base: current.base, len: current.len + 1 };
      if (current.len > best.len) best = current;
    } else current = { base: -1, len: 0 };
  });
  if (best.len < 2) best = { base: -1, len: 0 };
  let out = '';
  for (let i = 0; i < 8; i++) {
    if (best.base !== -1 && i >= best.base && i < best.base + best.len) {
      if (i === best.base) out += ':';
      continue;
    }
    if (i !== 0) out += ':';
    // an IPv4-compatible address (::a.b.c.d) keeps its dotted tail, as PostgreSQL prints it
    if (i === 6 && best.base === 0 && best.len === 6) return `${out}${ipv4(words[6]!, words[7]!)}`;
    out += words[i]!.toString(16);
  }
  if (best.base !== -1 && best.base + best.len === 8) out += ':';
  return out;
}
