// Name compression (RFC 1035 §4.1.4) in the encoded sections: the compressed responses decode to
// the same records as an uncompressed encoding of the same lookup, every pointer points back at
// the start of a label already in the message, names in RDATA are compressed only for the types
// RFC 3597 §4 allows (never SRV targets, RFC 2782), and one cached body serves every letter
// case of the question (0x20 randomisation).
import { execFile } from "node:child_process";
import dgram from "node:dgram";
import { promisify } from "node:util";
import dnsPacket from "dns-packet";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AnswerCache } from "../../nameserver/answer-cache.ts";
import { answerQuery } from "../../nameserver/answer-query.ts";
import { lookup } from "../../nameserver/lookup.ts";
import { encodeSections, questionNameWire } from "../../nameserver/response.ts";
import { ZoneIndex } from "../../nameserver/zone-index.ts";
import { ZoneSet } from "../../nameserver/zone-set.ts";
import { buildQuery, decodeReply, type ReplyRecord } from "../helpers/dns-client.ts";

const soa = (name: string) => ({ name, serial: 7, soaTtl: 3600, primaryNs: "ns1.example.net", hostmaster: "hostmaster.example.net", refresh: 1, retry: 1, expire: 1, minimum: 300 });
const rr = (name: string, type: string, content: string, ttl = 300) => ({ name, type, ttl, content });

function makeZones(): ZoneSet {
  const zones = new ZoneSet();
  zones.put("z", new ZoneIndex(soa("example.test"), [
    rr("example.test", "NS", "ns1.example.net."),
    rr("example.test", "NS", "ns2.example.test."),
    rr("ns2.example.test", "A", "192.0.2.53"),
    rr("example.test", "MX", "10 mail.example.test."),
    rr("example.test", "MX", "20 mail.other.test."),
    rr("mail.example.test", "A", "192.0.2.25"),
    rr("mail.example.test", "AAAA", "2001:db8::25"),
    rr("www.example.test", "A", "192.0.2.1"),
    rr("alias.example.test", "CNAME", "www.example.test."),
    rr("far.example.test", "CNAME", "www.other.test."),
    rr("_sip._tcp.example.test", "SRV", "10 5 5060 sip.example.test."),
    rr("_sip._tcp.example.test", "SRV", "20 5 5060 sip2.example.test."),
    rr("sip.example.test", "A", "192.0.2.60"),
    rr("sip2.example.test", "A", "192.0.2.61"),
    rr("1.2.0.192.example.test", "PTR", "www.example.test."),
    rr("example.test", "TXT", '"v=spf1 -all"'),
    rr("*.wild.example.test", "MX", "5 mail.example.test."),
    rr("sub.example.test", "NS", "ns.sub.example.test."),
    rr("ns.sub.example.test", "A", "192.0.2.99"),
    ...Array.from({ length: 120 }, (_, i) => rr("big.example.test", "TXT", `"${String(i).padStart(3, "0")} ${"x".repeat(180)}"`)),
    ...Array.from({ length: 4 }, (_, i) => rr("big.example.test", "MX", `${i} m${i}.far-away.test.`)),
  ]));
  zones.put("o", new ZoneIndex(soa("other.test"), [rr("www.other.test", "A", "198.51.100.1"), rr("mail.other.test", "A", "198.51.100.25")]));
  return zones;
}

const QUESTIONS: [string, string][] = [
  ["example.test", "MX"], ["example.test", "NS"], ["example.test", "SOA"], ["example.test", "TXT"],
  ["www.example.test", "A"], ["alias.example.test", "A"], ["far.example.test", "A"], ["_sip._tcp.example.test", "SRV"],
  ["1.2.0.192.example.test", "PTR"], ["nx.example.test", "A"], ["www.example.test", "MX"], ["x.wild.example.test", "MX"],
  ["host.sub.example.test", "A"], ["mail.example.test", "ANY"], ["www.other.test", "A"],
];

/** dns-packet's view of a section, names lowercased (pointers may lead into the question's letter case). */
const normalise = (records: ReplyRecord[] | undefined) =>
  (records ?? []).filter((r) => r.type !== "OPT").map((r) => ({ ...r, name: r.name.toLowerCase(), data: lowerNames(r.data) }));
function lowerNames(data: unknown): unknown {
  if (typeof data === "string") return data.toLowerCase();
  if (data && typeof data === "object" && !Buffer.isBuffer(data) && !Array.isArray(data)) {
    return Object.fromEntries(Object.entries(data).map(([k, v]) => [k, typeof v === "string" ? v.toLowerCase() : v]));
  }
  return data;
}

