// The answer cache: stale exactly when a zone it was built from changed (in place or replaced,
// appeared or went), holds no zone objects (old versions of a zone can be collected), stays
// within its byte budget, and keeps answers asked for twice through a flood of one-off names.
import { describe, expect, it } from "vitest";
import { AnswerCache } from "../../nameserver/answer-cache.ts";
import { answerQuery } from "../../nameserver/answer-query.ts";
import { lookup } from "../../nameserver/lookup.ts";
import { encodeSections, type EncodedSections } from "../../nameserver/response.ts";
import { ZoneIndex } from "../../nameserver/zone-index.ts";
import { ZoneSet } from "../../nameserver/zone-set.ts";
import { buildQuery, decodeReply } from "../helpers/dns-client.ts";
import { gc, heapAfterGc } from "../helpers/gc.ts";


const soa = (name: string, serial = 1) => ({ name, serial, soaTtl: 3600, primaryNs: "ns1.example.net", hostmaster: "h.example.net", refresh: 1, retry: 1, expire: 1, minimum: 300 });
const rr = (name: string, type: string, content: string) => ({ name, type, ttl: 300, content });
const records = (zone: string, n: number, tag = 1) => [
  rr(`www.${zone}`, "A", `192.0.2.${tag % 250}`),
  ...Array.from({ length: n }, (_, i) => rr(`h${i}.${zone}`, "TXT", `"record ${i} of version ${tag}"`)),
];

/** The sections answer-query.ts would cache for a question, and the zones they depend on. */
function answer(zones: ZoneSet, name: string, type = "A"): [EncodedSections, ZoneIndex[]] {
  const r = lookup(zones, name, type);
  return [encodeSections(name, r.rcode, r.aa, r.answer, r.authority, r.additional), r.zones];
}

describe("answer cache: staleness", () => {
  it("is current until a zone it depends on changes, in place or by replacement, and only that", () => {
    const zones = new ZoneSet();
    const a = new ZoneIndex(soa("a.test"), records("a.test", 3));
    zones.put("a", a);
    zones.put("b", new ZoneIndex(soa("b.test"), records("b.test", 3)));
    const cache = new AnswerCache(zones);
    cache.set("www.a.test|1", ...answer(zones, "www.a.test"));
    cache.set("www.b.test|1", ...answer(zones, "www.b.test"));
    expect(cache.get("www.a.test|1")).toBeDefined();

    // Another zone replaced: a's answer is checked once against a's revision, still current.
    zones.put("b", new ZoneIndex(soa("b.test", 2), records("b.test", 3, 2)));
    expect(cache.get("www.a.test|1")).toBeDefined();
    expect(cache.get("www.b.test|1")).toBeUndefined();

    // a changed in place (a delta): its revision moved, so its answer is stale.
    a.applyDelta({ added: [rr("new.a.test", "A", "192.0.2.77")], removed: [] }, 2);
    zones.put("a", a);
    expect(cache.get("www.a.test|1")).toBeUndefined();
    cache.set("www.a.test|1", ...answer(zones, "www.a.test"));
    expect(cache.get("www.a.test|1")).toBeDefined();

    // A zone appearing can change which zone answers a name: every entry is looked at again.
    zones.put("c", new ZoneIndex(soa("www.a.test"), []));
    expect(cache.get("www.a.test|1")).toBeUndefined();

    // A zone removed and loaded again is a new revision (revisions are unique in the process).
    cache.set("www.b.test|1", ...answer(zones, "www.b.test"));
    zones.remove("b");
    zones.put("b", new ZoneIndex(soa("b.test", 2), records("b.test", 3, 2)));
    expect(cache.get("www.b.test|1")).toBeUndefined();
    expect(cache.misses).toBe(4);
  });

  it("keeps no ZoneIndex alive: a replaced zone is garbage-collected while its answers are cached", async () => {
    const zones = new ZoneSet();
    const cache = new AnswerCache(zones);
    // In a function of its own: a local of this async function could stay in its saved registers.
    const cacheAnswersOfFirstVersion = () => {
      const first = new ZoneIndex(soa("example.test"), records("example.test", 50));
      zones.put("z", first);
      for (let i = 0; i < 50; i++) cache.set(`h${i}.example.test|16`, ...answer(zones, `h${i}.example.test`, "TXT"));
      return new WeakRef(first);
    };
    const old = cacheAnswersOfFirstVersion();
    zones.put("z", new ZoneIndex(soa("example.test", 2), records("example.test", 50, 2)));
    expect(cache.size).toBe(50); // the stale entries are still there (until asked for or evicted)
    expect(cache.get("h1.example.test|16")).toBeUndefined();
    await new Promise((resolve) => setTimeout(resolve, 0)); // WeakRef targets live at least until the job ends
    gc();
    expect(old.deref()).toBeUndefined();
  });
});

