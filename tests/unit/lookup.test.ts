// The DNS behaviours of lookup(), on plain data: no sockets, no database.
import { describe, expect, it } from "vitest";
import { AnswerCache } from "../../nameserver/answer-cache.ts";
import { answerQuery } from "../../nameserver/answer-query.ts";
import { lookup, RCODE } from "../../nameserver/lookup.ts";
import { ZoneIndex } from "../../nameserver/zone-index.ts";
import { ZoneSet } from "../../nameserver/zone-set.ts";
import { buildQuery, decodeReply } from "../helpers/dns-client.ts";

const soa = (name: string, serial = 2026112501) => ({
  name, serial, soaTtl: 3600, primaryNs: "ns1.example.net", hostmaster: "hostmaster.example.net",
  refresh: 7200, retry: 3600, expire: 1209600, minimum: 300,
});
const rr = (name: string, type: string, content: string, ttl = 300) => ({ name, type, ttl, content });

function zones() {
  const set = new ZoneSet();
  set.put("z1", new ZoneIndex(soa("example.test"), [
    rr("example.test", "NS", "ns1.example.net."),
    rr("example.test", "NS", "ns2.example.net."),
    rr("example.test", "A", "192.0.2.1"),
    rr("example.test", "MX", "10 mail.example.test."),
    rr("mail.example.test", "A", "192.0.2.25"),
    rr("www.example.test", "CNAME", "web.example.test."),
    rr("web.example.test", "A", "192.0.2.80"),
    rr("web.example.test", "A", "192.0.2.81", 60),
    rr("out.example.test", "CNAME", "cdn.elsewhere.test."),
    rr("loop1.example.test", "CNAME", "loop2.example.test."),
    rr("loop2.example.test", "CNAME", "loop1.example.test."),
    rr("dangling.example.test", "CNAME", "nothing.example.test."),
    rr("x.y.deep.example.test", "TXT", '"deep"'),
    rr("*.wild.example.test", "A", "192.0.2.99"),
    rr("*.wild.example.test", "TXT", '"wild"'),
    rr("exists.wild.example.test", "TXT", '"real"'),
    rr("*.alias.example.test", "CNAME", "web.example.test."),
    rr("sub.example.test", "NS", "ns1.sub.example.test."),
    rr("sub.example.test", "NS", "ns.other.test."),
    rr("ns1.sub.example.test", "A", "192.0.2.53"),
    rr("cross.example.test", "CNAME", "www.other.test."),
  ]));
  set.put("z2", new ZoneIndex(soa("other.test", 7), [
    rr("other.test", "NS", "ns1.example.net."),
    rr("www.other.test", "AAAA", "2001:db8::1"),
  ]));
  return set;
}

const names = (section: { name: string; type: string }[]) => section.map((r) => `${r.name} ${r.type}`);

