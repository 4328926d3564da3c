// "Resolvers may keep the old answer until...": the horizon of a change (RFC 2308 §5 for the
// negative case).
import { describe, expect, it } from "vitest";
import { cachingHorizon } from "../../lib/zone/caching.ts";

const rec = (id: string, name: string, type: string, ttl: number) => ({ id, name, type, ttl });

describe("cachingHorizon", () => {
  it("a new name: the negative answer's TTL", () => {
    expect(cachingHorizon({ added: [rec("1", "new.z", "A", 3600)], removed: [] }, [rec("1", "new.z", "A", 3600)], 300)).toBe(300);
  });

  it("an edit: the old record's TTL, not the new one's", () => {
    const before = rec("1", "www.z", "A", 86400);
    const after = rec("1", "www.z", "A", 60);
    expect(cachingHorizon({ added: [after], removed: [before] }, [after], 300)).toBe(86400);
  });

  it("adding to an existing RRset: that RRset's TTL", () => {
    expect(cachingHorizon({ added: [rec("2", "www.z", "A", 60)] , removed: [] }, [rec("1", "www.z", "A", 1800), rec("2", "www.z", "A", 60)], 300)).toBe(1800);
  });

  it("several RRsets: the longest", () => {
    const change = { added: [rec("3", "a.z", "TXT", 60)], removed: [rec("4", "b.z", "MX", 7200)] };
    expect(cachingHorizon(change, [rec("3", "a.z", "TXT", 60)], 300)).toBe(7200);
  });
});
