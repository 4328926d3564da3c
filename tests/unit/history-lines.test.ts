import { describe, expect, it } from "vitest";
import { historyLines } from "../../lib/zone/history.ts";

describe("historyLines", () => {
  it("pairs the removed and added sides of an edit by record id", () => {
    const before = { id: "r1", name: "www.z", type: "A", ttl: 300, content: "192.0.2.1" };
    const after = { ...before, content: "192.0.2.2" };
    const added = { id: "r2", name: "new.z", type: "TXT", ttl: 60, content: '"x"' };
    const gone = { id: "r3", name: "old.z", type: "A", ttl: 60, content: "192.0.2.9" };
    expect(historyLines([after, added], [before, gone])).toEqual([
      { kind: "changed", before, after },
      { kind: "added", after: added },
      { kind: "removed", before: gone },
    ]);
  });
});
