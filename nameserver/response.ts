// Builds response packets: header + the query's own question bytes + pre-encoded sections.
// Sections are encoded once per distinct answer (the answer cache keeps them), so a cached
// answer costs one buffer copy and a few header writes.
import dnsPacket from "dns-packet";
import type { Answer } from "./zone-index.ts";
import type { ParsedQuery } from "./query-parser.ts";

// dns-packet exports its record codec as `answer`; its typings do not declare it.
const answerCodec = (dnsPacket as unknown as { answer: { encode(rr: Answer): Buffer } }).answer;

/** The payload size we advertise: fits an unfragmented IPv6 packet (DNS Flag Day 2020). */
export const OUR_UDP_PAYLOAD_SIZE = 1232;
export const TCP_MAX = 65535;

export interface EncodedSections {
  rcode: number;
  aa: boolean;
  body: Buffer; // answer + authority + additional records, no OPT
  ancount: number;
  nscount: number;
  arcount: number;
  /** Offset in `body` where the additional section starts (= its length without additional data). */
  additionalStart: number;
  /**
   * For each additional record, the offset in `body` just after the RRset it belongs to, so
   * that dropping trailing additional records for room never splits an RRset (RFC 2181 §5, §9).
   */
  additionalEnds: number[];
  /**
   * A referral: its glue is required data, not optional extras. Glue that does not fit sets TC
   * (RFC 9471) instead of being dropped. (Simplification: all of it, not only in-domain glue.)
   */
  glueRequired: boolean;
}

export function encodeSections(rcode: number, aa: boolean, answer: Answer[], authority: Answer[], additional: Answer[]): EncodedSections {
  const head = [...answer, ...authority].map((rr) => answerCodec.encode(rr));
  const tail = additional.map((rr) => answerCodec.encode(rr));
  const additionalStart = head.reduce((n, b) => n + b.length, 0);
  return {
    rcode, aa,
    body: Buffer.concat([...head, ...tail]),
    ancount: answer.length, nscount: authority.length, arcount: additional.length,
    additionalStart,
    additionalEnds: rrsetEnds(additional, tail, additionalStart),
    glueRequired: !aa && answer.length === 0 && additional.length > 0 && authority.some((rr) => rr.type === "NS"),
  };
}

/** For each record, the offset after the last record of its RRset (consecutive records of one name and type). */
function rrsetEnds(records: Answer[], encoded: Buffer[], start: number): number[] {
  const ends: number[] = new Array(records.length);
  let offset = start;
  let first = 0; // first record of the current RRset
  for (let i = 0; i < records.length; i++) {
    offset += encoded[i].length;
    const next = records[i + 1];
    if (next === undefined || next.name !== records[i].name || next.type !== records[i].type) {
      ends.fill(offset, first, i + 1);
      first = i + 1;
    }
  }
  return ends;
}

export const headerOnlySections = (rcode: number): EncodedSections => ({
  rcode, aa: false, body: Buffer.alloc(0), ancount: 0, nscount: 0, arcount: 0, additionalStart: 0, additionalEnds: [], glueRequired: false,
});

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
 * The full response. When it is too large for the transport, trailing additional RRsets are
 * left out (ARCOUNT lowered, TC=0): additional data is optional, and TC is only for data that
 * is required (RFC 2181 §9). When the answer and authority sections do not fit, or a referral's
 * glue does not (RFC 9471), TC=1 with empty sections, so the client retries over TCP. RCODEs
 * above 15 go in the OPT's extended RCODE (RFC 6891 §6.1.3).
 */
export function assembleResponse(raw: Buffer, query: ParsedQuery, sections: EncodedSections, limit: number): Buffer {
  const buf = Buffer.allocUnsafe(responseLength(query, sections, limit));
  writeResponse(buf, 0, raw, query, sections, limit);
  return buf;
}

/** Header + question + OPT: what every response carries, truncated or not. */
function fixedLength(query: ParsedQuery): number {
  return query.questionEnd + (query.edns ? OPT_LENGTH : 0);
}

