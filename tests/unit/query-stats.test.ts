// The query counters (nameserver/query-stats.ts): the space-saving top names, and what the
// answer path counts (zone, qtype, rcode, transport; cache hits counted through the cached
// answer's cell and its name's count).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AnswerCache } from "../../nameserver/answer-cache.ts";
import { answerQuery } from "../../nameserver/answer-query.ts";
import { NO_ZONE, QueryCounters, qtypeLabel, rcodeLabel, TopNames, type QueryCell } from "../../nameserver/query-stats.ts";
import { ZoneIndex } from "../../nameserver/zone-index.ts";
import { ZoneSet } from "../../nameserver/zone-set.ts";
import { buildQuery } from "../helpers/dns-client.ts";

describe("TopNames (space-saving)", () => {
  it("counts exactly while it holds every name", () => {
    const top = new TopNames(8);
    for (const [name, n] of [["a", 5], ["b", 3], ["c", 7], ["d", 1]] as const) for (let i = 0; i < n; i++) top.offer(name);
    expect(top.top(3)).toEqual([{ name: "c", count: 7 }, { name: "a", count: 5 }, { name: "b", count: 3 }]);
    expect(top.size).toBe(4);
  });

  it("stays within its capacity under a flood of one-off names, and keeps the heavy hitters", () => {
    const top = new TopNames(16);
    for (let i = 0; i < 20_000; i++) {
      top.offer(`random${i}.example.test`);
      if (i % 4 === 0) top.offer("www.example.test"); // 1 in 5 queries
      if (i % 10 === 0) top.offer("mail.example.test"); // 1 in ~13
    }
    expect(top.size).toBe(16);
    const [first, second] = top.top(2);
    expect(first.name).toBe("www.example.test");
    expect(second.name).toBe("mail.example.test");
    // Never under-counted.
    expect(first.count).toBeGreaterThanOrEqual(5_000);
  });

  it("guarantees: any name asked more than total/capacity times is held, with a count at least its true count", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 40 }), { minLength: 1, maxLength: 600 }), (stream) => {
        const capacity = 10;
        const top = new TopNames(capacity);
        const truth = new Map<number, number>();
        for (const n of stream) {
          top.offer(`n${n}`);
          truth.set(n, (truth.get(n) ?? 0) + 1);
        }
        const held = new Map(top.top(capacity).map((e) => [e.name, e.count]));
        for (const [n, count] of truth) {
          if (count > stream.length / capacity) expect(held.has(`n${n}`)).toBe(true);
          if (held.has(`n${n}`)) expect(held.get(`n${n}`)!).toBeGreaterThanOrEqual(count);
        }
      }),
    );
  });

  it("lets go of the counts it held when cleared, so the cached answers holding them offer their names again", () => {
    const top = new TopNames(4);
    const held = top.offer("a");
    top.clear();
    expect(held.live).toBe(false);
    expect(top.size).toBe(0);
    expect(top.offer("a").count).toBe(1);
  });
});

describe("labels", () => {
  it("names counted qtypes and rcodes by mnemonic, the others as other", () => {
    expect([1, 28, 15, 65, 255, 257].map(qtypeLabel)).toEqual(["A", "AAAA", "MX", "HTTPS", "ANY", "CAA"]);
    expect([0, 41, 999, 65535].map(qtypeLabel)).toEqual(["other", "other", "other", "other"]);
    expect([0, 1, 2, 3, 4, 5, 16].map(rcodeLabel)).toEqual(["NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP", "REFUSED", "BADVERS"]);
  });
});

describe("counting on the answer path", () => {
  const zones = new ZoneSet();
  zones.put("z", new ZoneIndex(
    { name: "example.test", serial: 1, soaTtl: 3600, primaryNs: "ns1.example.net", hostmaster: "h.example.net", refresh: 1, retry: 1, expire: 1, minimum: 1 },
    [{ name: "www.example.test", type: "A", ttl: 60, content: "192.0.2.1" }],
  ));

  const counts = (stats: QueryCounters) =>
    Object.fromEntries([...stats.cells()].flatMap((c: QueryCell) => [[`${c.zone || "-"} ${c.qtype} ${c.rcode} udp`, c.udp], [`${c.zone || "-"} ${c.qtype} ${c.rcode} tcp`, c.tcp]]).filter(([, n]) => n !== 0));

  it("counts by zone, qtype, rcode and transport, hits and misses alike", () => {
    const stats = new QueryCounters();
    const cache = new AnswerCache(zones);
    const responder = { zones, cache, stats };
    const ask = (name: string, type: string, tcp = false, opts = {}) => answerQuery(buildQuery(name, type, opts), tcp, responder);
    for (let i = 0; i < 3; i++) ask("WWW.example.test", "A");
    ask("www.example.test", "A", true);
    ask("nope.example.test", "AAAA");
    ask("elsewhere.invalid", "A");
    ask("www.example.test", "A", false, { opcode: 2 });
    ask("www.example.test", "TXT", false, { edns: { version: 1 } });
    ask("www.example.test", "A", false, { qclass: "CH" });
    const malformed = buildQuery("www.example.test", "A", { edns: false }).subarray(0, 20);
    answerQuery(malformed, false, responder);
    answerQuery(Buffer.from([1, 2, 3]), false, responder); // dropped

    expect(counts(stats)).toEqual({
      "example.test A NOERROR udp": 3,
      "example.test A NOERROR tcp": 1,
      "example.test AAAA NXDOMAIN udp": 1,
      "- A REFUSED udp": 2, // outside every zone; class CH
      "- A NOTIMP udp": 1,
      "- TXT BADVERS udp": 1,
      "- other FORMERR udp": 1,
    });
    expect(stats.dropped).toBe(1);
    expect(cache.hits).toBe(3);
    expect(cache.misses).toBe(3);
    expect(stats.zone("example.test").topNames!.top(10)).toEqual([
      { name: "www.example.test", count: 4 },
      { name: "nope.example.test", count: 1 },
    ]);
    expect(stats.zone(NO_ZONE).topNames).toBeNull();
  });

  it("a cached answer counts its name again after its zone's top names were cleared", () => {
    const stats = new QueryCounters();
    const responder = { zones, cache: new AnswerCache(zones), stats };
    answerQuery(buildQuery("www.example.test", "A"), false, responder);
    stats.zone("example.test").topNames!.clear();
    answerQuery(buildQuery("www.example.test", "A"), false, responder);
    answerQuery(buildQuery("www.example.test", "A"), false, responder);
    expect(stats.zone("example.test").topNames!.top(10)).toEqual([{ name: "www.example.test", count: 2 }]);
  });
});