/**
 * Walks a response and checks every compression pointer: it points strictly backwards, at an
 * offset where a label of an earlier name starts (so never forward, never outside the message,
 * never into the middle of other data). Returns how many pointers it saw.
 */
function checkPointers(msg: Buffer): number {
  const labelStarts = new Set<number>();
  let pointers = 0;
  const name = (at: number): number => {
    for (;;) {
      const len = msg[at];
      if (len === undefined) throw new Error(`name runs past the end at ${at}`);
      if ((len & 0xc0) === 0xc0) {
        const target = msg.readUInt16BE(at) & 0x3fff;
        if (target >= at) throw new Error(`pointer at ${at} points forward to ${target}`);
        if (!labelStarts.has(target)) throw new Error(`pointer at ${at} to ${target}, not the start of a label seen before`);
        pointers++;
        return at + 2;
      }
      if (len > 63) throw new Error(`bad label length ${len} at ${at}`);
      if (len === 0) return at + 1;
      labelStarts.add(at);
      at += 1 + len;
    }
  };
  const counts = [4, 6, 8, 10].map((o) => msg.readUInt16BE(o));
  let at = 12;
  for (let q = 0; q < counts[0]; q++) at = name(at) + 4;
  const records = counts[1] + counts[2] + counts[3];
  for (let r = 0; r < records; r++) {
    at = name(at);
    const type = msg.readUInt16BE(at);
    const rdlength = msg.readUInt16BE(at + 8);
    at += 10;
    const end = at + rdlength;
    // Names inside RDATA: the compressible types, and SRV's target, which must be uncompressed.
    if (type === 2 || type === 5 || type === 12) expect(name(at)).toBe(end);
    else if (type === 15) expect(name(at + 2)).toBe(end);
    else if (type === 6) expect(name(name(at)) + 20).toBe(end);
    else if (type === 33) {
      const before = pointers;
      expect(name(at + 6)).toBe(end);
      expect(pointers, "SRV target compressed").toBe(before);
    }
    at = end;
  }
  expect(at).toBe(msg.length);
  return pointers;
}

