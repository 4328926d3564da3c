// Malformed input must give FORMERR or be dropped, and never throw.
import { describe, expect, it } from "vitest";
import { randomBytes } from "node:crypto";
import dnsPacket from "dns-packet";
import { answerQuery } from "../../nameserver/answer-query.ts";
import { AnswerCache } from "../../nameserver/answer-cache.ts";
import { parseQuery } from "../../nameserver/query-parser.ts";
import { ZoneIndex } from "../../nameserver/zone-index.ts";
import { ZoneSet } from "../../nameserver/zone-set.ts";
import { buildQuery, decodeReply } from "../helpers/dns-client.ts";

const zones = new ZoneSet();
zones.put("z", new ZoneIndex(
  { name: "example.test", serial: 1, soaTtl: 3600, primaryNs: "ns1.example.net", hostmaster: "h.example.net", refresh: 1, retry: 1, expire: 1, minimum: 1 },
  [{ name: "www.example.test", type: "A", ttl: 60, content: "192.0.2.1" }],
));
const responder = { zones, cache: new AnswerCache(zones) };

/** The same message with its question removed (QDCOUNT 0), records kept. */
function withoutQuestion(packet: Buffer): Buffer {
  let nameEnd = 12;
  while (packet[nameEnd] !== 0) nameEnd += 1 + packet[nameEnd];
  const questionEnd = nameEnd + 1 + 4; // root label, QTYPE, QCLASS
  const out = Buffer.concat([packet.subarray(0, 12), packet.subarray(questionEnd)]);
  out.writeUInt16BE(0, 4);
  return out;
}

describe("query parsing", () => {
  it("reads the question, lowercased, and the OPT record", () => {
    const parsed = parseQuery(buildQuery("WwW.Example.TEST", "A", { edns: { udpPayloadSize: 4096, dnssecOk: true } }));
    expect(parsed).toMatchObject({ ok: true, query: { qname: "www.example.test", qtype: 1, qclass: 1, edns: { udpPayloadSize: 4096, version: 0, dnssecOk: true } } });
  });

  it("drops packets too short for a header, and responses", () => {
    expect(parseQuery(Buffer.from([1, 2, 3]))).toEqual({ ok: false, reply: "drop" });
    const response = buildQuery("www.example.test", "A");
    response[2] |= 0x80;
    expect(parseQuery(response)).toEqual({ ok: false, reply: "drop" });
  });

  it("FORMERR for no question, two questions, truncated names, bad label lengths", () => {
    const q = buildQuery("www.example.test", "A", { edns: false });
    const noQuestion = Buffer.from(q.subarray(0, 12));
    noQuestion.writeUInt16BE(0, 4);
    const twoQuestions = Buffer.from(q);
    twoQuestions.writeUInt16BE(2, 4);
    const truncated = q.subarray(0, q.length - 3);
    const badLabel = Buffer.from(q);
    badLabel[12] = 70;
    for (const packet of [noQuestion, twoQuestions, truncated, badLabel]) {
      expect(parseQuery(packet)).toMatchObject({ ok: false, reply: "formerr" });
    }
  });

  it("answers NOTIMP for any opcode but QUERY, checked before the question: even with no question", () => {
    const notify = buildQuery("www.example.test", "SOA", { opcode: 4, edns: false });
    const noQuestion = withoutQuestion(notify);
    expect(parseQuery(noQuestion)).toMatchObject({ ok: false, reply: "notimp", opcode: 4 });
    for (const packet of [notify, noQuestion]) {
      const reply = decodeReply(answerQuery(packet, false, responder)!);
      expect(reply.rcode).toBe("NOTIMP");
      expect((reply.flags >> 11) & 0xf).toBe(4);
      expect(reply.additionals).toEqual([]);
    }
    expect(decodeReply(answerQuery(notify, false, responder)!).questions).toHaveLength(1);
    expect(decodeReply(answerQuery(noQuestion, false, responder)!).questions).toHaveLength(0);
  });

  it("NOTIMP and FORMERR carry our OPT when the query had one (RFC 6891 §7)", () => {
    const edns = { udpPayloadSize: 4096, dnssecOk: true };
    const packets = {
      NOTIMP: [buildQuery("www.example.test", "A", { opcode: 2, edns }), withoutQuestion(buildQuery("www.example.test", "A", { opcode: 5, edns }))],
      FORMERR: [withoutQuestion(buildQuery("www.example.test", "A", { edns })), buildQuery("www.example.test", "OPT", { edns })],
    };
    for (const [rcode, list] of Object.entries(packets)) {
      for (const packet of list) {
        const reply = decodeReply(answerQuery(packet, false, responder)!);
        expect(reply.rcode).toBe(rcode);
        expect(reply.additionals).toEqual([expect.objectContaining({ type: "OPT", udpPayloadSize: 1232, flags: dnsPacket.DNSSEC_OK })]);
      }
    }
    // Without EDNS in the query, none in the reply.
    expect(decodeReply(answerQuery(withoutQuestion(buildQuery("www.example.test", "A", { edns: false })), false, responder)!).additionals).toEqual([]);
  });

  it("FORMERR, without an OPT, for two OPT records or an OPT outside the additional section", () => {
    const q = buildQuery("www.example.test", "A", { edns: { udpPayloadSize: 1232 } });
    const twoOpts = Buffer.concat([q, q.subarray(q.length - 11)]);
    twoOpts.writeUInt16BE(2, 10);
    const inAnswer = Buffer.from(q);
    inAnswer.writeUInt16BE(1, 6);
    inAnswer.writeUInt16BE(0, 10);
    const notRoot = Buffer.concat([q.subarray(0, q.length - 11), Buffer.from([1, 0x61]), q.subarray(q.length - 10)]);
    for (const packet of [twoOpts, inAnswer, notRoot]) {
      expect(parseQuery(packet)).toMatchObject({ ok: false, reply: "formerr" });
      const reply = decodeReply(answerQuery(packet, false, responder)!);
      expect(reply.rcode).toBe("FORMERR");
      expect(reply.additionals).toEqual([]);
    }
  });

  it("keeps the 0x20 case of the question in the response", () => {
    const reply = answerQuery(buildQuery("wWw.ExAmPlE.tEsT", "A"), false, responder)!;
    expect(decodeReply(reply).questions![0].name).toBe("wWw.ExAmPlE.tEsT");
    expect(decodeReply(reply).answers![0].data).toBe("192.0.2.1");
  });

  it("never throws on random or mutated packets", () => {
    const seed = buildQuery("www.example.test", "A");
    for (let i = 0; i < 20000; i++) {
      let packet: Buffer;
      if (i % 2) packet = randomBytes(i % 300);
      else {
        packet = Buffer.from(seed);
        for (let j = 0; j < 1 + (i % 5); j++) packet[Math.floor(Math.random() * packet.length)] = Math.floor(Math.random() * 256);
      }
      const reply = answerQuery(packet, i % 3 === 0, responder);
      if (reply) expect(() => decodeReply(reply)).not.toThrow();
    }
  });
});
