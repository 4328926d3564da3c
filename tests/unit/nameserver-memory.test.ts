// Memory stays flat while a zone is edited: deltas change the index in place, and the answer
// cache holds encoded bytes and (zone name, revision) pairs, never a zone's old version.
import { describe, expect, it } from "vitest";
import { AnswerCache } from "../../nameserver/answer-cache.ts";
import { answerQuery } from "../../nameserver/answer-query.ts";
import { ZoneIndex } from "../../nameserver/zone-index.ts";
import { ZoneSet } from "../../nameserver/zone-set.ts";
import { buildQuery, decodeReply } from "../helpers/dns-client.ts";
import { heapAfterGc } from "../helpers/gc.ts";


const soa = { name: "big.test", serial: 1, soaTtl: 3600, primaryNs: "ns1.example.net", hostmaster: "h.example.net", refresh: 7200, retry: 3600, expire: 1209600, minimum: 300 };

describe("memory over many edits", () => {
  it("10,000 edits to a 20,000-record zone, each followed by queries, leave the heap flat", () => {
    const zone = new ZoneIndex(soa, Array.from({ length: 20_000 }, (_, i) => ({ name: `h${i}.big.test`, type: "A", ttl: 300, content: `10.0.${i >> 8}.${i & 255}` })));
    const zones = new ZoneSet();
    zones.put("big", zone);
    const responder = { zones, cache: new AnswerCache(zones) };
    const ask = (name: string) => decodeReply(answerQuery(buildQuery(name, "A"), false, responder)!);
    // The questions come from a fixed set (1,600 names), so the cache's own size levels off
    // early; what could still grow is what each edit leaves behind.
    const edit = (i: number) => {
      // Move one record from name to name: the zone keeps its size, every edit invalidates answers.
      const old = { name: `e${(i + 99) % 100}.big.test`, type: "A", ttl: 300, content: "192.0.2.1" };
      zone.applyDelta({ removed: i > 0 ? [old] : [], added: [{ ...old, name: `e${i % 100}.big.test` }] }, zone.serial + 1);
      zones.touch("big");
      expect(ask(`e${i % 100}.big.test`).answers).toHaveLength(1);
      ask(`h${i % 1_000}.big.test`);
      ask(`nothing${i % 500}.big.test`);
    };
    for (let i = 0; i < 1_000; i++) edit(i);
    const start = heapAfterGc();
    for (let i = 1_000; i < 10_000; i++) edit(i);
    const growth = heapAfterGc() - start;
    expect(zone.serial).toBe(10_001);
    expect(zone.recordCount).toBe(20_001);
    expect(growth).toBeLessThan(2 * 1024 * 1024);
  }, 120_000);
});
