// Properties of the way in (fast-check): whatever bytes arrive, parseQuery and answerQuery never
// throw; a packet is either dropped (null) or answered with a well-formed response (dns-packet
// decodes it, same ID, QR set, within the transport's size limit), and when the parser accepted
// the query the response echoes its question and carries an RCODE a query can get.
import dnsPacket from "dns-packet";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { nextPacket, Random, validQuery } from "../../fuzz/mutators.ts";
import { fuzzZone } from "../../fuzz/zone.ts";
import { AnswerCache } from "../../nameserver/answer-cache.ts";
import { answerQuery } from "../../nameserver/answer-query.ts";
import { parseQuery } from "../../nameserver/query-parser.ts";
import { ZoneIndex } from "../../nameserver/zone-index.ts";
import { ZoneSet } from "../../nameserver/zone-set.ts";

const APEX = "example.test";
const rr = (name: string, type: string, content: string) => ({ name: name === "@" ? APEX : `${name}.${APEX}`, type, ttl: 300, content });
const zones = new ZoneSet();
// One zone with every shape of answer: plain, CNAME, wildcard, empty non-terminal, delegation
// with glue, MX with additional data, and an RRset too large for UDP.
zones.put("z", new ZoneIndex(
  { name: APEX, serial: 1, soaTtl: 3600, primaryNs: "ns1.example.net", hostmaster: "h.example.net", refresh: 1, retry: 1, expire: 1, minimum: 300 },
  [
    rr("@", "NS", "ns1.example.net."),
    rr("@", "A", "192.0.2.1"),
    rr("@", "MX", `10 mail.${APEX}.`),
    rr("@", "TXT", '"v=spf1 -all"'),
    rr("@", "CAA", '0 issue "letsencrypt.org"'),
    rr("www", "A", "192.0.2.80"),
    rr("mail", "A", "192.0.2.25"),
    rr("mail", "AAAA", "2001:db8::25"),
    rr("alias", "CNAME", `www.${APEX}.`),
    rr("x.deep", "TXT", '"deep"'),
    rr("*.wild", "A", "192.0.2.99"),
    rr("sub", "NS", `ns1.sub.${APEX}.`),
    rr("ns1.sub", "A", "192.0.2.53"),
    rr("_sip._tcp", "SRV", `10 20 5060 www.${APEX}.`),
    rr("1.2", "PTR", "host.example.net."),
    ...Array.from({ length: 30 }, (_, i) => rr("big", "TXT", `"${i} ${"x".repeat(200)}"`)),
  ],
));
// A small cache, so that eviction runs too.
const responder = { zones, cache: new AnswerCache(zones, 64) };
const fuzzZones = [fuzzZone(APEX)];

const FLAG_QR = 0x8000;
// What a query the parser accepted may get: NOERROR, FORMERR (qtype OPT), NXDOMAIN, REFUSED,
// or BADVERS (16: 0 in the header, 1 in the OPT's extended RCODE).
const ANSWERABLE_RCODES = new Set([0, 1, 3, 5]);

/** The checks every response must pass; returns nothing, throws (fails) on a violation. */
function checkResponse(raw: Buffer, tcp: boolean) {
  const parsed = parseQuery(raw); // must not throw
  const response = answerQuery(raw, tcp, responder); // must not throw
  if (!parsed.ok && parsed.reply === "drop") {
    expect(response).toBeNull();
    return;
  }
  expect(response).not.toBeNull();
  const r = response!;
  expect(r.length).toBeGreaterThanOrEqual(12);
  expect(r.readUInt16BE(0)).toBe(raw.readUInt16BE(0));
  expect(r.readUInt16BE(2) & FLAG_QR).toBe(FLAG_QR);
  const decoded = dnsPacket.decode(r); // a well-formed message
  expect(decoded.type).toBe("response");
  const rcode = r.readUInt16BE(2) & 0xf;
  if (!parsed.ok) {
    expect(rcode).toBe(parsed.reply === "notimp" ? 4 : 1);
    return;
  }
  const q = parsed.query;
  expect(ANSWERABLE_RCODES.has(rcode)).toBe(true);
  // The question goes back exactly as asked (0x20 case included).
  expect(r.readUInt16BE(4)).toBe(1);
  expect(r.subarray(12, q.questionEnd)).toEqual(raw.subarray(12, q.questionEnd));
  // Within the transport's limit: 65535 over TCP; over UDP 512, or the client's EDNS size
  // capped at ours (1232).
  const limit = tcp ? 65535 : q.edns ? Math.max(512, Math.min(q.edns.udpPayloadSize, 1232)) : 512;
  expect(r.length).toBeLessThanOrEqual(limit);
  // An OPT in the reply exactly when the query had one (RFC 6891 §7).
  expect((decoded.additionals ?? []).some((a) => a.type === "OPT")).toBe(q.edns !== null);
}

const bytes = (max: number) => fc.uint8Array({ maxLength: max }).map((a) => Buffer.from(a));