/**
 * How many additional records go out within `limit`: all of them (the common case, one
 * comparison), fewer, or -1 when the response must be truncated (TC=1).
 */
function additionalThatFits(query: ParsedQuery, sections: EncodedSections, limit: number): number {
  const room = limit - fixedLength(query);
  if (sections.body.length <= room) return sections.arcount;
  if (sections.additionalStart > room || sections.glueRequired) return -1;
  let kept = sections.arcount;
  while (kept > 0 && sections.additionalEnds[kept - 1] > room) kept--;
  return kept;
}

/** The bytes of `body` sent when `kept` additional records go out (-1: truncated, none). */
function bodyLength(sections: EncodedSections, kept: number): number {
  if (kept === sections.arcount) return sections.body.length;
  if (kept < 0) return 0;
  return kept === 0 ? sections.additionalStart : sections.additionalEnds[kept - 1];
}

function responseLength(query: ParsedQuery, sections: EncodedSections, limit: number): number {
  return fixedLength(query) + bodyLength(sections, additionalThatFits(query, sections, limit));
}

/**
 * Writes the response at buf[at..] and returns its length; when it would need more than `room`
 * bytes, writes nothing and returns 0. The layout is worked out once, here.
 */
export function writeResponse(
  buf: Buffer, at: number, raw: Buffer, query: ParsedQuery, sections: EncodedSections, limit: number, room = buf.length - at,
): number {
  const kept = additionalThatFits(query, sections, limit);
  const truncated = kept < 0;
  const body = bodyLength(sections, kept);
  if (fixedLength(query) + body > room) return 0;
  buf.writeUInt16BE(query.id, at);
  let flags = FLAG_QR | (query.opcode << 11) | (query.flags & (FLAG_RD | FLAG_CD)) | (sections.rcode & 0xf);
  if (sections.aa) flags |= FLAG_AA;
  if (truncated) flags |= FLAG_TC;
  buf.writeUInt16BE(flags, at + 2);
  buf.writeUInt16BE(1, at + 4);
  buf.writeUInt16BE(truncated ? 0 : sections.ancount, at + 6);
  buf.writeUInt16BE(truncated ? 0 : sections.nscount, at + 8);
  buf.writeUInt16BE((truncated ? 0 : kept) + (query.edns ? 1 : 0), at + 10);
  raw.copy(buf, at + 12, 12, query.questionEnd);
  let offset = at + query.questionEnd;
  if (body > 0) offset += sections.body.copy(buf, offset, 0, body);
  if (query.edns) writeOpt(buf, offset, sections.rcode >> 4, query.edns.dnssecOk);
  return offset - at + (query.edns ? OPT_LENGTH : 0);
}

/**
 * A reply carrying only a header, the question when we could read it, and our OPT when the
 * query carried a well-formed one: FORMERR, NOTIMP... (RFC 6891 §7: a responder includes an OPT
 * in its response to a request that had one, whatever the RCODE).
 */
export function headerOnlyResponse(
  raw: Buffer, id: number, queryFlags: number, rcode: number, questionEnd?: number, edns?: ParsedQuery["edns"],
): Buffer {
  const question = questionEnd ? raw.subarray(12, questionEnd) : Buffer.alloc(0);
  const buf = Buffer.alloc(12 + question.length + (edns ? OPT_LENGTH : 0));
  buf.writeUInt16BE(id, 0);
  buf.writeUInt16BE(FLAG_QR | (queryFlags & (0x7800 | FLAG_RD | FLAG_CD)) | (rcode & 0xf), 2);
  buf.writeUInt16BE(question.length ? 1 : 0, 4);
  question.copy(buf, 12);
  if (edns) {
    buf.writeUInt16BE(1, 10);
    writeOpt(buf, 12 + question.length, rcode >> 4, edns.dnssecOk);
  }
  return buf;
}
