// What goes out when a response does not fit the transport: optional additional data is left
// out (RFC 2181 §9), a referral's glue is not (RFC 9471), and both entry points agree.
import { describe, expect, it } from "vitest";
import { AnswerCache } from "../../nameserver/answer-cache.ts";
import { answerQuery, answerUdpQueryInto } from "../../nameserver/answer-query.ts";
import { ZoneIndex } from "../../nameserver/zone-index.ts";
import { ZoneSet } from "../../nameserver/zone-set.ts";
import { buildQuery, decodeReply } from "../helpers/dns-client.ts";

const soa = { name: "example.test", serial: 1, soaTtl: 3600, primaryNs: "ns1.example.net", hostmaster: "h.example.net", refresh: 1, retry: 1, expire: 1, minimum: 300 };
const rr = (name: string, type: string, content: string) => ({ name, type, ttl: 300, content });
const eight = Array.from({ length: 8 }, (_, i) => i);

const zones = new ZoneSet();
zones.put("z", new ZoneIndex(soa, [
  rr("example.test", "NS", "ns1.example.net."),
  // 8 MX (~40 bytes each) whose exchanges have two A and one AAAA: the answer fits in 512, the addresses do not.
  ...eight.map((i) => rr("example.test", "MX", `10 m${i}.example.test.`)),
  ...eight.flatMap((i) => [rr(`m${i}.example.test`, "A", `192.0.2.${i + 1}`), rr(`m${i}.example.test`, "A", `198.51.100.${i + 1}`), rr(`m${i}.example.test`, "AAAA", `2001:db8::${i + 1}`)]),
  // A delegation to 8 in-bailiwick nameservers: the NS fit in 512, their glue does not.
  ...eight.map((i) => rr("sub.example.test", "NS", `ns${i}.sub.example.test.`)),
  ...eight.flatMap((i) => [rr(`ns${i}.sub.example.test`, "A", `192.0.2.${i + 101}`), rr(`ns${i}.sub.example.test`, "AAAA", `2001:db8::${i + 101}`)]),
  // 40 addresses at one name: 1,304 bytes uncompressed (over our 1232 cap), 640 with the owners compressed.
  ...Array.from({ length: 40 }, (_, i) => rr("many.example.test", "A", `203.0.113.${i + 1}`)),
]));
const responder = { zones, cache: new AnswerCache(zones) };

const udp = (name: string, type: string, edns: false | { udpPayloadSize: number } = false) => answerQuery(buildQuery(name, type, { edns }), false, responder)!;
const records = (section: { name: string; type: string }[]) => section.filter((r) => r.type !== "OPT").map((r) => `${r.name} ${r.type}`);

describe("responses larger than the transport allows", () => {
  it("drop trailing additional RRsets, whole, and keep TC=0 when the answer fits", () => {
    const raw = udp("example.test", "MX");
    const reply = decodeReply(raw);
    expect(raw.length).toBeLessThanOrEqual(512);
    expect(reply.tc).toBe(false);
    expect(reply.answers).toHaveLength(8);
    const kept = records(reply.additionals);
    expect(kept.length).toBeGreaterThan(0);
    expect(kept.length).toBeLessThan(24);
    // A prefix of the full additional section that ends on an RRset boundary (the A pair is never split).
    const full = records(decodeReply(answerQuery(buildQuery("example.test", "MX", { edns: false }), true, responder)!).additionals);
    expect(full).toHaveLength(24);
    expect(kept).toEqual(full.slice(0, kept.length));
    expect(full[kept.length]).not.toBe(kept.at(-1));
  });

  it("keeps the OPT record and room for it when additional data is trimmed", () => {
    const reply = decodeReply(udp("example.test", "MX", { udpPayloadSize: 600 }));
    expect(reply.tc).toBe(false);
    expect(reply.raw.length).toBeLessThanOrEqual(600);
    expect(reply.additionals.at(-1)).toMatchObject({ type: "OPT" });
    expect(records(reply.additionals).length).toBeGreaterThan(records(decodeReply(udp("example.test", "MX")).additionals).length);
  });

  it("set TC=1 for a referral whose glue does not fit (RFC 9471), and send it whole when it does", () => {
    const small = decodeReply(udp("www.sub.example.test", "A"));
    expect(small).toMatchObject({ tc: true, aa: false, answers: [], authorities: [], additionals: [] });
    const large = decodeReply(udp("www.sub.example.test", "A", { udpPayloadSize: 1232 }));
    expect(large.tc).toBe(false);
    expect(records(large.authorities)).toHaveLength(8);
    expect(records(large.additionals)).toHaveLength(16);
  });

  it("answer a 40-record A RRset whole over UDP with EDNS (names compressed), and with TC=1 in 512 bytes", () => {
    for (const udpPayloadSize of [4096, 1232]) {
      const raw = udp("many.example.test", "A", { udpPayloadSize });
      const reply = decodeReply(raw);
      expect(reply.tc).toBe(false);
      expect(reply.answers).toHaveLength(40);
      // Header 12 + question 23 + 40 x (2-byte pointer + 10 + 4) + OPT 11.
      expect(raw.length).toBe(12 + 23 + 40 * 16 + 11);
    }
    // Without EDNS 640 bytes of answer do not fit in 512: the answer is required data, so TC=1.
    const small = decodeReply(udp("many.example.test", "A"));
    expect(small).toMatchObject({ tc: true, answers: [], authorities: [], additionals: [] });
  });

  it("never split an RRset, and leave no pointer dangling, whatever the room (compressed additional data)", () => {
    const full = records(decodeReply(answerQuery(buildQuery("example.test", "MX", { edns: false }), true, responder)!).additionals);
    const rrsets = (names: string[]) => names.map((n, i) => (names[i + 1] === n ? "" : n)).filter(Boolean);
    const sizes = new Set<number>();
    for (let room = 512; room <= 1232; room += 8) {
      const raw = udp("example.test", "MX", { udpPayloadSize: room });
      expect(raw.length).toBeLessThanOrEqual(room);
      const reply = decodeReply(raw); // dns-packet follows every pointer: one into dropped data would fail here
      expect(reply.tc).toBe(false);
      const kept = records(reply.additionals);
      expect(kept).toEqual(full.slice(0, kept.length));
      // Ends on an RRset boundary: the next record (if any) starts another RRset.
      if (kept.length < full.length) expect(rrsets(full.slice(0, kept.length + 1))).toHaveLength(rrsets(kept).length + 1);
      sizes.add(kept.length);
    }
    expect(sizes.size).toBeGreaterThan(3); // several different cuts were exercised
  });

  it("are written the same by answerUdpQueryInto, at any offset of the send buffer", () => {
    for (const [name, type] of [["example.test", "MX"], ["www.sub.example.test", "A"], ["m1.example.test", "A"]]) {
      for (const edns of [false, { udpPayloadSize: 600 }] as const) {
        const query = buildQuery(name, type, { edns });
        const expected = answerQuery(query, false, responder)!;
        const out = Buffer.alloc(4096, 0xee);
        const length = answerUdpQueryInto(query, responder, out, 100, 2000);
        // Same bytes (the ID too: the same query), nothing written outside the slot.
        expect(out.subarray(100, 100 + length)).toEqual(expected);
        expect(out[99]).toBe(0xee);
        expect(out[100 + length]).toBe(0xee);
      }
    }
  });
});
