// One zone in memory, changed in place by deltas (nameserver/zone-index.ts): after any deltas
// the index answers exactly as an index built from scratch with the same records.
import { describe, expect, it } from "vitest";
import { lookup } from "../../nameserver/lookup.ts";
import { DeltaError, ZoneIndex } from "../../nameserver/zone-index.ts";
import { ZoneSet } from "../../nameserver/zone-set.ts";

const soa = (name: string, serial = 1) => ({
  name, serial, soaTtl: 3600, primaryNs: "ns1.example.net", hostmaster: "hostmaster.example.net",
  refresh: 7200, retry: 3600, expire: 1209600, minimum: 300,
});
const rr = (name: string, type: string, content: string, ttl = 300) => ({ name, type, ttl, content });

const BASE = [
  rr("example.test", "NS", "ns1.example.net."),
  rr("www.example.test", "A", "192.0.2.1"),
  rr("www.example.test", "A", "192.0.2.2", 60),
  rr("a.b.c.example.test", "TXT", '"deep"'),
  rr("sub.example.test", "NS", "ns.sub.example.test."),
  rr("ns.sub.example.test", "A", "192.0.2.53"),
];

/** What a set of questions gets from a zone: the comparison between in-place and rebuilt. */
function answers(zone: ZoneIndex) {
  const set = new ZoneSet();
  set.put("z", zone);
  const questions = [
    ["www.example.test", "A"], ["b.c.example.test", "A"], ["c.example.test", "TXT"], ["a.b.c.example.test", "TXT"],
    ["x.sub.example.test", "A"], ["sub.example.test", "NS"], ["new.example.test", "A"], ["nothing.example.test", "A"],
    ["example.test", "SOA"], ["x.y.example.test", "AAAA"],
  ];
  return questions.map(([q, t]) => {
    const r = lookup(set, q, t);
    return { q, t, verdict: r.verdict, rcode: r.rcode, answer: r.answer, authority: r.authority, additional: r.additional };
  });
}

describe("a zone changed in place by deltas", () => {
  it("answers like a zone rebuilt with the same records, serial and revision moving", () => {
    const zone = new ZoneIndex(soa("example.test"), BASE);
    const before = zone.revision;
    zone.applyDelta({
      removed: [rr("www.example.test", "A", "192.0.2.2", 60), rr("a.b.c.example.test", "TXT", '"deep"'), rr("sub.example.test", "NS", "ns.sub.example.test.")],
      added: [rr("new.example.test", "A", "192.0.2.9"), rr("x.y.example.test", "TXT", '"ent"')],
    }, 2);
    expect(zone.serial).toBe(2);
    expect(zone.soa.data).toMatchObject({ serial: 2 });
    expect(zone.revision).not.toBe(before);
    const rebuilt = new ZoneIndex(soa("example.test", 2), [
      BASE[0], BASE[1], BASE[5], rr("new.example.test", "A", "192.0.2.9"), rr("x.y.example.test", "TXT", '"ent"'),
    ]);
    expect(answers(zone)).toEqual(answers(rebuilt));
    // The RRset's TTL is the lowest of what is left; empty non-terminals went with their leaf; the cut is gone.
    expect(zone.rrset("www.example.test", "A")!.ttl).toBe(300);
    expect(zone.exists("b.c.example.test")).toBe(false);
    expect(zone.exists("y.example.test")).toBe(true);
    expect(zone.cuts.has("sub.example.test")).toBe(false);
    expect(zone.recordCount).toBe(5);
  });

  it("refuses a delta made to another version, and changes nothing", () => {
    const zone = new ZoneIndex(soa("example.test"), BASE);
    const before = answers(zone);
    const revision = zone.revision;
    expect(() => zone.applyDelta({ removed: [rr("www.example.test", "A", "192.0.2.99")], added: [rr("ok.example.test", "A", "192.0.2.1")] }, 2)).toThrow(DeltaError);
    // Two removals of one record need two records.
    expect(() => zone.applyDelta({ removed: [BASE[1], BASE[1]], added: [] }, 2)).toThrow(DeltaError);
    expect(answers(zone)).toEqual(before);
    expect(zone.serial).toBe(1);
    expect(zone.revision).toBe(revision);
  });

  it("an update (removal + addition of one name and type) keeps the RRset", () => {
    const zone = new ZoneIndex(soa("example.test"), BASE);
    zone.applyDelta({ removed: [BASE[1]], added: [rr("www.example.test", "A", "192.0.2.10", 30)] }, 2);
    expect(zone.rrset("www.example.test", "A")).toMatchObject({ ttl: 30, contents: ["192.0.2.2", "192.0.2.10"] });
  });
});