describe("name compression", () => {
  const zones = makeZones();
  const responder = { zones, cache: new AnswerCache(zones) };

  it("decodes to the same records as the uncompressed encoding, and every pointer points back at a label", () => {
    for (const [name, type] of QUESTIONS) {
      for (const tcp of [false, true]) {
        const raw = answerQuery(buildQuery(name, type, { edns: { udpPayloadSize: 4096 } }), tcp, responder)!;
        const reply = decodeReply(raw);
        expect(reply.tc, `${name} ${type}`).toBe(false);
        const result = lookup(zones, name, type, { tcp });
        const plain = dnsPacket.decode(dnsPacket.encode({ type: "response", answers: result.answer, authorities: result.authority, additionals: result.additional } as never)) as never as Record<string, ReplyRecord[]>;
        expect(normalise(reply.answers), `${name} ${type} answer`).toEqual(normalise(plain.answers));
        expect(normalise(reply.authorities), `${name} ${type} authority`).toEqual(normalise(plain.authorities));
        expect(normalise(reply.additionals), `${name} ${type} additional`).toEqual(normalise(plain.additionals));
        const pointers = checkPointers(raw);
        if (reply.answers.length + reply.authorities.length > 0) expect(pointers, `${name} ${type}`).toBeGreaterThan(0);
      }
    }
  });

  it("makes answers smaller than the uncompressed encoding", () => {
    const result = lookup(zones, "example.test", "MX");
    const compressed = encodeSections("example.test", result.rcode, result.aa, result.answer, result.authority, result.additional).body.length;
    const codec = (dnsPacket as unknown as { answer: { encode(rr: unknown): Buffer } }).answer;
    const plain = [...result.answer, ...result.additional].reduce((n, r) => n + codec.encode(r).length, 0);
    expect(compressed).toBeLessThan(plain * 0.7);
    // Each owner "example.test" is a pointer to the question (offset 12): 2 bytes instead of 14.
    const sections = encodeSections("example.test", result.rcode, result.aa, result.answer, [], []);
    expect(sections.body.readUInt16BE(0)).toBe(0xc00c);
  });

  it("writes SRV targets in full (RFC 2782) and compresses their owners", () => {
    const raw = answerQuery(buildQuery("_sip._tcp.example.test", "SRV"), false, responder)!;
    checkPointers(raw); // asserts the SRV targets carry no pointer
    expect(raw.includes(Buffer.from("\x03sip\x07example\x04test\x00", "latin1"))).toBe(true);
    expect(raw.includes(Buffer.from("\x04sip2\x07example\x04test\x00", "latin1"))).toBe(true);
  });

  it("serves one cached body to every letter case of the question (0x20), pointing into the query's own spelling", () => {
    const cache = new AnswerCache(zones);
    const r = { zones, cache };
    const lower = decodeReply(answerQuery(buildQuery("alias.example.test", "A"), false, r)!);
    const mixed = answerQuery(buildQuery("AlIaS.ExAmPlE.tEsT", "A"), false, r)!;
    expect(cache.hits).toBe(1);
    checkPointers(mixed);
    const reply = decodeReply(mixed);
    expect(reply.questions[0].name).toBe("AlIaS.ExAmPlE.tEsT");
    expect(reply.answers[0].name).toBe("AlIaS.ExAmPlE.tEsT"); // the owner is a pointer to the question
    expect(normalise(reply.answers)).toEqual(normalise(lower.answers));
  });

  it("handles question names with unusual octets (a dot or a space inside a label)", () => {
    const weird = new ZoneSet();
    weird.put("z", new ZoneIndex(soa("example.test"), [rr("www.example.test", "A", "192.0.2.1")]));
    const r = { zones: weird, cache: new AnswerCache(weird) };
    // Labels "a.b" and "c d" under example.test: NXDOMAIN with the SOA, whose owner points into the question.
    const query = buildQuery("a\\.b.c\\032d.example.test", "A");
    expect(questionNameWire("a\\046b.c\\032d.example.test")).toEqual(Buffer.from("\x03a.b\x03c d\x07example\x04test\x00", "latin1"));
    const raw = answerQuery(query, false, r)!;
    expect(checkPointers(raw)).toBeGreaterThan(0);
    const reply = decodeReply(raw);
    expect(reply.rcode).toBe("NXDOMAIN");
    expect(reply.authorities[0]).toMatchObject({ name: "example.test", type: "SOA" });
  });

  it("points only at offsets a pointer can hold (14 bits) in TCP answers larger than 16 KiB", () => {
    const raw = answerQuery(buildQuery("big.example.test", "ANY", { edns: false }), true, responder)!;
    expect(raw.length).toBeGreaterThan(0x4000);
    checkPointers(raw);
    const reply = decodeReply(raw);
    expect(reply.answers.filter((a) => a.type === "TXT")).toHaveLength(120);
    expect(reply.answers.filter((a) => a.type === "MX").map((a) => a.data.exchange).sort()).toEqual([0, 1, 2, 3].map((i) => `m${i}.far-away.test`));
  });

  describe("as dig reads it", () => {
    let server: dgram.Socket;
    let port = 0;
    beforeAll(async () => {
      server = dgram.createSocket("udp4");
      server.on("message", (msg, from) => {
        const out = answerQuery(msg, false, responder);
        if (out) server.send(out, from.port, from.address);
      });
      await new Promise<void>((resolve) => server.bind(0, "127.0.0.1", resolve));
      port = server.address().port;
    });
    afterAll(() => server.close());

    // dig runs as a child process while this process answers it: asynchronously, or nobody answers.
    const dig = async (name: string, type: string) =>
      (await promisify(execFile)("dig", ["@127.0.0.1", "-p", String(port), name, type, "+norec", "+time=2", "+tries=1", "+bufsize=4096"], { encoding: "utf8" })).stdout;

    it("dig decodes the compressed answers without complaint", async () => {
      const mx = await dig("example.test", "MX");
      expect(mx).toMatch(/status: NOERROR/);
      expect(mx).toMatch(/example\.test\.\s+300\s+IN\s+MX\s+10 mail\.example\.test\./);
      expect(mx).toMatch(/mail\.example\.test\.\s+300\s+IN\s+AAAA\s+2001:db8::25/);
      expect(mx).not.toMatch(/WARNING|malformed|FORMERR/i);
      const nx = await dig("nx.example.test", "A");
      expect(nx).toMatch(/status: NXDOMAIN/);
      expect(nx).toMatch(/example\.test\.\s+300\s+IN\s+SOA\s+ns1\.example\.net\. hostmaster\.example\.net\. 7 /);
      const srv = await dig("_sip._tcp.example.test", "SRV");
      expect(srv).toMatch(/SRV\s+10 5 5060 sip\.example\.test\./);
      const referral = await dig("host.sub.example.test", "A");
      expect(referral).toMatch(/sub\.example\.test\.\s+300\s+IN\s+NS\s+ns\.sub\.example\.test\./);
      expect(referral).toMatch(/ns\.sub\.example\.test\.\s+300\s+IN\s+A\s+192\.0\.2\.99/);
    });
  });
});
