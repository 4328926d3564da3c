// Builds response packets: header + the query's own question bytes + pre-encoded sections.
// Sections are encoded once per distinct answer (the answer cache keeps them), so a cached
// answer costs one buffer copy and a few header writes.
import dnsPacket from "dns-packet";
import type { Answer } from "./zone-index.ts";
import type { ParsedQuery } from "./query-parser.ts";

/** The payload size we advertise: fits an unfragmented IPv6 packet (DNS Flag Day 2020). */
// dns-packet exports its record codec as `answer`; its typings do not declare it.
const answerCodec = (dnsPacket as unknown as { answer: { encode(rr: Answer): Buffer } }).answer;

export const OUR_UDP_PAYLOAD_SIZE = 1232;
export const TCP_MAX = 65535;

export interface EncodedSections {
  rcode: number;
  aa: boolean;
  body: Buffer; // answer + authority + additional records, no OPT
  ancount: number;
  nscount: number;
  arcount: number;
}

export function encodeSections(rcode: number, aa: boolean, answer: Answer[], authority: Answer[], additional: Answer[]): EncodedSections {
  const parts = [...answer, ...authority, ...additional].map((rr) => answerCodec.encode(rr));
  return { rcode, aa, body: Buffer.concat(parts), ancount: answer.length, nscount: authority.length, arcount: additional.length };
}

const OPT_LENGTH = 11;
const FLAG_QR = 0x8000, FLAG_AA = 0x0400, FLAG_TC = 0x0200, FLAG_RD = 0x0100, FLAG_CD = 0x0010;

function writeOpt(buf: Buffer, offset: number, extendedRcode: number, dnssecOk: boolean) {
  buf[offset] = 0; // root owner
  buf.writeUInt16BE(41, offset + 1);
  buf.writeUInt16BE(OUR_UDP_PAYLOAD_SIZE, offset + 3);
  // TTL field: extended RCODE, version 0, DO bit echoed (RFC 3225 §3), Z zero.
  buf.writeUInt32BE(((extendedRcode & 0xff) << 24) | (dnssecOk ? 0x8000 : 0), offset + 5);
  buf.writeUInt16BE(0, offset + 9);
}

/** The largest response this query can take (RFC 1035 §4.2.1, RFC 6891 §6.2.5). */
export function sizeLimit(query: ParsedQuery, tcp: boolean): number {
  if (tcp) return TCP_MAX;
  if (!query.edns) return 512;
  return Math.max(512, Math.min(query.edns.udpPayloadSize, OUR_UDP_PAYLOAD_SIZE));
}

/**
 * The full response. Too large for the transport: TC=1 and empty sections (RFC 2181 §9), so
 * the client retries over TCP. RCODEs above 15 go in the OPT's extended RCODE (RFC 6891 §6.1.3).
 */
export function assembleResponse(raw: Buffer, query: ParsedQuery, sections: EncodedSections, limit: number): Buffer {
  const buf = Buffer.allocUnsafe(responseLength(query, sections, limit));
  writeResponse(buf, 0, raw, query, sections, limit);
  return buf;
}

export function responseLength(query: ParsedQuery, sections: EncodedSections, limit: number): number {
  const fixed = query.questionEnd + (query.edns ? OPT_LENGTH : 0); // header + question + OPT
  return fixed + sections.body.length > limit ? fixed : fixed + sections.body.length;
}

/** Writes the response at buf[at..] (which must have room for responseLength); returns its length. */
export function writeResponse(buf: Buffer, at: number, raw: Buffer, query: ParsedQuery, sections: EncodedSections, limit: number): number {
  const length = responseLength(query, sections, limit);
  const truncated = length < query.questionEnd + (query.edns ? OPT_LENGTH : 0) + sections.body.length;
  buf.writeUInt16BE(query.id, at);
  let flags = FLAG_QR | (query.opcode << 11) | (query.flags & (FLAG_RD | FLAG_CD)) | (sections.rcode & 0xf);
  if (sections.aa) flags |= FLAG_AA;
  if (truncated) flags |= FLAG_TC;
  buf.writeUInt16BE(flags, at + 2);
  buf.writeUInt16BE(1, at + 4);
  buf.writeUInt16BE(truncated ? 0 : sections.ancount, at + 6);
  buf.writeUInt16BE(truncated ? 0 : sections.nscount, at + 8);
  buf.writeUInt16BE((truncated ? 0 : sections.arcount) + (query.edns ? 1 : 0), at + 10);
  raw.copy(buf, at + 12, 12, query.questionEnd);
  let offset = at + query.questionEnd;
  if (!truncated) offset += sections.body.copy(buf, offset);
  if (query.edns) writeOpt(buf, offset, sections.rcode >> 4, query.edns.dnssecOk);
  return length;
}

/** A reply carrying only a header (and the question, when we could read it): FORMERR, NOTIMP... */
export function headerOnlyResponse(raw: Buffer, id: number, queryFlags: number, rcode: number, questionEnd?: number): Buffer {
  const question = questionEnd ? raw.subarray(12, questionEnd) : Buffer.alloc(0);
  const buf = Buffer.alloc(12 + question.length);
  buf.writeUInt16BE(id, 0);
  buf.writeUInt16BE(FLAG_QR | (queryFlags & (0x7800 | FLAG_RD | FLAG_CD)) | (rcode & 0xf), 2);
  buf.writeUInt16BE(question.length ? 1 : 0, 4);
  question.copy(buf, 12);
  return buf;
}
