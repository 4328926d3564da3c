// Properties of the way out (fast-check): for any record sets and any query, the encoded
// response decodes (dns-packet) back to the same records, never exceeds the size limit of its
// transport, and when it cannot hold everything it drops whole trailing additional RRsets or
// is truncated (TC=1, empty sections) as nameserver/response.ts describes.
import dnsPacket from "dns-packet";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseQuery } from "../../nameserver/query-parser.ts";
import { assembleResponse, encodeSections, sizeLimit, writeResponse } from "../../nameserver/response.ts";
import type { Answer } from "../../nameserver/zone-index.ts";

// dns-packet's record codec (not in its typings): re-encoding both sides compares records
// whatever shape the decoder gives them (TXT as Buffers, AAAA normalised, CAA's extra fields).
const answerCodec = (dnsPacket as unknown as { answer: { encode(rr: unknown): Buffer } }).answer;
// Names compare without regard to case (RFC 4343): compressed names may point into the question,
// which keeps the client's 0x20 mixed case.
const canonical = (rr: Answer) => answerCodec.encode(lowerNames(rr)).toString("hex");
function lowerNames(rr: Answer): Answer {
  const d = rr.data as Record<string, unknown> | string;
  const lower = (x: unknown) => String(x).toLowerCase();
  let data: unknown = d;
  if (rr.type === "CNAME" || rr.type === "NS" || rr.type === "PTR") data = lower(d);
  else if (rr.type === "MX" && typeof d === "object") data = { ...d, exchange: lower(d.exchange) };
  else if (rr.type === "SRV" && typeof d === "object") data = { ...d, target: lower(d.target) };
  else if (rr.type === "SOA" && typeof d === "object") data = { ...d, mname: lower(d.mname), rname: lower(d.rname) };
  return { ...rr, name: rr.name.toLowerCase(), data };
}

const APEX = "example.test";
const label = fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,14}$/);
const nameArb = fc.array(label, { maxLength: 3 }).map((ls) => [...ls, APEX].join("."));
const elsewhere = fc.array(label, { minLength: 1, maxLength: 3 }).map((ls) => [...ls, "example.net"].join("."));
const target = fc.oneof(nameArb, elsewhere);
const ttl = fc.integer({ min: 0, max: 2 ** 31 - 1 });
const u16 = fc.integer({ min: 0, max: 65535 });

const dataArb: Record<string, fc.Arbitrary<unknown>> = {
  A: fc.ipV4(),
  AAAA: fc.ipV6(),
  MX: fc.record({ preference: u16, exchange: target }),
  TXT: fc.array(fc.string({ unit: "binary-ascii", maxLength: 255 }), { minLength: 1, maxLength: 4 }),
  CNAME: target,
  NS: target,
  PTR: target,
  SRV: fc.record({ priority: u16, weight: u16, port: u16, target }),
  CAA: fc.record({ flags: fc.constantFrom(0, 128), tag: fc.constantFrom("issue", "issuewild", "iodef"), value: fc.string({ unit: "grapheme-ascii", maxLength: 60 }) }),
};

/** An RRset: one owner, one type, one TTL, 1-8 records. */
const rrsetArb: fc.Arbitrary<Answer[]> = fc
  .tuple(nameArb, fc.constantFrom(...Object.keys(dataArb)), ttl)
  .chain(([name, type, t]) =>
    fc.array(dataArb[type], { minLength: 1, maxLength: type === "CNAME" ? 1 : 8 }).map((datas) =>
      datas.map((data) => ({ name, type, class: "IN", ttl: t, data }) as Answer)),
  );
const sectionArb = fc.array(rrsetArb, { maxLength: 6 }).map((sets) => sets.flat());

const soa: Answer = {
  name: APEX, type: "SOA", class: "IN", ttl: 300,
  data: { mname: "ns1.example.net", rname: "hostmaster.example.net", serial: 1, refresh: 1, retry: 1, expire: 1, minimum: 300 },
} as Answer;