describe("answer cache: bounded by bytes, scan-resistant", () => {
  it("keeps a hot answer through a flood of 1,000,000 one-off names, within its byte budget", () => {
    const zones = new ZoneSet();
    zones.put("z", new ZoneIndex(soa("example.test"), records("example.test", 10)));
    const budget = 1024 * 1024;
    const cache = new AnswerCache(zones, budget);
    const [hot, hotZones] = answer(zones, "www.example.test");
    const [miss, missZones] = answer(zones, "nx.example.test");
    // The hot answer is cached on its first query and hit on its second: it is then protected.
    expect(cache.get("www.example.test|1")).toBeUndefined();
    cache.set("www.example.test|1", hot, hotZones);
    expect(cache.get("www.example.test|1")).toBe(hot);

    let maxBytes = 0;
    for (let i = 0; i < 1_000_000; i++) {
      // What answer-query.ts does for each random name: a miss, then the answer cached.
      const key = `r${i.toString(36)}x.example.test|1`;
      if (cache.get(key) === undefined) cache.set(key, miss, missZones);
      if ((i & 1023) === 0) maxBytes = Math.max(maxBytes, cache.bytes);
    }
    expect(cache.misses).toBe(1_000_001);
    expect(cache.get("www.example.test|1")).toBe(hot);
    expect(maxBytes).toBeLessThanOrEqual(budget);
    expect(cache.bytes).toBeLessThanOrEqual(budget);
    // The flood filled the budget (it is used, not left idle) with a few thousand entries.
    expect(cache.bytes).toBeGreaterThan(budget * 0.9);
    expect(cache.size).toBeGreaterThan(1000);
    expect(cache.size).toBeLessThan(budget / 400);
  });

  it("evicts the least recently used answers first when answers asked for twice outgrow the budget", () => {
    const zones = new ZoneSet();
    zones.put("z", new ZoneIndex(soa("example.test"), records("example.test", 0)));
    const [sections, deps] = answer(zones, "www.example.test");
    const cache = new AnswerCache(zones, 200_000);
    const touch = (key: string) => {
      if (!cache.get(key)) cache.set(key, sections, deps);
    };
    for (let i = 0; i < 2000; i++) {
      touch(`k${i}`);
      touch(`k${i}`); // a second use: promoted
      touch("k0"); // k0 stays the most recently used
    }
    expect(cache.bytes).toBeLessThanOrEqual(200_000);
    expect(cache.get("k0")).toBeDefined();
    expect(cache.get("k1999")).toBeDefined();
    expect(cache.get("k1")).toBeUndefined();
  });

  it("real heap stays flat over 10,000 edits while every edit's answers are cached", () => {
    const zones = new ZoneSet();
    const cache = new AnswerCache(zones, 2 * 1024 * 1024);
    const responder = { zones, cache };
    const zone = new ZoneIndex(soa("example.test"), records("example.test", 50));
    zones.put("z", zone);
    const hot = buildQuery("www.example.test", "A");
    let before = 0;
    for (let edit = 1; edit <= 10_000; edit++) {
      // Alternately an in-place delta and a whole new version of the zone (a full reload).
      if (edit % 2) {
        zone.applyDelta({ added: [rr(`e${edit}.example.test`, "A", "192.0.2.9")], removed: edit > 2 ? [rr(`e${edit - 2}.example.test`, "A", "192.0.2.9")] : [] }, edit + 1);
        zones.put("z", zone);
      } else zones.put("z", new ZoneIndex(soa("example.test", edit + 1), records("example.test", 50, edit)));
      // Answers built from this version: a different name each time (never asked again), and a hot one.
      answerQuery(buildQuery(`h${edit % 50}.example.test`, "TXT"), false, responder);
      answerQuery(buildQuery(`n${edit}.example.test`, "A"), false, responder);
      const reply = answerQuery(hot, false, responder)!;
      if (edit % 500 === 0) expect(decodeReply(reply).answers).toHaveLength(1);
      if (edit === 1000) before = heapAfterGc();
    }
    const growth = heapAfterGc() - before;
    // Old code: every stale entry held its zone version (50 records), hundreds of MB here.
    expect(growth).toBeLessThan(4 * 1024 * 1024);
    expect(cache.bytes).toBeLessThanOrEqual(2 * 1024 * 1024);
  });
});
