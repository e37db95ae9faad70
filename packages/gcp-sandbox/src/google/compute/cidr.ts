/** IPv4 CIDR helpers for subnet ranges and address allocation. */

/** Parses `a.b.c.d/n`; undefined if malformed. */
export function parseCidr(
  cidr: string,
): { base: number; bits: number } | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(
    cidr ?? '',
  );
  if (!m) return undefined;
  const octets = m.slice(1, 5).map(Number);
  const bits = Number(m[5]);
  if (octets.some(o => o > 255) || bits > 32) return undefined;
  const ip =
    ((octets[0] << 24) | (octets[1] << 16) | (octets[2] << 8) | octets[3]) >>>
    0;
  const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  if ((ip & mask) >>> 0 !== ip) return undefined;
  return { base: ip, bits };
}

/** True when two CIDR ranges overlap. */
export function overlaps(a: string, b: string): boolean {
  const x = parseCidr(a);
  const y = parseCidr(b);
  if (!x || !y) return false;
  const bits = Math.min(x.bits, y.bits);
  const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  return (x.base & mask) >>> 0 === (y.base & mask) >>> 0;
}

/** The `offset`-th address of a range, as dotted quad. */
export function addressAt(cidr: string, offset: number): string {
  const range = parseCidr(cidr)!;
  const ip = (range.base + offset) >>> 0;
  return [ip >>> 24, (ip >>> 16) & 255, (ip >>> 8) & 255, ip & 255].join('.');
}