const queryArb = fc.record({
  qname: nameArb,
  qtype: fc.constantFrom("A", "AAAA", "MX", "TXT", "ANY", "NS"),
  edns: fc.option(fc.record({ udpPayloadSize: fc.integer({ min: 0, max: 65535 }), dnssecOk: fc.boolean() })),
  tcp: fc.boolean(),
  // 0x20: which letters of the question the client sent in upper case.
  upper: fc.array(fc.boolean(), { maxLength: 64 }),
}).map(({ qname, qtype, edns, tcp, upper }) => {
  const asked = [...qname].map((c, i) => (upper[i] ? c.toUpperCase() : c)).join("");
  const additionals = edns ? [{ type: "OPT", name: ".", udpPayloadSize: edns.udpPayloadSize, flags: edns.dnssecOk ? dnsPacket.DNSSEC_OK : 0, options: [] }] : [];
  const raw = dnsPacket.encode({ type: "query", id: 4242, questions: [{ name: asked, type: qtype, class: "IN" }], additionals } as unknown as dnsPacket.Packet);
  const parsed = parseQuery(raw);
  if (!parsed.ok) throw new Error("the query arbitrary built an invalid query");
  return { raw, query: parsed.query, tcp };
});

const responseArb = fc.record({
  query: queryArb,
  rcode: fc.constantFrom(0, 3, 5),
  aa: fc.boolean(),
  answer: sectionArb,
  authority: fc.oneof(sectionArb, fc.constant<Answer[]>([soa])),
  additional: sectionArb,
});

describe("response encoder (property)", () => {
  it("decodes back to the same records, within the size limit, trimming only whole additional RRsets", () => {
    fc.assert(
      fc.property(responseArb, ({ query: { raw, query, tcp }, rcode, aa, answer, authority, additional }) => {
        const sections = encodeSections(query.qname, rcode, aa, answer, authority, additional);
        const limit = sizeLimit(query, tcp);
        const bytes = assembleResponse(raw, query, sections, limit);
        expect(bytes.length).toBeLessThanOrEqual(limit);
        expect(bytes.length).toBeLessThanOrEqual(tcp ? 65535 : Math.max(512, Math.min(query.edns?.udpPayloadSize ?? 512, 1232)));

        const decoded = dnsPacket.decode(bytes);
        expect(decoded.id).toBe(4242);
        expect(decoded.type).toBe("response");
        expect(bytes.readUInt16BE(2) & 0xf).toBe(rcode);
        expect(decoded.flag_aa).toBe(aa);
        expect(bytes.subarray(12, query.questionEnd)).toEqual(raw.subarray(12, query.questionEnd));
        const section = (records: unknown[] | undefined) => (records ?? []) as Answer[];
        const opts = section(decoded.additionals).filter((r) => r.type === "OPT");
        expect(opts.length).toBe(query.edns ? 1 : 0);
        const extra = section(decoded.additionals).filter((r) => r.type !== "OPT");

        if (decoded.flag_tc) {
          // Truncated: nothing but the question (and the OPT), so the client retries over TCP.
          expect(tcp).toBe(false);
          expect([section(decoded.answers), section(decoded.authorities), extra].map((s) => s.length)).toEqual([0, 0, 0]);
          return;
        }
        expect(section(decoded.answers).map(canonical)).toEqual(answer.map(canonical));
        expect(section(decoded.authorities).map(canonical)).toEqual(authority.map(canonical));
        // The additional section: a prefix of what was given, ending on an RRset boundary.
        const kept = extra.length;
        expect(extra.map(canonical)).toEqual(additional.slice(0, kept).map(canonical));
        if (kept > 0 && kept < additional.length) {
          const last = additional[kept - 1], next = additional[kept];
          expect(`${next.name} ${next.type}`).not.toBe(`${last.name} ${last.type}`);
        }
        // Left out only for room: with everything, it would not have fitted.
        if (kept < additional.length) {
          const full = 12 + (query.questionEnd - 12) + sections.body.length + (query.edns ? 11 : 0);
          expect(full).toBeGreaterThan(limit);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it("writes the same bytes in place, at any offset, or nothing when there is no room", () => {
    fc.assert(
      fc.property(responseArb, fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 2000 }), ({ query: { raw, query, tcp }, rcode, aa, answer, authority, additional }, at, room) => {
        const sections = encodeSections(query.qname, rcode, aa, answer, authority, additional);
        const limit = sizeLimit(query, tcp);
        const expected = assembleResponse(raw, query, sections, limit);
        const out = Buffer.alloc(at + room + 1, 0xee);
        const n = writeResponse(out, at, raw, query, sections, limit, room);
        if (expected.length <= room) expect(out.subarray(at, at + n)).toEqual(expected);
        else expect(n).toBe(0);
        // Nothing written outside the slot.
        expect(out.subarray(0, at).every((b) => b === 0xee)).toBe(true);
        expect(out[at + room]).toBe(0xee);
      }),
      { numRuns: 600 },
    );
  });
});
