// SOA serial numbers: 32-bit, compared with sequence-space arithmetic (RFC 1982), so that a
// serial can wrap around 2^32 and secondaries still see it as newer.
//
// Scheme: YYYYMMDDnn (RFC 1912 §2.2 convention, readable at a glance), and when that would not
// move the serial forward (more than 99 changes in a day, or a serial already ahead of the date)
// the serial just goes up by one. Either way it only ever increases in RFC 1982 terms.

const SERIAL_SPACE = 2 ** 32;
const HALF = 2 ** 31;

/** RFC 1982 §3.2: is s1 greater than s2? (Undefined for a distance of exactly 2^31: false.) */
export function serialGreaterThan(s1: number, s2: number): boolean {
  return (s1 < s2 && s2 - s1 > HALF) || (s1 > s2 && s1 - s2 < HALF);
}

/** s1 is s2 or later (RFC 1982): a nameserver serving s1 has caught up with s2. */
export function serialAtLeast(s1: number, s2: number): boolean {
  return s1 === s2 || serialGreaterThan(s1, s2);
}

/** RFC 1982 §3.1: add n (at most 2^31 - 1) modulo 2^32. */
export function serialAdd(serial: number, n: number): number {
  if (n < 0 || n > HALF - 1) throw new RangeError("serial increment out of range");
  return (serial + n) % SERIAL_SPACE;
}

export function dateSerial(now: Date): number {
  const ymd = now.getUTCFullYear() * 10000 + (now.getUTCMonth() + 1) * 100 + now.getUTCDate();
  return ymd * 100;
}

/** The serial of the next version of a zone whose current serial is `current`. */
export function nextSerial(current: number, now: Date = new Date()): number {
  const fromDate = dateSerial(now);
  return serialGreaterThan(fromDate, current) ? fromDate : serialAdd(current, 1);
}