describe("lookup", () => {
  const z = zones();

  it("answers an exact match authoritatively, one TTL per RRset (the lowest)", () => {
    const r = lookup(z, "web.example.test", "A");
    expect(r).toMatchObject({ verdict: "answer", rcode: RCODE.NOERROR, aa: true });
    expect(r.answer.map((a) => [a.data, a.ttl])).toEqual([["192.0.2.80", 60], ["192.0.2.81", 60]]);
    expect(r.authority).toEqual([]);
  });

  it("answers the apex SOA and NS", () => {
    expect((lookup(z, "example.test", "SOA").answer[0].data as { serial: number }).serial).toBe(2026112501);
    expect(lookup(z, "example.test", "NS").answer).toHaveLength(2);
  });

  it("adds addresses of MX targets in additional", () => {
    const r = lookup(z, "example.test", "MX");
    expect(names(r.additional)).toEqual(["mail.example.test A"]);
  });

  it("minimal responses leave out MX and SRV target addresses, never the glue of a referral or of the zone's own NS", () => {
    expect(lookup(z, "example.test", "MX", { minimal: true }).additional).toEqual([]);
    expect(names(lookup(z, "www.sub.example.test", "A", { minimal: true }).additional)).toEqual(["ns1.sub.example.test A"]);
    const set = new ZoneSet();
    set.put("z", new ZoneIndex(soa("own.test"), [rr("own.test", "NS", "ns1.own.test."), rr("ns1.own.test", "A", "192.0.2.53")]));
    expect(names(lookup(set, "own.test", "NS", { minimal: true }).additional)).toEqual(["ns1.own.test A"]);
  });

  it("chases a CNAME inside our zones (RFC 1034 §4.3.2)", () => {
    const r = lookup(z, "www.example.test", "A");
    expect(r.verdict).toBe("cname");
    expect(names(r.answer)).toEqual(["www.example.test CNAME", "web.example.test A", "web.example.test A"]);
    expect(r.aa).toBe(true);
  });

  it("chases into another zone we serve", () => {
    const r = lookup(z, "cross.example.test", "AAAA");
    expect(names(r.answer)).toEqual(["cross.example.test CNAME", "www.other.test AAAA"]);
    expect(r.zones.map((x) => x.name).sort()).toEqual(["example.test", "other.test"]);
  });

  it("stops at a CNAME that leaves our zones", () => {
    const r = lookup(z, "out.example.test", "A");
    expect(names(r.answer)).toEqual(["out.example.test CNAME"]);
    expect(r.rcode).toBe(RCODE.NOERROR);
  });

  it("answers a CNAME question with the CNAME itself", () => {
    expect(names(lookup(z, "www.example.test", "CNAME").answer)).toEqual(["www.example.test CNAME"]);
  });

  it("survives CNAME loops", () => {
    const r = lookup(z, "loop1.example.test", "A");
    expect(names(r.answer)).toEqual(["loop1.example.test CNAME", "loop2.example.test CNAME"]);
  });

  it("a CNAME to a missing name: NXDOMAIN for the target, with the chain (RFC 6604)", () => {
    const r = lookup(z, "dangling.example.test", "A");
    expect(r.rcode).toBe(RCODE.NXDOMAIN);
    expect(names(r.answer)).toEqual(["dangling.example.test CNAME"]);
    expect(names(r.authority)).toEqual(["example.test SOA"]);
  });

  it("NODATA: existing name, other type; SOA in authority with TTL min(SOA TTL, MINIMUM)", () => {
    const r = lookup(z, "mail.example.test", "AAAA");
    expect(r).toMatchObject({ verdict: "nodata", rcode: RCODE.NOERROR, aa: true, answer: [] });
    expect(r.authority).toHaveLength(1);
    expect(r.authority[0]).toMatchObject({ type: "SOA", ttl: 300 });
  });

  it("empty non-terminals are NODATA, not NXDOMAIN", () => {
    for (const name of ["y.deep.example.test", "deep.example.test"]) {
      const r = lookup(z, name, "A");
      expect(r.verdict).toBe("nodata");
      expect(r.rcode).toBe(RCODE.NOERROR);
    }
  });

  it("NXDOMAIN with the SOA", () => {
    const r = lookup(z, "nope.example.test", "A");
    expect(r).toMatchObject({ verdict: "nxdomain", rcode: RCODE.NXDOMAIN, aa: true });
    expect(r.authority[0]).toMatchObject({ name: "example.test", type: "SOA", ttl: 300 });
  });

  it("wildcards synthesise records with the query name (RFC 4592)", () => {
    const r = lookup(z, "anything.wild.example.test", "A");
    expect(r.answer).toEqual([expect.objectContaining({ name: "anything.wild.example.test", data: "192.0.2.99" })]);
    expect(lookup(z, "a.b.wild.example.test", "TXT").answer[0].name).toBe("a.b.wild.example.test");
    // NODATA from a wildcard for a type it lacks
    expect(lookup(z, "anything.wild.example.test", "MX").verdict).toBe("nodata");
  });

  it("wildcards do not apply where the name exists (RFC 4592 §2.2.1)", () => {
    expect(lookup(z, "exists.wild.example.test", "A").verdict).toBe("nodata");
    expect(lookup(z, "exists.wild.example.test", "TXT").answer[0].data).toEqual([Buffer.from("real")]);
    // ...nor below an existing name that is not the wildcard's parent
    expect(lookup(z, "q.exists.wild.example.test", "A").verdict).toBe("nxdomain");
    // the wildcard owner itself is an ordinary name
    expect(lookup(z, "*.wild.example.test", "A").answer[0].name).toBe("*.wild.example.test");
  });

  it("a wildcard CNAME is synthesised and chased", () => {
    const r = lookup(z, "foo.alias.example.test", "A");
    expect(names(r.answer)).toEqual(["foo.alias.example.test CNAME", "web.example.test A", "web.example.test A"]);
  });

  it("NS below the apex is a referral: AA=0, NS in authority, glue in additional", () => {
    for (const name of ["sub.example.test", "host.sub.example.test", "ns1.sub.example.test"]) {
      const r = lookup(z, name, "A");
      expect(r).toMatchObject({ verdict: "referral", rcode: RCODE.NOERROR, aa: false, answer: [] });
      expect(names(r.authority)).toEqual(["sub.example.test NS", "sub.example.test NS"]);
      expect(r.additional).toEqual([expect.objectContaining({ name: "ns1.sub.example.test", type: "A", data: "192.0.2.53" })]);
    }
  });

  it("names outside every zone are REFUSED", () => {
    expect(lookup(z, "example.com", "A")).toMatchObject({ verdict: "refused", rcode: RCODE.REFUSED, aa: false });
    expect(lookup(z, "test", "A").rcode).toBe(RCODE.REFUSED);
  });

  it("ANY gets one RRset over UDP (RFC 8482) and all of them over TCP", () => {
    expect(lookup(z, "example.test", "ANY").answer.length).toBeGreaterThan(0);
    const udpTypes = new Set(lookup(z, "example.test", "ANY").answer.map((a) => a.type));
    expect(udpTypes.size).toBe(1);
    const tcpTypes = new Set(lookup(z, "example.test", "ANY", { tcp: true }).answer.map((a) => a.type));
    expect([...tcpTypes].sort()).toEqual(["A", "MX", "NS", "SOA"]);
  });

  it("the most specific zone wins", () => {
    const set = zones();
    set.put("z3", new ZoneIndex(soa("sub.example.test", 99), [rr("sub.example.test", "NS", "ns1.example.net."), rr("host.sub.example.test", "A", "192.0.2.7")]));
    const r = lookup(set, "host.sub.example.test", "A");
    expect(r).toMatchObject({ verdict: "answer", aa: true });
    expect(r.zones[0].name).toBe("sub.example.test");
  });

  it("negative answers use the SOA TTL when it is below MINIMUM (RFC 2308 §5: the lower of the two)", () => {
    const set = new ZoneSet();
    set.put("low", new ZoneIndex({ ...soa("low.test"), soaTtl: 60, minimum: 3600 }, [rr("low.test", "NS", "ns1.example.net."), rr("a.low.test", "A", "192.0.2.1")]));
    expect(lookup(set, "nope.low.test", "A").authority).toEqual([expect.objectContaining({ type: "SOA", ttl: 60 })]);
    expect(lookup(set, "a.low.test", "TXT").authority).toEqual([expect.objectContaining({ type: "SOA", ttl: 60 })]);
    // The SOA itself keeps its own TTL.
    expect(lookup(set, "low.test", "SOA").answer[0].ttl).toBe(60);
  });

  it("additional addresses depend on the zone of the target even when it has none yet", () => {
    const set = new ZoneSet();
    set.put("parent", new ZoneIndex(soa("parent.test"), [rr("parent.test", "NS", "ns1.example.net."), rr("child.parent.test", "NS", "ns.hoster.test.")]));
    set.put("hoster", new ZoneIndex(soa("hoster.test"), [rr("hoster.test", "NS", "ns1.example.net.")]));
    const r = lookup(set, "www.child.parent.test", "A");
    expect(r.verdict).toBe("referral");
    expect(r.additional).toEqual([]);
    expect(r.zones.map((z) => z.name).sort()).toEqual(["hoster.test", "parent.test"]);
  });

  it("a cached referral gains its glue when the nameserver's zone (another served zone) gets the address", () => {
    const set = new ZoneSet();
    set.put("parent", new ZoneIndex(soa("parent.test"), [rr("parent.test", "NS", "ns1.example.net."), rr("child.parent.test", "NS", "ns.hoster.test.")]));
    const hosterRecords = [rr("hoster.test", "NS", "ns1.example.net.")];
    set.put("hoster", new ZoneIndex(soa("hoster.test", 1), hosterRecords));
    const responder = { zones: set, cache: new AnswerCache(set) };
    const glue = () => decodeReply(answerQuery(buildQuery("www.child.parent.test", "A"), false, responder)!).additionals.filter((a) => a.type === "A");
    expect(glue()).toEqual([]);
    expect(glue()).toEqual([]); // now from the cache
    set.put("hoster", new ZoneIndex(soa("hoster.test", 2), [...hosterRecords, rr("ns.hoster.test", "A", "192.0.2.53")]));
    expect(glue().map((a) => `${a.name} ${a.data}`)).toEqual(["ns.hoster.test 192.0.2.53"]);
  });
});