/** A valid query from fast-check's own choices (not the fuzzer's), for shrinkable failures. */
const validQueryArb = fc
  .record({
    id: fc.integer({ min: 0, max: 65535 }),
    labels: fc.array(fc.stringMatching(/^[a-zA-Z0-9*_-]{1,12}$/), { maxLength: 4 }),
    under: fc.constantFrom("", APEX, `www.${APEX}`, `wild.${APEX}`, `sub.${APEX}`, `big.${APEX}`, "other.invalid"),
    qtype: fc.oneof(fc.constantFrom(1, 2, 5, 6, 12, 15, 16, 28, 33, 41, 43, 251, 252, 255, 257), fc.integer({ min: 0, max: 65535 })),
    qclass: fc.oneof(fc.constant(1), fc.integer({ min: 0, max: 65535 })),
    edns: fc.option(fc.record({ payload: fc.integer({ min: 0, max: 65535 }), version: fc.constantFrom(0, 0, 1, 255), dnssecOk: fc.boolean() })),
  })
  .map(({ id, labels, under, qtype, qclass, edns }) => {
    const name = [...labels, ...(under ? [under] : [])].join(".");
    const nameBytes = Buffer.concat([...(name ? name.split(".") : []).map((l) => Buffer.concat([Buffer.from([l.length]), Buffer.from(l)])), Buffer.from([0])]);
    const h = Buffer.alloc(12);
    h.writeUInt16BE(id, 0);
    h.writeUInt16BE(1, 4);
    h.writeUInt16BE(edns ? 1 : 0, 10);
    const tail = Buffer.alloc(4);
    tail.writeUInt16BE(qtype, 0);
    tail.writeUInt16BE(qclass, 2);
    const opt = Buffer.alloc(edns ? 11 : 0);
    if (edns) {
      opt.writeUInt16BE(41, 1);
      opt.writeUInt16BE(edns.payload, 3);
      opt[6] = edns.version;
      opt.writeUInt16BE(edns.dnssecOk ? 0x8000 : 0, 7);
    }
    return Buffer.concat([h, nameBytes, tail, opt]);
  });

/** Mutations of a valid query: bit flips, overwritten octets, truncation, appended junk. */
const mutatedQueryArb = fc
  .tuple(
    validQueryArb,
    fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 }), fc.boolean()), { maxLength: 6 }),
    fc.option(fc.nat()),
    fc.option(bytes(40)),
  )
  .map(([q, edits, cut, junk]) => {
    const b = Buffer.from(q);
    for (const [at, value, flip] of edits) {
      const i = at % b.length;
      b[i] = flip ? b[i] ^ (1 << (value & 7)) : value;
    }
    const cutAt = cut === null ? b.length : cut % (b.length + 1);
    return junk ? Buffer.concat([b.subarray(0, cutAt), junk]) : b.subarray(0, cutAt);
  });

describe("query parser and answering, on any bytes (property)", () => {
  it("arbitrary byte strings: dropped or answered well-formed, never a throw", () => {
    fc.assert(fc.property(bytes(600), fc.boolean(), (raw, tcp) => checkResponse(raw, tcp)), { numRuns: 3000 });
  });

  it("byte strings with a plausible header (QR clear, QDCOUNT 1) reach the question and OPT parsing", () => {
    const arb = fc.tuple(fc.integer({ min: 0, max: 0x7fff }), bytes(300), fc.integer({ min: 0, max: 3 })).map(([flags, body, ar]) => {
      const h = Buffer.from([0x12, 0x34, flags >> 8, flags & 0xff, 0, 1, 0, 0, 0, 0, 0, ar]);
      return Buffer.concat([h, body]);
    });
    fc.assert(fc.property(arb, fc.boolean(), (raw, tcp) => checkResponse(raw, tcp)), { numRuns: 3000 });
  });

  it("valid queries are accepted and answered with their question", () => {
    fc.assert(
      fc.property(validQueryArb, fc.boolean(), (raw, tcp) => {
        const parsed = parseQuery(raw);
        expect(parsed.ok).toBe(true);
        // The parser reads the same name and type as dns-packet (lowercased).
        const reference = dnsPacket.decode(raw).questions![0];
        if (parsed.ok) expect(parsed.query.qname).toBe(reference.name === "." ? "" : reference.name.toLowerCase());
        checkResponse(raw, tcp);
      }),
      { numRuns: 1000 },
    );
  });

  it("mutated valid queries: dropped, rejected or answered, never a throw", () => {
    fc.assert(fc.property(mutatedQueryArb, fc.boolean(), (raw, tcp) => checkResponse(raw, tcp)), { numRuns: 5000 });
  });

  it("the fuzzer's structured mutations (pointer loops, bad labels, lying counts, bad OPT...)", () => {
    fc.assert(
      fc.property(fc.integer(), fc.boolean(), (seed, tcp) => {
        const r = new Random(seed);
        for (let i = 0; i < 10; i++) checkResponse(nextPacket(r, fuzzZones, tcp ? 4096 : 1500).bytes, tcp);
      }),
      { numRuns: 500 },
    );
  });

  it("the fuzzer's valid queries parse to the name they were built from", () => {
    fc.assert(
      fc.property(fc.integer(), (seed) => {
        const q = validQuery(new Random(seed), fuzzZones);
        const parsed = parseQuery(q.bytes);
        expect(parsed.ok).toBe(true);
        if (parsed.ok) expect(parsed.query.questionEnd).toBe(q.questionEnd);
      }),
      { numRuns: 2000 },
    );
  });
});