describe("a zone recreated under its name", () => {
  it("removing the old id does not take the new zone away", () => {
    const set = new ZoneSet();
    set.put("old", new ZoneIndex(soa("example.test", 1), BASE));
    set.put("new", new ZoneIndex(soa("example.test", 7), BASE));
    set.remove("old");
    expect(set.get("example.test")?.serial).toBe(7);
    expect(set.byId("new")?.serial).toBe(7);
    expect(set.byId("old")).toBeUndefined();
    set.remove("new");
    expect(set.get("example.test")).toBeUndefined();
  });
});

describe("SOA fields changed by a change set", () => {
  it("a delta carries the zone's SOA fields as they are now", () => {
    const zone = new ZoneIndex(soa("example.test"), BASE);
    zone.applyDelta({ removed: [], added: [] }, 2, { ...soa("example.test"), primaryNs: "a.nic.test", hostmaster: "hostmaster.nic.test", soaTtl: 600 });
    expect(zone.soa).toMatchObject({ ttl: 600, data: { mname: "a.nic.test", rname: "hostmaster.nic.test", serial: 2 } });
  });
});

describe("a whole load of a zone we serve, compared instead of built", () => {
  it("the differences make the index equal to the zone as read", async () => {
    const zone = new ZoneIndex(soa("example.test"), BASE);
    const read = [BASE[0], BASE[2], BASE[4], BASE[5], rr("www.example.test", "A", "192.0.2.1", 30), rr("new.example.test", "A", "192.0.2.9")];
    const comparison = zone.compare(100);
    for (const r of read) comparison.see(r.name, r.type, r.ttl, r.content);
    const delta = (await comparison.differences())!;
    expect(delta.added.map((r) => `${r.name} ${r.content} ${r.ttl}`).sort()).toEqual(["new.example.test 192.0.2.9 300", "www.example.test 192.0.2.1 30"]);
    expect(delta.removed.map((r) => `${r.name} ${r.type}`).sort()).toEqual(["a.b.c.example.test TXT", "www.example.test A"]);
    zone.applyDelta(delta, 5);
    expect(answers(zone)).toEqual(answers(new ZoneIndex(soa("example.test", 5), read)));
  });

  it("gives up past its limit, and when the index changed meanwhile", async () => {
    const zone = new ZoneIndex(soa("example.test"), BASE);
    const tooMany = zone.compare(1);
    tooMany.see("a.example.test", "A", 300, "192.0.2.1");
    tooMany.see("b.example.test", "A", 300, "192.0.2.2");
    expect(await tooMany.differences()).toBeNull();
    const overtaken = zone.compare(100);
    for (const r of BASE) overtaken.see(r.name, r.type, r.ttl, r.content);
    zone.applyDelta({ added: [rr("x.example.test", "A", "192.0.2.3")], removed: [] }, 2);
    expect(await overtaken.differences()).toBeNull();
  });

  it("a node with more records than a bit mask holds", async () => {
    const many = Array.from({ length: 40 }, (_, i) => rr("many.example.test", "A", `192.0.2.${i}`));
    const zone = new ZoneIndex(soa("example.test"), many);
    const comparison = zone.compare(100);
    for (const r of many.slice(1)) comparison.see(r.name, r.type, r.ttl, r.content);
    expect((await comparison.differences())!.removed.map((r) => r.content)).toEqual(["192.0.2.0"]);
  });
});
