// "Visible everywhere by...": the horizon of a change (RFC 2308 §5 for the negative case).
import { describe, expect, it } from "vitest";
import { cacheHorizon, visibleEverywhereAt } from "../../lib/zone/caching.ts";

const rr = (name: string, type: string, ttl: number) => ({ name, type, ttl });

describe("cacheHorizon", () => {
  it("a new name: the negative answer's TTL", () => {
    expect(cacheHorizon([rr("new.z", "A", 3600)], [], 300)).toBe(300);
  });

  it("an edit: the old record's TTL, not the new one's", () => {
    expect(cacheHorizon([rr("www.z", "A", 86400), rr("www.z", "A", 60)], [rr("www.z", "A", 86400)], 300)).toBe(86400);
  });

  it("adding to an existing RRset: that RRset's TTL", () => {
    expect(cacheHorizon([rr("www.z", "A", 60)], [rr("www.z", "A", 1800)], 300)).toBe(1800);
  });

  it("a new type at an existing name: the negative TTL (NODATA was cached), whatever the other types' TTLs", () => {
    expect(cacheHorizon([rr("www.z", "TXT", 60)], [rr("www.z", "A", 86400)], 300)).toBe(300);
  });

  it("several RRsets: the longest", () => {
    expect(cacheHorizon([rr("a.z", "TXT", 60), rr("b.z", "MX", 7200)], [rr("b.z", "MX", 7200)], 300)).toBe(7200);
  });

  it("a delegation switch: the parent's NS TTL", () => {
    const oldNs = [rr("shop.test", "NS", 3600), rr("shop.test", "NS", 3600)];
    expect(cacheHorizon([...oldNs, rr("shop.test", "NS", 3600)], oldNs, 900)).toBe(3600);
  });

  it("visible everywhere at the change time plus the horizon", () => {
    expect(visibleEverywhereAt(new Date("2026-01-01T10:00:00Z"), 3600).toISOString()).toBe("2026-01-01T11:00:00.000Z");
  });
});
