import { describe, expect, it } from "vitest";
import { dateSerial, nextSerial, serialAdd, serialGreaterThan } from "../../lib/zone/serial.ts";

describe("RFC 1982 serial arithmetic", () => {
  it("compares across the wrap-around", () => {
    expect(serialGreaterThan(2, 1)).toBe(true);
    expect(serialGreaterThan(1, 2)).toBe(false);
    expect(serialGreaterThan(0, 4294967295)).toBe(true); // 0 comes after 2^32-1
    expect(serialGreaterThan(4294967295, 0)).toBe(false);
    expect(serialGreaterThan(5, 5)).toBe(false);
    // Exactly 2^31 apart is undefined (RFC 1982 §3.2): neither is greater.
    expect(serialGreaterThan(2 ** 31, 0)).toBe(false);
    expect(serialGreaterThan(0, 2 ** 31)).toBe(false);
  });

  it("adds modulo 2^32 and refuses increments of 2^31 or more", () => {
    expect(serialAdd(4294967295, 1)).toBe(0);
    expect(() => serialAdd(1, 2 ** 31)).toThrow(RangeError);
  });
});

describe("nextSerial (YYYYMMDDnn, falling back to +1)", () => {
  const day = new Date("2026-11-25T12:00:00Z");

  it("jumps to today's date when that moves the serial forward", () => {
    expect(dateSerial(day)).toBe(2026112500);
    expect(nextSerial(2026112000, day)).toBe(2026112500);
    expect(nextSerial(1, day)).toBe(2026112500);
  });

  it("counts up within the day and beyond 99 changes", () => {
    expect(nextSerial(2026112500, day)).toBe(2026112501);
    expect(nextSerial(2026112599, day)).toBe(2026112600);
  });

  it("never goes backwards when the serial is ahead of the date, even across the wrap", () => {
    expect(nextSerial(2099010100, day)).toBe(2099010101);
    // 2026112500 is "after" 4294967295 in sequence space (distance < 2^31), so the date wins.
    expect(nextSerial(4294967295, day)).toBe(2026112500);
    // A date serial that is behind the current one: +1, wrapping through 0.
    const far = new Date("4294-01-01T00:00:00Z"); // dateSerial 4294010100: behind 4294967295
    expect(nextSerial(4294967295, far)).toBe(0);
    let s = 4294967290;
    for (let i = 0; i < 20; i++) {
      const n = nextSerial(s, i % 2 ? day : new Date("4294-01-01T00:00:00Z"));
      expect(serialGreaterThan(n, s)).toBe(true);
      s = n;
    }
  });
});