// Every zone shape ends: the loops in lookup walk up label by label and stop at the apex, the
// root ("") included. (A served root zone used to loop forever.)
describe("lookup terminates for every zone shape", () => {
  it("the root zone: its apex, TLD delegations, names below them, and names it lacks", () => {
    const set = new ZoneSet();
    set.put("root", new ZoneIndex(soa(""), [
      rr("", "NS", "a.root-servers.test."),
      rr("com", "NS", "a.gtld.test."),
      rr("a.root-servers.test", "A", "192.0.2.1"),
      rr("*.wild", "TXT", '"wild"'),
    ]));
    expect(lookup(set, "", "SOA")).toMatchObject({ verdict: "answer", aa: true });
    expect(lookup(set, "", "NS").answer).toHaveLength(1);
    expect(lookup(set, "com", "A")).toMatchObject({ verdict: "referral", aa: false });
    expect(lookup(set, "www.example.com", "A")).toMatchObject({ verdict: "referral", authority: [expect.objectContaining({ name: "com", type: "NS" })] });
    expect(lookup(set, "com", "DS")).toMatchObject({ verdict: "nodata" });
    expect(lookup(set, "org", "A")).toMatchObject({ verdict: "nxdomain", authority: [expect.objectContaining({ type: "SOA", name: "" })] });
    expect(lookup(set, "deep.name.org", "A").verdict).toBe("nxdomain");
    expect(lookup(set, "test", "A").verdict).toBe("nodata"); // an empty non-terminal above a.root-servers.test
    expect(lookup(set, "x.wild", "TXT")).toMatchObject({ verdict: "answer", answer: [expect.objectContaining({ name: "x.wild" })] });
  });

  it("a single-label apex (a registry's TLD zone): referrals at and below delegations", () => {
    const set = new ZoneSet();
    set.put("tld", new ZoneIndex(soa("example"), [
      rr("example", "NS", "ns1.nic.example."),
      rr("ns1.nic.example", "A", "192.0.2.53"),
      rr("shop.example", "NS", "ns1.shop.example."),
      rr("ns1.shop.example", "A", "192.0.2.80"),
    ]));
    expect(lookup(set, "example", "SOA").verdict).toBe("answer");
    for (const name of ["shop.example", "www.shop.example", "a.b.c.shop.example", "ns1.shop.example"]) {
      const r = lookup(set, name, "A");
      expect(r, name).toMatchObject({ verdict: "referral", aa: false });
      expect(r.additional.map((a) => `${a.name} ${a.data}`), name).toEqual(["ns1.shop.example 192.0.2.80"]);
    }
    expect(lookup(set, "nic.example", "A").verdict).toBe("nodata");
    expect(lookup(set, "other.example", "A").verdict).toBe("nxdomain");
    expect(lookup(set, "x.y.other.example", "A").verdict).toBe("nxdomain");
    expect(lookup(set, "com", "A").verdict).toBe("refused");
  });
});
